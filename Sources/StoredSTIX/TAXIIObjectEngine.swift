import BulletinSchema
import Clearance
import Exchange
import STIX
import Store
import Synchronization
import TAXII

/// The objects of a TAXII collection (docs/TAXII.md): the STIX objects ``STIXMapper`` makes of the
/// store's bulletins an agency may receive, in the order of `date_added` (the time this node
/// stored the bulletin, then its id), paged by objects.
///
/// The store query carries the agency's scope (``ClearancePolicy/readableScope(agency:)``), so a
/// page is filled with what the agency may receive, and every bulletin is still checked with
/// ``ClearancePolicy/decide(agency:for:)`` before it is mapped. A page holds at most `limit`
/// objects; objects shared by many bulletins (markings, the extension definition, identities,
/// crossing points) come with the bulletins that reference them, once per page. A correction or
/// withdrawal is mapped with only the earlier versions of its chain the agency may receive (the
/// others give the ids, never content: ``STIXLineage/Earlier``).
///
/// With the node's search index (``links``), each bulletin also gives a `related-to` relationship
/// per correlation link its arrival made to an earlier bulletin of the same collection (the
/// policy decides the earlier bulletin as it decides the page's): computed when the page is made,
/// never cached, and only when the request can select a relationship (not for a `match[type]`
/// without `relationship`, nor a `match[id]` that names none). A bulletin is served with all its
/// relationships or not in this page: its links are resolved before any of its objects is added.
///
/// The links' work is bounded per request: the index query of each bulletin and the store reads
/// of its links (``CorrelationLinkResolver``, which reads each earlier bulletin and chain once per
/// request) count towards ``maximumLinkReadsPerRequest``; once a request has made that many, the
/// page ends before the next bulletin that has links to read, with `more` and a `next` that starts
/// at it (the first bulletin of a page is always taken, so every page moves on).
///
/// A bulletin the index has not reached yet (or whose links cannot be read now) is held back: the
/// page ends before it, with `more` and a `next` that starts at it, for at most
/// ``linkHoldBackMilliseconds`` (``correlation(of:)``); so `added_after` never passes
/// relationships by, and a client that pages by `next` alone comes back for it too.
public struct TAXIIObjectEngine: Sendable {
    /// The store's bodies, validated.
    public let bodies: StoredBulletinBodies
    /// The STIX mapping.
    public private(set) var mapper: STIXMapper
    /// The node's search index, for the correlation links; `nil`: no relationships of links.
    public let links: (any CorrelationLinkSource)?
    /// The time now, in milliseconds since the epoch (for the hold-back).
    let now: @Sendable () -> UInt64
    /// This process's monotonic clock, in milliseconds (for the hold-back's cap when the wall
    /// clock stepped back).
    let monotonicNow: @Sendable () -> UInt64
    /// When this process first held back each bulletin still held back.
    private let holdBack = LinkHoldBack()

    /// How long a bulletin the search index has not reached yet is held back: past it (an index
    /// rebuilt from the start, an indexer stopped), it is served without its relationships, which
    /// a client that polled past it then does not receive (docs/TAXII.md).
    public static let linkHoldBackMilliseconds: UInt64 = 30_000

    /// The most reads one request makes for correlation links: index queries (one per bulletin)
    /// and store reads of the earlier bulletins' summaries and chains. Past it the page ends before
    /// the next bulletin with links to read; one bulletin alone costs at most 1 + 100 × (1 + 64 +
    /// 64) reads (its links, each earlier bulletin's summary, chain walk and withdrawal search), so
    /// a request makes at most this plus that.
    public static let maximumLinkReadsPerRequest = 2_000

    /// The most bulletins one request examines: a page of objects that filters leave sparse ends
    /// there, with `more` and a cursor past what was examined.
    public static let maximumBulletinsPerRequest = 1_000
    /// The most bulletins of one correction chain read to know an object's versions: the newest
    /// of the chain (and always the bulletin the page is at).
    public static let maximumChainMembers = 64
    /// The most bulletins of one correction chain followed to find its newest members.
    public static let maximumChainLinks = 256
    /// The most mapped bulletins one request keeps (those of correction chains, mapped once).
    static let mappedCacheLimit = 128
    /// Bulletins read from the store per query.
    static let batchSize = 50

