import Exchange

/// A watch-list entry added or removed at the node (docs/AUDIT.md §3.4, kind 53): what kind of
/// owner keeps it and the entry's number. Metadata only: never the value watched, the label or
/// the owner's name (the number is resolved in `watchlists.sqlite` by the node's operators).
public struct WatchListChange: Hashable, Sendable {
    /// What kind of owner keeps the entry.
    public enum OwnerKind: UInt8, CaseIterable, Hashable, Sendable, CustomStringConvertible {
        /// A console user.
        case user = 0
        /// An agency system.
        case agency = 1
        /// The node's operator, on the command line.
        case operatorOfNode = 2

        /// The name in JSON: `user`, `agency`, `operator`.
        public var description: String {
            switch self {
            case .user: "user"
            case .agency: "agency"
            case .operatorOfNode: "operator"
            }
        }

        /// The kind named `name`.
        public init?(name: String) {
            guard let kind = Self.allCases.first(where: { $0.description == name }) else { return nil }
            self = kind
        }
    }

    /// Added or removed.
    public enum Change: UInt8, CaseIterable, Hashable, Sendable, CustomStringConvertible {
        /// The entry was added.
        case added = 0
        /// The entry was removed (it alerts no more).
        case removed = 1

        /// The name in JSON: `added`, `removed`.
        public var description: String {
            switch self {
            case .added: "added"
            case .removed: "removed"
            }
        }

        /// The change named `name`.
        public init?(name: String) {
            guard let change = Self.allCases.first(where: { $0.description == name }) else { return nil }
            self = change
        }
    }

    /// Who keeps the entry.
    public let owner: OwnerKind
    /// Added or removed.
    public let change: Change
    /// The entry's number in `watchlists.sqlite`, 1…2^53−1.
    public let entry: UInt64

    /// A change; ``validate()`` checks the entry number (``AuditEntry`` calls it).
    public init(owner: OwnerKind, change: Change, entry: UInt64) {
        self.owner = owner
        self.change = change
        self.entry = entry
    }

    /// An entry number is 1…2^53−1 (exact in JSON numbers).
    public func validate() throws(FormatError) {
        try Self.checkEntry(entry)
    }

    static func checkEntry(_ entry: UInt64) throws(FormatError) {
        guard (1...ConsoleAccess.maximumAccount).contains(entry) else {
            throw FormatError.invalidField(field: "watch-list entry", reason: "\(entry) is not 1…2^53 − 1")
        }
    }
}

extension WatchListChange {
    /// owner kind `u8` ‖ change `u8` ‖ entry `u64`.
    func write(to writer: inout ByteWriter) {
        writer.write(owner.rawValue)
        writer.write(change.rawValue)
        writer.write(entry)
    }

    /// Reads the fields, refusing an unknown owner kind or change; the caller validates the rest.
    init(reading reader: inout ByteReader) throws(FormatError) {
        let ownerCode = try reader.readUInt8(field: "watch-list owner kind")
        guard let owner = OwnerKind(rawValue: ownerCode) else {
            throw FormatError.invalidField(field: "watch-list owner kind", reason: "code \(ownerCode) is not a known kind of owner")
        }
        let changeCode = try reader.readUInt8(field: "watch-list change")
        guard let change = Change(rawValue: changeCode) else {
            throw FormatError.invalidField(field: "watch-list change", reason: "code \(changeCode) is not a known change")
        }
        self.init(owner: owner, change: change, entry: try reader.readUInt64(field: "watch-list entry"))
    }
}
