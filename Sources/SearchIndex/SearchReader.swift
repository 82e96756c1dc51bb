import Clearance
import Exchange
import Foundation
import GRDB
import Names
import Observables
import Store

/// The read-only view of `search.sqlite` for the console and the command line: searches, a
/// bulletin's links, alerts. Every answer is held to the reader's ``ReadableScope``.
///
/// Opened beside a running node as the console's `BulletinReader` opens the store: read-only
/// connections of a pool (WAL: reads never block the indexer), a file of another schema version
/// refused. Safe to share between threads.
public struct SearchReader: Sendable {
    /// The path of the index file.
    public let path: String
    let database: ReadOnlyDatabase

    /// The persons of one bucket (the query name's rarest pair or unit key) scored at most,
    /// newest first, for one page.
    public static let maximumNameCandidates = 2_000
    /// How far a bucket is counted when choosing the rarest key.
    static let bucketCountBound = 5_000
    /// The most words of a query's text searched (the rest is ignored).
    public static let maximumWords = 16
    /// The most links ``links(of:scope:)`` returns.
    public static let maximumLinks = 100
    /// The observable kind of crossing points in the `observable` table.
    static let crossingPointKind = "crossing-point"

    /// Opens the index at `path` read-only. Throws ``StoreError/cannotOpen(file:path:cause:)``
    /// when there is no index there yet (the node creates it when its indexer starts), and a
    /// schema error when another BorderNet version wrote it.
    public init(path: String) throws(StoreError) {
        self.path = path
        database = try ReadOnlyDatabase(
            name: SearchIndex.fileName, path: path, migrator: SearchIndexMigrations.migrator, label: "bordernet-search-reader")
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        try database.read(operation, body)
    }

    /// The key a crossing-point code is filed and looked up under (codes are compared without case).
    static func crossingPointKey(_ code: String) -> String {
        code.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }

    // MARK: Search

    /// A page of results for `query`, newest first (by the store's commit order).
    ///
    /// The text's folded words must all appear (each is quoted: FTS5's syntax is only text here);
    /// the same text read as a person's name finds the persons of the rarest of its pair keys (or,
    /// for one unit, of its unit keys), newest first, a chunk at a time until the page is full
    /// (at most ``maximumNameCandidates`` scored), whose score reaches
    /// ``NameMatcher/threshold``. Both kinds of hit are merged; the filters and the scope hold for
    /// both. A text with no word and no name matches nothing.
    ///
    /// The text index, and the facts when no identifier or crossing point is asked, are read
    /// newest first in chunks, at most ``SearchFilter/maximumRowsExamined`` rows a page
    /// (`examining`): when that bound stops the scan, the page holds what was found above the
    /// last row examined and its `next` cursor goes on below it, so every page costs a bounded
    /// amount even for a reader whose scope admits few of the matches.
    public func search(_ query: SearchQuery) throws(StoreError) -> SearchPage {
        try search(query, examining: SearchFilter.maximumRowsExamined)
    }

    func search(_ query: SearchQuery, examining: Int) throws(StoreError) -> SearchPage {
        guard let filter = SearchFilter(query) else { return SearchPage(hits: [], next: nil) }
        let limit = max(1, min(query.limit, SearchQuery.maximumLimit))
        let text = query.text.map {
            String(String.UnicodeScalarView($0.unicodeScalars.prefix(SearchQuery.maximumTextLength)))
        }
        let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return try read("search") { db in
            var found: [Int64: SearchHit] = [:]
            func add(_ rows: [Row], reason: (Int64) -> String?) throws {
                for row in rows {
                    let rowid: Int64 = row["rowid"]
                    if var hit = found[rowid] {
                        if let reason = reason(rowid), !hit.reasons.contains(reason) { hit.reasons.append(reason) }
                        found[rowid] = hit
                    } else if let hit = try Self.hit(row, reasons: (reason(rowid).map { [$0] } ?? []) + filter.reasons)
                    {
                        found[rowid] = hit
                    }
                }
            }
            // The lowest row a bounded scan examined when its bound stopped it: nothing below is
            // on this page, and the next page starts there.
            var stoppedAt: Int64?
            if trimmed.isEmpty {
                let scanned = try filter.fetch(db, limit: limit + 1, examining: examining)
                stoppedAt = scanned.stoppedAt
                try add(scanned.rows, reason: { _ in nil })
            } else {
                if let match = Self.ftsMatch(trimmed) {
                    let scanned = try filter.fetchText(db, match: match, limit: limit + 1, examining: examining)
                    stoppedAt = scanned.stoppedAt
                    try add(scanned.rows, reason: { _ in "text" })
                }
                let name = PersonName(trimmed)
                if !name.units.isEmpty, let bucket = try Self.nameBucket(db, name: name) {
                    // The bucket newest first, a chunk at a time, until the page is full: the
                    // persons scored are bounded (maximumNameCandidates) and a common name
                    // stops after its first chunk.
                    var bound = try Self.personBound(db, before: query.after?.row)
                    var scanned = 0
                    var nameHits = 0
                    while let upper = bound, scanned < Self.maximumNameCandidates, nameHits <= limit {
                        let chunk = try Self.nameCandidates(
                            db, name: name, bucket: bucket, atOrBelow: upper, count: Self.nameChunk)
                        scanned += chunk.scanned
                        bound = chunk.nextBound
                        guard !chunk.scored.isEmpty else { continue }
                        let rows = try filter.fetch(db, among: Array(chunk.scored.keys), limit: limit + 1)
                        nameHits += rows.count
                        try add(rows) { rowid in
                            chunk.scored[rowid].map { "name \(Self.formatted($0.score)): \($0.name)" }
                        }
                    }
                }
            }
            let ordered = found.filter { $0.key >= stoppedAt ?? 0 }.sorted { $0.key > $1.key }
            let page = ordered.prefix(limit)
            let next = ordered.count > limit ? page.last.map { SearchCursor(row: $0.key) } : stoppedAt.map { SearchCursor(row: $0) }
            return SearchPage(hits: page.map(\.value), next: next)
        }
    }

