import BulletinSchema
import STIX

/// Places bulletins in their correction chains (``STIXLineage/resolve(_:lookup:)``) by looking
/// earlier bulletins up once: `export stix` and the TAXII server share it. A bulletin looked up is
/// kept for the next chain (at most ``cacheLimit`` of them), so a chain is read once per export or
/// page.
public final class STIXLineageResolver {
    /// The most bulletins kept.
    public static let cacheLimit = 10_000
    private let lookup: (String) -> JSONValue?
    private var cache: [String: JSONValue?] = [:]

    /// A resolver that finds a bulletin by id with `lookup` (`nil`: not known here, or not valid).
    public init(lookup: @escaping (String) -> JSONValue?) {
        self.lookup = lookup
    }

    /// The bulletin `id` names, through the cache.
    public func bulletin(_ id: String) -> JSONValue? {
        if let known = cache[id] { return known }
        let value = lookup(id)
        if cache.count < Self.cacheLimit { cache[id] = value }
        return value
    }

    /// The lineage of `bulletin` (``STIXLineage/resolve(_:lookup:)``).
    public func lineage(of bulletin: JSONValue) -> STIXLineage? {
        STIXLineage.resolve(bulletin) { self.bulletin($0) }
    }
}
