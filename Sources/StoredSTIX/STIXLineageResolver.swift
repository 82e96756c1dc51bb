import BulletinSchema
import STIX

/// Places bulletins in their correction chains (``STIXLineage/resolveForRecipient(_:earlier:)``) by looking
/// earlier bulletins up once: `export stix` and the TAXII server share it. A bulletin looked up is
/// kept for the next chain (at most ``cacheLimit`` of them, the oldest looked up dropped first),
/// so a chain is read once per export or page.
///
/// The lookup says whether the recipient may have each earlier bulletin
/// (``STIXLineage/Earlier/receivable``): one it may not have is followed to the chain's first
/// bulletin and never mapped, so nothing of it reaches the recipient.
public final class STIXLineageResolver {
    /// The most bulletins kept (a body is at most 64 KiB: 16 MiB at most).
    public static let cacheLimit = 256
    private let lookup: (String) -> STIXLineage.Earlier?
    private var cache: [String: STIXLineage.Earlier?] = [:]
    /// The ids of ``cache``, oldest first.
    private var order: [String] = []

    /// A resolver that finds a bulletin by id with `lookup` (`nil`: not known here, or not valid),
    /// every bulletin found one the recipient may have.
    public convenience init(lookup: @escaping (String) -> JSONValue?) {
        self.init(earlier: { id in lookup(id).map { STIXLineage.Earlier(bulletin: $0, receivable: true) } })
    }

    /// A resolver that finds a bulletin by id with `lookup` (`nil`: not known here, or not valid),
    /// and whether the recipient may have it.
    public init(earlier lookup: @escaping (String) -> STIXLineage.Earlier?) {
        self.lookup = lookup
    }

    /// The bulletin `id` names, through the cache.
    public func earlier(_ id: String) -> STIXLineage.Earlier? {
        if let known = cache[id] { return known }
        let value = lookup(id)
        if order.count >= Self.cacheLimit {
            cache[order.removeFirst()] = nil
        }
        cache[id] = .some(value)
        order.append(id)
        return value
    }

    /// The lineage of `bulletin` (``STIXLineage/resolveForRecipient(_:earlier:)``).
    public func lineage(of bulletin: JSONValue) -> STIXLineage? {
        STIXLineage.resolveForRecipient(bulletin, earlier: { self.earlier($0) })
    }
}