    /// A score as people read it: two decimals.
    static func formatted(_ score: Double) -> String {
        String(format: "%.2f", score)
    }

    /// The FTS5 query for `text`: its folded words, each quoted (a `"` doubled), all required;
    /// `nil` when no word has a letter or digit.
    static func ftsMatch(_ text: String) -> String? {
        let words = SearchFolding.fold(text).split(whereSeparator: { $0.isWhitespace })
            .filter { $0.unicodeScalars.contains { CharacterSet.alphanumerics.contains($0) } }
            .prefix(maximumWords)
        guard !words.isEmpty else { return nil }
        return words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " ")
    }

    /// The persons scored in one step of a name search.
    static let nameChunk = 200

    /// The `person_key` bucket a name search reads: for a name of two units or more the rarest of
    /// its pair keys that has persons (two units in common, in any order), else the rarest of its
    /// unit keys; `nil` when no key has a person. Buckets are counted up to ``bucketCountBound``.
    static func nameBucket(_ db: Database, name: PersonName) throws -> String? {
        func rarest(_ keys: [String]) throws -> String? {
            var best: (key: String, count: Int)?
            for key in keys {
                let count =
                    try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM (SELECT 1 FROM person_key WHERE key = ? LIMIT ?)",
                        arguments: [key, bucketCountBound])
                    ?? 0
                if count == 0 { continue }
                if let current = best, current.count <= count { continue }
                best = (key, count)
            }
            return best?.key
        }
        let pairs = name.pairBlockingKeys.sorted().map { IndexWriter.pairKeyPrefix + $0 }
        if let pair = try rarest(pairs) { return pair }
        return try rarest(name.blockingKeys.sorted())
    }

    /// The highest person row a page reads: all of them for the first page; for a later page, the
    /// last person of a bulletin before the cursor (persons are numbered in the store's order, as
    /// bulletins are). `nil` when there is none.
    static func personBound(_ db: Database, before: Int64?) throws -> Int64? {
        guard let before else { return Int64.max }
        return try Int64.fetchOne(
            db, sql: "SELECT rowid FROM person WHERE bulletin < ? ORDER BY bulletin DESC, rowid DESC LIMIT 1",
            arguments: [before])
    }

    /// Up to `count` persons of `bucket` at or below the row `upper`, newest first, scored against
    /// `name`: the bulletins (index rows) naming one whose name or alias scores at least
    /// ``NameMatcher/threshold``, with the best score and the name it gave; how many were read,
    /// and the bound of the next chunk (`nil` at the bucket's end).
    static func nameCandidates(
        _ db: Database, name: PersonName, bucket: String, atOrBelow upper: Int64, count: Int
    ) throws -> (scored: [Int64: (score: Double, name: String)], scanned: Int, nextBound: Int64?) {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT k.person, p.bulletin, p.name, p.aliases FROM person_key k JOIN person p ON p.rowid = k.person
                WHERE k.key = ? AND k.person <= ? ORDER BY k.person DESC LIMIT ?
                """,
            arguments: [bucket, upper, count])
        let matcher = NameMatcher()
        var scored: [Int64: (score: Double, name: String)] = [:]
        for row in rows {
            let bulletin: Int64 = row["bulletin"]
            let written: String = row["name"]
            var best = (score: matcher.score(name, PersonName(written)), name: written)
            for alias in IndexWriter.strings(row["aliases"]) {
                let score = matcher.score(name, PersonName(alias))
                if score > best.score { best = (score, alias) }
            }
            guard best.score >= NameMatcher.threshold else { continue }
            if let known = scored[bulletin], known.score >= best.score { continue }
            scored[bulletin] = best
        }
        let last: Int64? = rows.last?["person"]
        let next = rows.count < count ? nil : last.map { $0 - 1 }
        return (scored, rows.count, next)
    }

    /// A hit from a row of ``SearchFilter/columns``; `nil` for a row whose values do not convert.
    static func hit(_ row: Row, reasons: [String]) throws -> SearchHit? {
        guard let reference = try? BulletinReference(row["id"] as String), let label: String = row["tlp"],
            let tlp = TLP.allCases.first(where: { $0.label == label })
        else { return nil }
        return SearchHit(
            reference: reference, incidentType: row["incident_type"], tlp: tlp, storedAtMilliseconds: row["stored_at"],
            reasons: reasons)
    }

    // MARK: Links and position

    /// The bulletins linked to `id` (earlier and later) that `scope` lets the reader read, best
    /// first (at most ``maximumLinks``). Nothing when `id` is not indexed or outside `scope`.
    public func links(of id: BulletinReference, scope: ReadableScope) throws(StoreError) -> [BulletinLink] {
        guard let scopeFilter = SearchFilter(scope: scope) else { return [] }
        return try read("bulletin links") { db in
            guard
                let row = try Int64.fetchOne(
                    db, sql: "SELECT b.rowid FROM indexed_bulletin b WHERE b.id = ? AND \(scopeFilter.condition)",
                    arguments: StatementArguments([id.description] + scopeFilter.arguments))
            else { return [] }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT b.id, l.kind, l.reason, l.score FROM (
                        SELECT earlier AS other, kind, reason, score FROM bulletin_link WHERE bulletin = ?
                        UNION ALL
                        SELECT bulletin AS other, kind, reason, score FROM bulletin_link WHERE earlier = ?
                    ) l JOIN indexed_bulletin b ON b.rowid = l.other
                    WHERE \(scopeFilter.condition)
                    ORDER BY l.score DESC, b.rowid DESC LIMIT ?
                    """,
                arguments: StatementArguments([row, row] + scopeFilter.arguments + [Self.maximumLinks]))
            return rows.compactMap { row -> BulletinLink? in
                guard let other = try? BulletinReference(row["id"] as String), let kind = IndexWriter.kind(row["kind"])
                else { return nil }
                return BulletinLink(other: other, kind: kind, reason: row["reason"], score: row["score"])
            }
        }
    }

    /// The links `id`'s arrival made: to the earlier bulletins it shares an identifier or a person
    /// with, best first (at most ``maximumLinks``), whatever their scope: the caller (STIX export,
    /// TAXII) decides which earlier bulletins its recipient may read, with the same policy as for
    /// the bulletins themselves. `nil` when `id` is not indexed yet. A link is written once, when
    /// the later bulletin is indexed, and never changes: once indexed, a bulletin's answer is final.
    public func earlierLinks(of id: BulletinReference) throws(StoreError) -> [BulletinLink]? {
        try read("earlier links") { db in
            guard
                let row = try Int64.fetchOne(
                    db, sql: "SELECT rowid FROM indexed_bulletin WHERE id = ?", arguments: [id.description])
            else { return nil }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT b.id, l.kind, l.reason, l.score FROM bulletin_link l JOIN indexed_bulletin b ON b.rowid = l.earlier
                    WHERE l.bulletin = ? ORDER BY l.score DESC, b.id LIMIT ?
                    """,
                arguments: [row, Self.maximumLinks])
            return rows.compactMap { row -> BulletinLink? in
                guard let other = try? BulletinReference(row["id"] as String), let kind = IndexWriter.kind(row["kind"])
                else { return nil }
                return BulletinLink(other: other, kind: kind, reason: row["reason"], score: row["score"])
            }
        }
    }

    /// The last bulletin indexed (to tell a caller whether a bulletin has been indexed yet).
    public func position() throws(StoreError) -> IndexPosition? {
        try read("read the index position") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT stored_at, id FROM index_position") else { return nil }
            return IndexPosition(storedAtMilliseconds: row["stored_at"], id: row["id"])
        }
    }

    /// How many bulletins the index holds.
    public func bulletinCount() throws(StoreError) -> Int {
        try read("count bulletins") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM indexed_bulletin") ?? 0 }
    }

    /// Whether the bulletin `id` is in the index (indexed bulletins are never removed).
    public func isIndexed(_ id: BulletinReference) throws(StoreError) -> Bool {
        try read("is indexed") { db in
            try Int64.fetchOne(db, sql: "SELECT rowid FROM indexed_bulletin WHERE id = ?", arguments: [id.description])
                != nil
        }
    }
}
