import Clearance
import Exchange
import Observables

/// One watch-list entry: an owner, a criterion, an optional label, and the scope its owner could
/// read when it was made (alerts are raised only for bulletins within it, and shown only within
/// the owner's scope at the time of reading).
public struct WatchEntry: Sendable, Equatable {
    /// Its number in `watchlists.sqlite` (the audit log names entries by this number only).
    public var id: Int64
    /// Who keeps it.
    public var owner: WatchOwner
    /// What it watches for.
    public var criterion: WatchCriterion
    /// The owner's own words for it (never in the audit log).
    public var label: String?
    /// What the owner could read when the entry was made.
    public var scope: ReadableScope
    /// When it was made, milliseconds since 1970.
    public var createdAtMilliseconds: Int64

    /// An entry.
    public init(
        id: Int64, owner: WatchOwner, criterion: WatchCriterion, label: String?, scope: ReadableScope,
        createdAtMilliseconds: Int64
    ) {
        self.id = id
        self.owner = owner
        self.criterion = criterion
        self.label = label
        self.scope = scope
        self.createdAtMilliseconds = createdAtMilliseconds
    }
}

/// An alert: a bulletin that matched a watch-list entry.
public struct WatchAlert: Sendable, Equatable {
    /// Its number (alerts of an owner are read after a number, for `--follow` and the console).
    public var id: Int64
    /// The entry that matched, and its owner.
    public var entry: Int64
    public var owner: WatchOwner
    /// The bulletin.
    public var bulletin: BulletinReference
    /// How strongly, and why (``WatchMatch``).
    public var score: Double
    public var reason: String
    /// When it was raised, milliseconds since 1970.
    public var raisedAtMilliseconds: Int64

    /// An alert.
    public init(
        id: Int64, entry: Int64, owner: WatchOwner, bulletin: BulletinReference, score: Double, reason: String,
        raisedAtMilliseconds: Int64
    ) {
        self.id = id
        self.entry = entry
        self.owner = owner
        self.bulletin = bulletin
        self.score = score
        self.reason = reason
        self.raisedAtMilliseconds = raisedAtMilliseconds
    }
}
