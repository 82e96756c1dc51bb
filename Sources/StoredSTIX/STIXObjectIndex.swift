import BulletinSchema
import STIX
import Store
import Synchronization

/// Which stored bulletins give a STIX object id, for `objects/{id}/`, `versions` and `match[id]`:
/// the ids are UUIDv5 hashes, so the store cannot be asked for them. Built by mapping every
/// bulletin of the store once, oldest first, and kept current by mapping what was stored since
/// (``catchUp(budget:)``). With the node's search index, a bulletin's objects include the
/// relationships of its correlation links, named from the links alone (one index query per
/// bulletin, no store read: ``STIXMapper/linkRelationshipID(later:earlier:kind:confidence:reason:)``);
/// a superset, as the engine decides each candidate for the agency asking (an earlier bulletin it
/// may not read, a withdrawn chain). The index stops before a bulletin the engine holds back.
///
/// Bounded in memory: an object is kept as the first 64 bits of its UUID and the slot of its
/// bulletin (a collision only adds a candidate, which the engine then checks against the full
/// id). Objects shared by many bulletins (those without `object_marking_refs`: markings, the
/// extension definition, identities of states, crossing points) are not indexed: the engine finds
/// them among the collection's bulletins.
public final class STIXObjectIndex: Sendable {
    private let engine: TAXIIObjectEngine
    private let state = Mutex(State())
    /// Held through a catch-up: one at a time.
    private let catchingUp = Mutex(())

    private struct State {
        var bulletins: [String] = []
        var single: [UInt64: UInt32] = [:]
        var more: [UInt64: [UInt32]] = [:]
        var position: BulletinCursor?
        var caughtUp = false
        /// The ids of the shared objects met (markings, identities, crossing points…): few.
        var shared: Set<String> = []
    }

    /// The most shared object ids kept (the crossing points of a region's list are the many).
    public static let maximumSharedIDs = 10_000

    /// An index of the store `engine` reads, mapped as `engine` maps.
    public init(engine: TAXIIObjectEngine) {
        self.engine = engine
    }

    /// Maps at most `budget` bulletins stored since the last call; returns whether the index now
    /// covers every bulletin stored. One catch-up at a time (the others wait for it); the index
    /// is locked only to insert what a batch mapped, so lookups never wait for the mapping.
    @discardableResult
    public func catchUp(budget: Int) throws -> Bool {
        try catchingUp.withLock { _ in
            var query = BulletinQuery(limit: 200)
            query.oldestFirst = true
            query.after = state.withLock { $0.position }
            var mapped = 0
            // Every earlier version counts: the index serves every agency, and the engine decides
            // each candidate for the agency asking.
            let resolver = engine.bodies.lineageResolver { _ in true }
            while mapped < budget {
                query.limit = min(200, budget - mapped)
                let batch = try engine.bodies.reader.pageWithBodies(query)
                var entries: [(id: String, objects: [STIXObject]?, links: [String])] = []
                var position: BulletinCursor?
                var heldBack = false
                for record in batch.items {
                    // A bulletin the search index has not reached yet is not served (the engine
                    // holds it back): the index stops before it and takes it at a later call,
                    // with the relationships of its links.
                    guard let correlated = engine.correlation(of: record.summary) else {
                        heldBack = true
                        break
                    }
                    mapped += 1
                    let id = record.summary.id.description
                    let json = try? engine.bodies.json(id: id, body: record.body)
                    let objects = json.flatMap {
                        try? engine.mapper.objects(for: $0, lineage: resolver.lineage(of: $0))
                    }
                    entries.append((id, objects, Self.linkRelationshipIDs(correlated, of: id)))
                    position = record.summary.cursor
                }
                state.withLock { state in
                    if let position { state.position = position }
                    for entry in entries {
                        Self.insert(entry.id, objects: entry.objects, linkIDs: entry.links, into: &state)
                    }
                }
                if heldBack {
                    // Everything the engine serves now is indexed.
                    state.withLock { $0.caughtUp = true }
                    return true
                }
                guard let next = batch.next else {
                    state.withLock { $0.caughtUp = true }
                    return true
                }
                query.after = next
            }
            state.withLock { $0.caughtUp = false }
            return false
        }
    }

    /// The ids of the relationships the links `correlated` may give the bulletin `id`, made of the
    /// links alone (the engine gives no more: it resolves the same links, then leaves some out).
    static func linkRelationshipIDs(_ correlated: [CorrelatedBulletin], of id: String) -> [String] {
        correlated.prefix(STIXMapper.maximumLinksPerBulletin).compactMap { link in
            guard link.earlierID != id, let confidence = STIXMapper.linkConfidence(score: link.score) else { return nil }
            return STIXMapper.linkRelationshipID(
                later: id, earlier: link.earlierID, kind: link.kind, confidence: confidence, reason: link.reason)
        }
    }

    /// Indexes the objects of the bulletin `id` and the relationship ids `linkIDs` (`nil`
    /// objects: it does not map, nothing to index).
    private static func insert(_ id: String, objects: [STIXObject]?, linkIDs: [String], into state: inout State) {
        guard let objects else { return }
        let slot = UInt32(state.bulletins.count)
        state.bulletins.append(id)
        for object in objects where object.content["object_marking_refs"] == nil {
            if state.shared.count < maximumSharedIDs { state.shared.insert(object.id) }
        }
        let owned = objects.filter { $0.content["object_marking_refs"] != nil }.map(\.id) + linkIDs
        for objectID in owned {
            guard let key = key(objectID) else { continue }
            if let first = state.single[key] {
                if first != slot, !(state.more[key]?.contains(slot) ?? false) {
                    state.more[key, default: []].append(slot)
                }
            } else {
                state.single[key] = slot
            }
        }
    }

    /// The bulletins whose objects may include one of `ids` (a superset: the engine checks).
    public func candidates(for ids: Set<String>) -> [String] {
        state.withLock { state in
            var slots: Set<UInt32> = []
            for id in ids {
                guard let key = Self.key(id), let first = state.single[key] else { continue }
                slots.insert(first)
                for slot in state.more[key] ?? [] { slots.insert(slot) }
            }
            return slots.sorted().map { state.bulletins[Int($0)] }
        }
    }

    /// Which of `ids` are shared objects (no bulletin of their own: markings, the extension
    /// definition, identities of states, crossing points) met in the store's bulletins.
    public func sharedIDs(among ids: Set<String>) -> Set<String> {
        state.withLock { state in ids.intersection(state.shared) }
    }

    /// How many bulletins are indexed.
    public var count: Int { state.withLock { $0.bulletins.count } }

    /// The first 64 bits of the UUID of `<type>--<uuid>`.
    static func key(_ id: String) -> UInt64? {
        guard let range = id.range(of: "--") else { return nil }
        let hex = id[range.upperBound...].utf8.filter { $0 != UInt8(ascii: "-") }.prefix(16)
        guard hex.count == 16 else { return nil }
        var value: UInt64 = 0
        for byte in hex {
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }
}