    /// An engine over `bodies` mapping with `mapper`, with the relationships of the correlation
    /// links `links` reads (none without), holding back unindexed bulletins by the clock `now`.
    /// `monotonicNow`: this process's monotonic clock in milliseconds (tests give both clocks).
    public init(
        bodies: StoredBulletinBodies, mapper: STIXMapper, links: (any CorrelationLinkSource)? = nil,
        now: @escaping @Sendable () -> UInt64 = { Timestamp.now.millisecondsSinceEpoch },
        monotonicNow: @escaping @Sendable () -> UInt64 = { LinkHoldBack.monotonicMilliseconds() }
    ) {
        self.bodies = bodies
        self.mapper = mapper
        self.links = links
        self.now = now
        self.monotonicNow = monotonicNow
    }

    /// This engine, mapping attachments with the address `base` of the web console that serves
    /// their files (``STIXMapper/Options/attachmentBase``; `nil`: none, so no `artifact`). The
    /// copy shares this engine's hold-back state.
    public func servingAttachments(at base: String?) -> TAXIIObjectEngine {
        var copy = self
        copy.mapper.options.attachmentBase = base
        return copy
    }

    /// The links of the stored bulletin `summary` to earlier bulletins: none without an index;
    /// `nil` when the bulletin is held back.
    ///
    /// A bulletin is held back while the index has not reached it, or its links cannot be read
    /// now (a busy or replaced file: the source answers ``CorrelationAnswer/notIndexedYet``, and
    /// an error it throws counts the same), until ``linkHoldBackMilliseconds`` after it was
    /// stored by the wall clock or after this process first held it back by its monotonic clock,
    /// whichever comes first: a wall clock stepped back (a `storedAt` ahead of now) cannot hold a
    /// bulletin back longer than that.
    public func correlation(of summary: BulletinSummary) -> [CorrelatedBulletin]? {
        guard let links else { return [] }
        let id = summary.id.description
        let answer: CorrelationAnswer
        do {
            answer = try links.earlierLinks(of: id)
        } catch {
            answer = .unreadable
        }
        switch answer {
        case .noIndex:
            holdBack.release(id)
            return []
        case .links(let found):
            holdBack.release(id)
            return found
        case .notIndexedYet:
            let held = holdBack.holds(
                id, storedAt: summary.storedAt.millisecondsSinceEpoch, now: now(), monotonic: monotonicNow(),
                limit: Self.linkHoldBackMilliseconds)
            return held ? nil : []
        case .unreadable:
            // Counted from the first failure by this process's clock alone: an old bulletin met
            // during a busy moment of the index is held as briefly as a new one, not served at
            // once without its links.
            let now = now()
            let held = holdBack.holds(
                id, storedAt: now, now: now, monotonic: monotonicNow(), limit: Self.linkHoldBackMilliseconds)
            return held ? nil : []
        }
    }

    /// A page and what it delivered.
    public struct Result: Sendable {
        /// The page.
        public var page: TAXIIPage
        /// The bulletins at least one of whose objects the page holds, in order (for the audit).
        public var bulletins: [String]
        /// Bulletins left out because they no longer validate or map.
        public var skipped: [InvalidStoredBulletin]
        /// The reads made for correlation links: index queries and store reads of the earlier
        /// bulletins (``maximumLinkReadsPerRequest``).
        public var linkReads = 0
    }

