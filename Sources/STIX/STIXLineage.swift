import BulletinSchema

/// Where a bulletin stands in its chain of corrections: a correction or a withdrawal is a new
/// version of the objects of the chain's first bulletin, so its objects take that bulletin's ids
/// (``rootID``) and its first version's `created` (``created``); the earlier versions known here
/// (``versions``) tell which objects it replaces and which it revokes.
public struct STIXLineage: Sendable, Hashable {
    /// The id of the chain's first bulletin (the one that corrects nothing).
    public var rootID: String
    /// When the first version was created (its `reportedAt`); `nil` when that bulletin is not
    /// known here: the later bulletin's own time is used.
    public var created: STIXTimestamp?
    /// The earlier versions of the chain known here that the recipient may have, oldest first, the
    /// bulletin that this one corrects or withdraws last (at most ``maximumChainLength``). Empty
    /// when none is: a correction then revokes nothing and a withdrawal only the report and
    /// incident.
    public var versions: [JSONValue]

    /// The longest chain followed: a longer one is cut there (its root taken as the last reached).
    public static let maximumChainLength = 64

    /// A lineage.
    public init(rootID: String, created: STIXTimestamp?, versions: [JSONValue] = []) {
        self.rootID = rootID
        self.created = created
        self.versions = Array(versions.suffix(Self.maximumChainLength))
    }

    /// An earlier bulletin of a chain as a lookup finds it: its JSON, and whether the recipient of
    /// the mapping may have it (its clearance, the export's TLP and handling filter). One it may
    /// not have is only passed through on the way to the chain's first bulletin: the walk reads its
    /// `id` and `corrects` and, when it is that first bulletin, its `reportedAt` as ``created`` (a
    /// time, not content); it is never among ``versions``, so nothing of it is mapped or revoked.
    public struct Earlier: Sendable {
        /// The bulletin's validated JSON.
        public var bulletin: JSONValue
        /// Whether the recipient may have it.
        public var receivable: Bool

        /// An earlier bulletin the recipient may have (`receivable`) or not.
        public init(bulletin: JSONValue, receivable: Bool) {
            self.bulletin = bulletin
            self.receivable = receivable
        }
    }

    /// The lineage of `bulletin`: `nil` for a bulletin that neither corrects nor withdraws;
    /// otherwise the first bulletin of its chain, found by following `corrects` through `lookup`
    /// (the bulletins known here, by id) at most ``maximumChainLength`` steps, with the versions
    /// found on the way. A bulletin corrects and withdraws only bulletins of its own origin: `nil`
    /// when it names another state's, and the chain stops where an earlier link would cross to
    /// another state.
    public static func resolve(_ bulletin: JSONValue, lookup: (String) -> JSONValue?) -> STIXLineage? {
        resolveForRecipient(bulletin, earlier: { id in lookup(id).map { Earlier(bulletin: $0, receivable: true) } })
    }

    /// The lineage of `bulletin` as ``resolve(_:lookup:)`` finds it, for a recipient that may not
    /// have every earlier version: `lookup` tells which (``Earlier/receivable``). The chain's first
    /// bulletin (so the objects' ids) is the same for every recipient; ``versions`` holds only the
    /// earlier versions the recipient may have, so a correction revokes only objects it may have
    /// received (one it may not have is treated as a version not known here).
    public static func resolveForRecipient(_ bulletin: JSONValue, earlier lookup: (String) -> Earlier?) -> STIXLineage?
    {
        guard let start = bulletin["corrects"]?.stringValue ?? bulletin["withdraws"]?.stringValue,
            origin(of: start) == origin(of: bulletin["id"]?.stringValue ?? "")
        else { return nil }
        var current = start
        var seen: Set<String> = [bulletin["id"]?.stringValue ?? ""]
        var found: [JSONValue] = []
        for _ in 0..<maximumChainLength {
            guard let entry = lookup(current), entry.bulletin["id"]?.stringValue == current else {
                return STIXLineage(rootID: current, created: nil, versions: found.reversed())
            }
            let body = entry.bulletin
            if entry.receivable { found.append(body) }
            guard let previous = body["corrects"]?.stringValue, !seen.contains(previous),
                origin(of: previous) == origin(of: current)
            else {
                return STIXLineage(
                    rootID: current, created: body["reportedAt"]?.stringValue.flatMap(STIXTimestamp.init(rfc3339:)),
                    versions: found.reversed())
            }
            seen.insert(current)
            current = previous
        }
        return STIXLineage(rootID: current, created: nil, versions: found.reversed())
    }

    /// The first bulletin of the chain of `bulletinID`, found from ids alone (the node's store
    /// summaries, no body read) as ``resolveForRecipient(_:earlier:)`` finds ``rootID``:
    /// `naming` is what the bulletin corrects or withdraws (`nil`: it begins its chain);
    /// `corrects(id)` is `nil` when the bulletin `id` is not known here (the chain stops there),
    /// otherwise what it corrects (`.some(nil)`: nothing). Within the bulletin's origin, at most
    /// ``maximumChainLength`` steps.
    public static func rootID(of bulletinID: String, naming: String?, corrects: (String) -> String??) -> String {
        guard let start = naming, origin(of: start) == origin(of: bulletinID) else { return bulletinID }
        var current = start
        var seen: Set<String> = [bulletinID]
        for _ in 0..<maximumChainLength {
            guard let known = corrects(current) else { return current }
            guard let previous = known, !seen.contains(previous), origin(of: previous) == origin(of: current) else {
                return current
            }
            seen.insert(current)
            current = previous
        }
        return current
    }

    /// The state of a bulletin id: the part before its first `-` (`DZ` of `DZ-01J…`).
    public static func origin(of bulletinID: String) -> String {
        String(bulletinID.prefix { $0 != "-" })
    }
}
