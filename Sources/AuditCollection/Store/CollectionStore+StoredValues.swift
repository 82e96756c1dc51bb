import GRDB
import Store

// How the collection store's enumerations are kept: their raw value as `TEXT` (GRDB's
// conversion of a `RawRepresentable`), any other text being an error that names its row.

extension CollectedHead.Status: StoredValue {
    /// `accepted or evidence`.
    public static var storedForm: String { "accepted or evidence" }
}

extension CollectionFinding.Kind: StoredValue {
    /// The four kinds.
    public static var storedForm: String { "a finding kind (\(allCases.map(\.rawValue).joined(separator: ", ")))" }
}

extension CollectionAttempt.Outcome: StoredValue {
    /// The five outcomes.
    public static var storedForm: String { "an attempt outcome (collected, upToDate, unreachable, refused, flagged)" }
}

/// The collection store's tables, as errors name them (see `StoredRow`).
extension StoredTable {
    static let collectedHead = StoredTable(file: CollectionStore.fileName, name: "head", key: ["id"])
    static let collectedEntry = StoredTable(file: CollectionStore.fileName, name: "entry", key: ["state", "leaf_index"])
    static let finding = StoredTable(file: CollectionStore.fileName, name: "finding", key: ["id"])
    static let attempt = StoredTable(file: CollectionStore.fileName, name: "attempt", key: ["id"])
    /// The states of both tables, as ``CollectionStore/states()`` reads them.
    static let collectedStates = StoredTable(file: CollectionStore.fileName, name: "head or attempt", key: ["state"])
}
