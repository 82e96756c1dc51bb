import Exchange
import GRDB

/// A received bulletin put aside for review: it is kept (it was accepted, and acknowledged), but
/// whoever reads it is told why it may not be what its origin's officers posted.
///
/// Today there is one reason: the bulletin arrived from its origin under keys the secretariat
/// later revoked from a compromise time (``since``) before the bulletin was created or stored —
/// whoever stole the keys may have signed it (docs/PROTOCOL.md §6.5, docs/OPERATIONS.md, "Revoking
/// a state").
public struct BulletinFlag: Sendable, Equatable, Hashable {
    /// Why a bulletin is flagged.
    public enum Reason: String, Sendable, Equatable, Hashable, CaseIterable {
        /// Accepted under keys revoked since a time before its creation or its arrival.
        case revokedKey
    }

    /// The bulletin.
    public var bulletin: BulletinReference
    /// Why.
    public var reason: Reason
    /// The compromise time of the revocation: the bulletin was created or stored at or after it.
    public var since: Timestamp
    /// The roster in force when this node applied the revocation (the one that revoked the keys,
    /// unless the node received a later one first).
    public var rosterVersion: UInt64
    /// When this node flagged it.
    public var flaggedAt: Timestamp

    /// A flag.
    public init(
        bulletin: BulletinReference, reason: Reason, since: Timestamp, rosterVersion: UInt64, flaggedAt: Timestamp
    ) {
        self.bulletin = bulletin
        self.reason = reason
        self.since = since
        self.rosterVersion = rosterVersion
        self.flaggedAt = flaggedAt
    }
}

/// A flag's reason is stored as its name (`TEXT`, e.g. `revokedKey`).
extension BulletinFlag.Reason: StoredValue {
    /// The name.
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    /// The reason of a known name; `nil` for anything else.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> BulletinFlag.Reason? {
        guard case .string(let text) = value.storage else { return nil }
        return BulletinFlag.Reason(rawValue: text)
    }

    /// `a flag reason (revokedKey)`.
    public static var storedForm: String { "a flag reason (\(allCases.map(\.rawValue).joined(separator: ", ")))" }
}