    /// The page of the collection `grant` describes that `filter` selects, starting at `cursor`
    /// (already checked against the request's fingerprint, which the next cursor carries).
    /// `candidates`, when given, are the only bulletins considered (those the object index names
    /// for `match[id]`); otherwise every bulletin of the store in the grant's scope. With
    /// `endWhenFound` (shared objects asked by id: one version each, the same in every bulletin
    /// that references it), the page ends, with no next, once every id of `match[id]` is in it.
    public func page(
        grant: AgencyGrant, filter: TAXIIRequestFilter, cursor: TAXIICursor?, fingerprint: UInt64,
        candidates: [String]? = nil,
        endWhenFound: Bool = false
    ) throws -> Result {
        var run = Run(engine: self, grant: grant, filter: filter, fingerprint: fingerprint)
        run.endWhenFound = endWhenFound && !filter.ids.isEmpty
        var after: BulletinCursor?
        if let cursor {
            guard let reference = try? BulletinReference(cursor.bulletinID) else {
                throw TAXIIError.badRequest("next is not a cursor this server gave for this request.")
            }
            after = BulletinCursor(storedAt: Timestamp(millisecondsSinceEpoch: cursor.storedAt), id: reference)
            // Resume inside the bulletin the previous page ended in (only if it is still the same
            // one at the same place and still admitted: a cursor can only skip).
            if let record = try bodies.reader.summaryAndBody(id: cursor.bulletinID),
                record.summary.storedAt.millisecondsSinceEpoch == cursor.storedAt,
                run.admits(record.summary, candidates: candidates)
            {
                if let next = try run.take(record.summary, body: record.body, from: cursor.objectIndex) {
                    return run.result(next: next)
                }
            }
        }
        if let candidates {
            var records: [(summary: BulletinSummary, body: [UInt8])] = []
            for id in candidates.prefix(Self.maximumBulletinsPerRequest) {
                guard let record = try bodies.reader.summaryAndBody(id: id), run.admits(record.summary, candidates: nil)
                else { continue }
                if let after, !(record.summary.cursor.isAfter(after)) { continue }
                records.append(record)
            }
            records.sort { $0.summary.cursor.isBefore($1.summary.cursor) }
            for record in records {
                if let next = try run.take(record.summary, body: record.body, from: 0) { return run.result(next: next) }
            }
            return run.result(next: nil)
        }
        guard var query = Self.query(grant: grant, filter: filter) else { return run.result(next: nil) }
        query.after = after
        while true {
            let batch = try bodies.reader.pageWithBodies(query)
            for record in batch.items {
                if let next = try run.take(record.summary, body: record.body, from: 0) { return run.result(next: next) }
                if run.found { return run.result(next: nil) }
                if run.examined >= Self.maximumBulletinsPerRequest,
                    batch.next != nil || record.summary.id != batch.items.last?.summary.id
                {
                    // The work bound: the next page starts after this bulletin.
                    return run.result(next: run.cursor(after: record.summary))
                }
            }
            guard let next = batch.next else { return run.result(next: nil) }
            query.after = next
        }
    }

    /// The store query of the grant's scope, oldest first, stored strictly after `added_after`;
    /// `nil` when the grant admits nothing.
    static func query(grant: AgencyGrant, filter: TAXIIRequestFilter) -> BulletinQuery? {
        var query = BulletinQuery(limit: batchSize)
        query.oldestFirst = true
        switch ClearancePolicy.readableScope(agency: grant) {
        case .nothing: return nil
        case .everything: break
        case .restricted(let groups, let tlps, let permitted):
            query.workingGroups = Set(groups.map(\.rawValue))
            query.tlps = tlps
            query.permittedHandling = permitted
        }
        if let after = filter.addedAfter {
            // Stored times are whole milliseconds: strictly after t is at or after ⌊t⌋ + 1 ms.
            guard after.millisecondsSinceEpoch < Int64.max else { return nil }
            query.storedSince = Timestamp(millisecondsSinceEpoch: UInt64(max(0, after.millisecondsSinceEpoch + 1)))
        }
        return query
    }

    /// The access facts of a stored bulletin, as the policy reads them.
    public static func facts(_ summary: BulletinSummary) -> BulletinAccessFacts {
        BulletinAccessFacts(
            tlp: summary.tlp, workingGroup: summary.workingGroup.flatMap(WorkingGroup.init(rawValue:)),
            handling: Set(summary.handling),
            origin: summary.origin.description, isOwn: summary.isOwn)
    }

    /// One request's assembly of a page.
    private struct Run {
        let engine: TAXIIObjectEngine
        let grant: AgencyGrant
        let filter: TAXIIRequestFilter
        let fingerprint: UInt64
        let resolver: STIXLineageResolver
        var versions: [TAXIIObjectVersion] = []
        var emitted: Set<String> = []
        var bulletins: [String] = []
        var skipped: [InvalidStoredBulletin] = []
        var examined = 0
        /// Set by ``page``: end once every id asked for is in the page.
        var endWhenFound = false
        /// Whether this request can select a relationship of a correlation link: the engine has
        /// an index, `match[type]` (when given) names `relationship` and `match[id]` (when
        /// given) names one. Otherwise no link is read and nothing is held back.
        let wantsLinks: Bool
        /// The store reads of the links, remembered for the whole request.
        var linkResolver: CorrelationLinkResolver
        /// The index queries made.
        var indexReads = 0
        /// The reads made for links so far (``TAXIIObjectEngine/maximumLinkReadsPerRequest``).
        var linkReads: Int { indexReads + linkResolver.reads }
        /// Whether a bulletin's links were read in this request (the first always is).
        var linksRead = false
        /// The ids of the objects in the page.
        var ids: Set<String> = []
        /// Whether ``endWhenFound`` is met.
        var found: Bool { endWhenFound && filter.ids.isSubset(of: ids) }
        /// The known versions of each object id of the chains met, by the chain's first bulletin.
        var chains: [String: [String: Set<STIXTimestamp>]] = [:]
        /// The objects of the chains' bulletins mapped in this request (`nil`: it does not map),
        /// by bulletin id, at most ``TAXIIObjectEngine/mappedCacheLimit``.
        var mapped: [String: [STIXObject]?] = [:]
        /// The ids of ``mapped``, oldest first.
        var mappedOrder: [String] = []

