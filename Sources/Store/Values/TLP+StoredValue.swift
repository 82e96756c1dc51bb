import Exchange
import GRDB

/// A TLP marking is stored as its label without the `TLP:` prefix (`TEXT`, e.g. `AMBER+STRICT`),
/// as the bulletin JSON writes it.
extension TLP: StoredValue {
    /// The label.
    public var databaseValue: DatabaseValue { label.databaseValue }

    /// The marking of one of the five labels, exactly; `nil` for anything else.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> TLP? {
        guard case .string(let text) = value.storage else { return nil }
        return TLP.allCases.first { $0.label == text }
    }

    /// `a TLP label (CLEAR, GREEN, AMBER, AMBER+STRICT or RED)`.
    public static var storedForm: String { "a TLP label (CLEAR, GREEN, AMBER, AMBER+STRICT or RED)" }
}
