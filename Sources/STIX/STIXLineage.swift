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
    /// The earlier versions of the chain known here, oldest first, the bulletin that this one
    /// corrects or withdraws last (at most ``maximumChainLength``). Empty when none is known: a
    /// correction then revokes nothing and a withdrawal only the report and incident.
    public var versions: [JSONValue]

    /// The longest chain followed: a longer one is cut there (its root taken as the last reached).
    public static let maximumChainLength = 64

    /// A lineage.
    public init(rootID: String, created: STIXTimestamp?, versions: [JSONValue] = []) {
        self.rootID = rootID
        self.created = created
        self.versions = Array(versions.suffix(Self.maximumChainLength))
    }

    /// The lineage of `bulletin`: `nil` for a bulletin that neither corrects nor withdraws;
    /// otherwise the first bulletin of its chain, found by following `corrects` through `lookup`
    /// (the bulletins known here, by id) at most ``maximumChainLength`` steps, with the versions
    /// found on the way. A bulletin corrects and withdraws only bulletins of its own origin: `nil`
    /// when it names another state's, and the chain stops where an earlier link would cross to
    /// another state.
    public static func resolve(_ bulletin: JSONValue, lookup: (String) -> JSONValue?) -> STIXLineage? {
        guard let start = bulletin["corrects"]?.stringValue ?? bulletin["withdraws"]?.stringValue,
            origin(of: start) == origin(of: bulletin["id"]?.stringValue ?? "")
        else { return nil }
        var current = start
        var seen: Set<String> = [bulletin["id"]?.stringValue ?? ""]
        var found: [JSONValue] = []
        for _ in 0..<maximumChainLength {
            guard let body = lookup(current), body["id"]?.stringValue == current else {
                return STIXLineage(rootID: current, created: nil, versions: found.reversed())
            }
            found.append(body)
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

    /// The state of a bulletin id: the part before its first `-` (`DZ` of `DZ-01J…`).
    public static func origin(of bulletinID: String) -> String {
        String(bulletinID.prefix { $0 != "-" })
    }
}