        init(engine: TAXIIObjectEngine, grant: AgencyGrant, filter: TAXIIRequestFilter, fingerprint: UInt64) {
            self.engine = engine
            self.grant = grant
            self.filter = filter
            self.fingerprint = fingerprint
            wantsLinks =
                engine.links != nil && (filter.types.isEmpty || filter.types.contains("relationship"))
                && (filter.ids.isEmpty || filter.ids.contains { $0.hasPrefix("relationship--") })
            linkResolver = CorrelationLinkResolver(reader: engine.bodies.reader)
            // An earlier version the agency may not receive is never mapped: its objects are not
            // revoked for it (their names, places and markings would reach it).
            resolver = engine.bodies.lineageResolver { summary in
                ClearancePolicy.decide(agency: grant, for: TAXIIObjectEngine.facts(summary)).isAllowed
            }
        }

        /// Whether the bulletin is one the page may come from: in the agency's scope (the
        /// policy decides), stored after `added_after`, and one of `candidates` when given.
        func admits(_ summary: BulletinSummary, candidates: [String]?) -> Bool {
            if let candidates, !candidates.contains(summary.id.description) { return false }
            if let after = filter.addedAfter,
                Int64(clamping: summary.storedAt.millisecondsSinceEpoch) <= after.millisecondsSinceEpoch
            {
                return false
            }
            return ClearancePolicy.decide(agency: grant, for: TAXIIObjectEngine.facts(summary)).isAllowed
        }

        func cursor(after summary: BulletinSummary, index: Int = Int(UInt16.max)) -> TAXIICursor {
            TAXIICursor(
                storedAt: summary.storedAt.millisecondsSinceEpoch, bulletinID: summary.id.description,
                objectIndex: index,
                fingerprint: fingerprint)
        }

        func result(next: TAXIICursor?) -> Result {
            Result(
                page: TAXIIPage(versions: versions, next: next), bulletins: bulletins, skipped: skipped,
                linkReads: linkReads)
        }

        /// Adds the bulletin's selected objects from `start`; returns the next page's cursor once
        /// the page is full and an object remains, or a cursor at this bulletin (from `start`)
        /// when the page ends before it: the bulletin is held back (``correlation(of:)``), or the
        /// request has made ``TAXIIObjectEngine/maximumLinkReadsPerRequest`` reads for links.
        mutating func take(_ summary: BulletinSummary, body: [UInt8], from start: Int) throws -> TAXIICursor? {
            examined += 1
            // The policy decides every bulletin, whatever the query already narrowed.
            guard ClearancePolicy.decide(agency: grant, for: TAXIIObjectEngine.facts(summary)).isAllowed else {
                return nil
            }
            let id = summary.id.description
            var correlated: [CorrelatedBulletin] = []
            if wantsLinks {
                // The work bound: a page that has read enough for links ends before this bulletin,
                // which the next page starts at (served then with all its relationships).
                if linksRead, linkReads >= TAXIIObjectEngine.maximumLinkReadsPerRequest {
                    return cursor(after: summary, index: start)
                }
                linksRead = true
                indexReads += 1
                guard let found = engine.correlation(of: summary) else {
                    // Held back: the page ends before it; the next starts at it.
                    return cursor(after: summary, index: start)
                }
                correlated = found
            }
            let inChain = summary.correctsID != nil || summary.withdrawsID != nil
            guard let mapped = cachedMap(id: id, body: body, keep: inChain) else { return nil }
            // The links' relationships, for this agency: only to bulletins its collection holds.
            var objects = mapped
            if !correlated.isEmpty {
                let grant = self.grant
                let links = try linkResolver.stixLinks(correlated) {
                    ClearancePolicy.decide(agency: grant, for: TAXIIObjectEngine.facts($0)).isAllowed
                }
                objects += STIXMapper.linkRelationships(links, of: mapped, bulletinID: id)
            }
            let known = try versions(of: summary, objects: objects)
            let selected = objects.filter { select($0, known: known) }
            guard start < selected.count else { return nil }
            let added = STIXTimestamp(millisecondsSinceEpoch: Int64(clamping: summary.storedAt.millisecondsSinceEpoch))
            var delivered = false
            for index in start..<selected.count {
                let object = selected[index]
                guard !emitted.contains(object.id + " " + object.modified) else { continue }
                if versions.count >= filter.limit { return cursor(after: summary, index: index) }
                emitted.insert(object.id + " " + object.modified)
                ids.insert(object.id)
                versions.append(TAXIIObjectVersion(object: object, dateAdded: added))
                delivered = true
            }
            if delivered { bulletins.append(id) }
            return nil
        }

