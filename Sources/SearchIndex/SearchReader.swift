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
    let pool: DatabasePool

    /// The persons of one bucket (the query name's rarest blocking key) scored at most, newest first.
    public static let maximumNameCandidates = 2_000
    /// How far a bucket is counted when choosing the rarest key.
    static let bucketCountBound = 20_000
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
        let file = SearchIndex.fileName
        guard FileManager.default.fileExists(atPath: path) else {
            throw .cannotOpen(file: file, path: path, cause: CocoaError(.fileNoSuchFile))
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "bordernet-search-reader"
        configuration.busyMode = .timeout(5)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .cannotOpen(file: file, path: path, cause: error)
        }
        let migrator = SearchIndexMigrations.migrator
        let applied: Set<String>
        do {
            applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
        } catch {
            throw .cannotOpen(file: file, path: path, cause: error)
        }
        let known = Set(migrator.migrations)
        let unknown = applied.subtracting(known)
        guard unknown.isEmpty else { throw .newerSchema(file: file, path: path, unknownMigrations: unknown.sorted()) }
        let missing = known.subtracting(applied)
        guard missing.isEmpty else { throw .olderSchema(file: file, path: path, missingMigrations: missing.sorted()) }
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .operationFailed(file: SearchIndex.fileName, operation: operation, cause: error)
        }
    }

    /// The key a crossing-point code is filed and looked up under (codes are compared without case).
    static func crossingPointKey(_ code: String) -> String {
        code.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }

    // MARK: Search

    /// A page of results for `query`, newest first (by the store's commit order).
    ///
    /// The text's folded words must all appear (each is quoted: FTS5's syntax is only text here);
    /// the same text read as a person's name finds the persons of the rarest of its blocking keys
    /// (at most ``maximumNameCandidates``, newest first) whose score reaches
    /// ``NameMatcher/threshold``. Both kinds of hit are merged; the filters and the scope hold for
    /// both. A text with no word and no name matches nothing.
    public func search(_ query: SearchQuery) throws(StoreError) -> SearchPage {
        guard let filter = SearchFilter(query) else { return SearchPage(hits: [], next: nil) }
        let limit = max(1, min(query.limit, SearchQuery.maximumLimit))
        let text = query.text.map { String(String.UnicodeScalarView($0.unicodeScalars.prefix(SearchQuery.maximumTextLength))) }
        let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return try read("search") { db in
            var found: [Int64: SearchHit] = [:]
            func add(_ rows: [Row], reason: (Int64) -> String?) throws {
                for row in rows {
                    let rowid: Int64 = row["rowid"]
                    if var hit = found[rowid] {
                        if let reason = reason(rowid), !hit.reasons.contains(reason) { hit.reasons.append(reason) }
                        found[rowid] = hit
                    } else if let hit = try Self.hit(row, reasons: (reason(rowid).map { [$0] } ?? []) + filter.reasons) {
                        found[rowid] = hit
                    }
                }
            }
            if trimmed.isEmpty {
                try add(filter.fetch(db, limit: limit + 1), reason: { _ in nil })
            } else {
                if let match = Self.ftsMatch(trimmed) {
                    try add(filter.fetchText(db, match: match, limit: limit + 1), reason: { _ in "text" })
                }
                let name = PersonName(trimmed)
                if !name.units.isEmpty {
                    let scored = try Self.nameCandidates(db, name: name, before: query.after?.row)
                    if !scored.isEmpty {
                        let rows = try filter.fetch(db, among: Array(scored.keys), limit: limit + 1)
                        try add(rows) { rowid in
                            scored[rowid].map { "name \(Self.formatted($0.score)): \($0.name)" }
                        }
                    }
                }
            }
            let ordered = found.sorted { $0.key > $1.key }
            let page = ordered.prefix(limit)
            let next = ordered.count > limit ? page.last.map { SearchCursor(row: $0.key) } : nil
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

    /// The bulletins (index rows, before `before`) naming a person whose name or alias scores at
    /// least ``NameMatcher/threshold`` against `name`, with the best score and the name it gave.
    /// Candidates come from the bucket of the query's rarest blocking key, newest first, bounded.
    static func nameCandidates(_ db: Database, name: PersonName, before: Int64?) throws -> [Int64: (score: Double, name: String)] {
        var rarest: (key: String, count: Int)?
        for key in name.blockingKeys.sorted() {
            let count =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM (SELECT 1 FROM person_key WHERE key = ? LIMIT ?)", arguments: [key, bucketCountBound]) ?? 0
            if count == 0 { continue }
            if let current = rarest, current.count <= count { continue }
            rarest = (key, count)
        }
        guard let bucket = rarest?.key else { return [:] }
        // Persons are numbered in the store's order, as bulletins are: the last person of an
        // earlier bulletin bounds the scan of a later page.
        var bound = Int64.max
        if let before {
            guard
                let last = try Int64.fetchOne(
                    db, sql: "SELECT rowid FROM person WHERE bulletin < ? ORDER BY bulletin DESC, rowid DESC LIMIT 1", arguments: [before])
            else { return [:] }
            bound = last
        }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT p.bulletin, p.name, p.aliases FROM person_key k JOIN person p ON p.rowid = k.person
                WHERE k.key = ? AND k.person <= ? ORDER BY k.person DESC LIMIT ?
                """,
            arguments: [bucket, bound, maximumNameCandidates])
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
        return scored
    }

    /// A hit from a row of ``SearchFilter/columns``; `nil` for a row whose values do not convert.
    static func hit(_ row: Row, reasons: [String]) throws -> SearchHit? {
        guard let reference = try? BulletinReference(row["id"] as String), let label: String = row["tlp"],
            let tlp = TLP.allCases.first(where: { $0.label == label })
        else { return nil }
        return SearchHit(
            reference: reference, incidentType: row["incident_type"], tlp: tlp, storedAtMilliseconds: row["stored_at"], reasons: reasons)
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
                guard let other = try? BulletinReference(row["id"] as String), let kind = IndexWriter.kind(row["kind"]) else { return nil }
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

    /// Whether the bulletin `id` is in the index (indexed bulletins are never removed).
    public func isIndexed(_ id: BulletinReference) throws(StoreError) -> Bool {
        try read("is indexed") { db in
            try Int64.fetchOne(db, sql: "SELECT rowid FROM indexed_bulletin WHERE id = ?", arguments: [id.description]) != nil
        }
    }
}