        /// The bulletin's JSON and objects; `nil` (and named in ``skipped``) when it does not
        /// validate or map.
        mutating func map(id: String, body: [UInt8]) -> (JSONValue, [STIXObject])? {
            do {
                let json = try engine.bodies.json(id: id, body: body)
                return (json, try engine.mapper.objects(for: json, lineage: resolver.lineage(of: json)))
            } catch let error as InvalidStoredBulletin {
                skipped.append(error)
            } catch {
                skipped.append(InvalidStoredBulletin(id: id, description: "it does not map to STIX: \(error)"))
            }
            return nil
        }

        /// The bulletin's objects through ``mapped`` (kept there when `keep`).
        mutating func cachedMap(id: String, body: [UInt8], keep: Bool) -> [STIXObject]? {
            if let known = mapped[id] { return known }
            let objects = map(id: id, body: body)?.1
            if keep {
                if mappedOrder.count >= TAXIIObjectEngine.mappedCacheLimit { mapped[mappedOrder.removeFirst()] = nil }
                mapped[id] = .some(objects)
                mappedOrder.append(id)
            }
            return objects
        }

        /// Whether `object` passes the filters: type, id, spec version and version.
        func select(_ object: STIXObject, known: [String: [STIXTimestamp]]) -> Bool {
            if !filter.types.isEmpty, !filter.types.contains(object.type) { return false }
            if !filter.ids.isEmpty, !filter.ids.contains(object.id) { return false }
            guard filter.admits(specVersion: object.content["spec_version"]?.stringValue ?? "") else { return false }
            guard let version = STIXTimestamp(rfc3339: object.modified) else { return false }
            return filter.admits(version: version, among: known[object.id] ?? [version])
        }

        /// The versions of the bulletin's objects the agency may receive: for a bulletin outside
        /// any correction chain, its own; otherwise its own and those of the bulletins of its chain
        /// the policy admits. The chain holds only bulletins of its first bulletin's origin (a
        /// bulletin of another state that names one of them is no part of it, so it cannot crowd
        /// the origin's out); of a longer chain the newest ``maximumChainMembers`` are read
        /// (``maximumChainLinks`` followed at most).
        mutating func versions(of summary: BulletinSummary, objects: [STIXObject]) throws -> [String: [STIXTimestamp]] {
            let reader = engine.bodies.reader
            let id = summary.id.description
            if summary.correctsID == nil, summary.withdrawsID == nil, try reader.laterBulletins(of: id).isEmpty {
                return [:]
            }
            // The chain's first bulletin: up through corrects/withdraws, within the origin.
            var root = summary
            for _ in 0..<TAXIIObjectEngine.maximumChainMembers {
                guard let previous = root.correctsID ?? root.withdrawsID, previous.origin == root.origin,
                    let record = try reader.summaryAndBody(id: previous.description)
                else { break }
                root = record.summary
            }
            let key = root.id.description
            var known: [String: Set<STIXTimestamp>]
            if let cached = chains[key] {
                known = cached
            } else {
                known = try chainVersions(root: root, current: id, objects: objects)
            }
            // The bulletin's own versions, wherever it stands in a long chain.
            for object in objects {
                if let version = STIXTimestamp(rfc3339: object.modified) {
                    known[object.id, default: []].insert(version)
                }
            }
            chains[key] = known
            return known.mapValues { $0.sorted() }
        }

        /// The versions of the objects of the newest bulletins of the chain `root` begins that the
        /// agency may receive (`current`, whose `objects` are given, is not mapped again).
        mutating func chainVersions(root: BulletinSummary, current: String, objects: [STIXObject]) throws
            -> [String: Set<STIXTimestamp>]
        {
            let reader = engine.bodies.reader
            let origin = root.id.origin
            // Every bulletin of the chain from its first, breadth first, of the root's origin only.
            var members: [BulletinCursor] = [root.cursor]
            var seen: Set<String> = [root.id.description]
            var index = 0
            links: while index < members.count {
                for link in try reader.laterBulletins(of: members[index].id.description)
                where link.id.origin == origin && !seen.contains(link.id.description) {
                    guard members.count < TAXIIObjectEngine.maximumChainLinks else { break links }
                    seen.insert(link.id.description)
                    members.append(BulletinCursor(storedAt: link.storedAt, id: link.id))
                }
                index += 1
            }
            // The newest, in the order of date_added.
            members.sort { $0.isBefore($1) }
            var known: [String: Set<STIXTimestamp>] = [:]
            for member in members.suffix(TAXIIObjectEngine.maximumChainMembers) {
                let memberID = member.id.description
                let memberObjects: [STIXObject]
                if memberID == current {
                    memberObjects = objects
                } else {
                    guard let record = try reader.summaryAndBody(id: memberID),
                        ClearancePolicy.decide(agency: grant, for: TAXIIObjectEngine.facts(record.summary)).isAllowed,
                        let found = cachedMap(id: memberID, body: record.body, keep: true)
                    else { continue }
                    memberObjects = found
                }
                for object in memberObjects {
                    if let version = STIXTimestamp(rfc3339: object.modified) {
                        known[object.id, default: []].insert(version)
                    }
                }
            }
            return known
        }
    }
}

extension BulletinCursor {
    /// Whether this position comes before `other` in the order of `date_added`.
    func isBefore(_ other: BulletinCursor) -> Bool {
        (storedAt.millisecondsSinceEpoch, id.description) < (
            other.storedAt.millisecondsSinceEpoch, other.id.description
        )
    }

    /// Whether this position comes after `other`.
    func isAfter(_ other: BulletinCursor) -> Bool { other.isBefore(self) }
}

/// When this process first held back each bulletin the search index has not reached
/// (``TAXIIObjectEngine/correlation(of:)``): what caps the hold-back by the monotonic clock when
/// the wall clock stepped back. A page ends at the first bulletin it holds back, so few are held at
/// once; at most ``maximumHeld`` are remembered (past it, those either clock released are
/// forgotten, and a new one that still finds no room is not held back at all: never a hold
/// without the monotonic bound).
public final class LinkHoldBack: Sendable {
    private let first = Mutex<[String: (monotonic: UInt64, storedAt: UInt64)]>([:])
    /// The most bulletins remembered.
    static let maximumHeld = 4_096
    private static let start = ContinuousClock.now

    /// None held.
    init() {}

    /// Milliseconds of this process's monotonic clock (since its first read).
    public static func monotonicMilliseconds() -> UInt64 {
        let elapsed = (ContinuousClock.now - start).components
        return UInt64(max(0, elapsed.seconds)) * 1_000 + UInt64(max(0, elapsed.attoseconds) / 1_000_000_000_000_000)
    }

    /// Whether the bulletin `id`, stored at `storedAt` (wall clock, ms) and not indexed, is still
    /// held back at `now` (wall clock) and `monotonic` (this process's clock): until `limit` after
    /// `storedAt` by the wall clock or after the first call for it by the monotonic clock.
    func holds(_ id: String, storedAt: UInt64, now: UInt64, monotonic: UInt64, limit: UInt64) -> Bool {
        let wallElapsed = now >= storedAt && now - storedAt >= limit
        return first.withLock { first in
            if wallElapsed {
                first[id] = nil
                return false
            }
            if let seen = first[id] { return monotonic &- seen.monotonic < limit }
            if first.count >= Self.maximumHeld {
                // Forget those either clock has released.
                first = first.filter { _, held in
                    (now < held.storedAt || now - held.storedAt < limit) && monotonic &- held.monotonic < limit
                }
            }
            // Full of bulletins still held: one that cannot be remembered is not held at all, so
            // that nothing is held without the monotonic bound.
            guard first.count < Self.maximumHeld else { return false }
            first[id] = (monotonic, storedAt)
            return true
        }
    }

    /// Forgets `id`: the index reached it.
    func release(_ id: String) {
        first.withLock { first in
            if !first.isEmpty { first[id] = nil }
        }
    }
}
