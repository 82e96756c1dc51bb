import Clearance
import Exchange
import Foundation
import GRDB
import Observables

/// A query's filters and the reader's scope as SQL conditions on `indexed_bulletin b`, with their
/// arguments: values are always bound, never written into the SQL. `nil` when nothing can match
/// (scope `nothing`, an empty set, an identifier that normalises to nothing).
struct SearchFilter {
    /// The columns a hit is read from.
    static let columns = "b.rowid AS rowid, b.id, b.incident_type, b.tlp, b.stored_at"

    private(set) var conditions: [String] = []
    private(set) var arguments: [any DatabaseValueConvertible] = []
    /// Why every result matches the structured filters (an identifier, a crossing point).
    private(set) var reasons: [String] = []
    /// The cursor's row: also given to the text index itself, which then starts there.
    private(set) var before: Int64?

    /// The conditions joined with AND (`1` when there is none).
    var condition: String { conditions.isEmpty ? "1" : conditions.joined(separator: " AND ") }

    private mutating func add(_ condition: String, _ values: [any DatabaseValueConvertible]) {
        conditions.append(condition)
        arguments.append(contentsOf: values)
    }

    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// The conditions of `scope` alone (as the console's feed applies a clearance to the store:
    /// working group, TLP, and no handling code outside the permitted set).
    init?(scope: ReadableScope) {
        switch scope {
        case .everything: break
        case .nothing: return nil
        case .restricted(let groups, let tlps, let permitted):
            guard !groups.isEmpty, !tlps.isEmpty else { return nil }
            let groupNames = groups.map(\.rawValue).sorted()
            add("b.working_group IN (\(Self.placeholders(groupNames.count)))", groupNames)
            let labels = tlps.map(\.label).sorted()
            add("b.tlp IN (\(Self.placeholders(labels.count)))", labels)
            let codes = permitted.sorted()
            let outside = codes.isEmpty ? "" : " AND h.code NOT IN (\(Self.placeholders(codes.count)))"
            add("NOT EXISTS (SELECT 1 FROM indexed_handling h WHERE h.bulletin = b.rowid\(outside))", codes)
        }
    }

    /// The conditions of `query`: its scope, filters and cursor.
    init?(_ query: SearchQuery) {
        guard let scoped = SearchFilter(scope: query.scope) else { return nil }
        self = scoped
        if let type = query.incidentType { add("b.incident_type = ?", [type]) }
        if let origin = query.origin { add("b.origin = ?", [origin.description]) }
        if let since = query.since { add("coalesce(b.occurred_at, b.stored_at) >= ?", [since]) }
        if let until = query.until { add("coalesce(b.occurred_at, b.stored_at) <= ?", [until]) }
        if let groups = query.workingGroups {
            guard !groups.isEmpty else { return nil }
            let sorted = groups.sorted()
            add("b.working_group IN (\(Self.placeholders(sorted.count)))", sorted)
        }
        if let tlps = query.tlps {
            guard !tlps.isEmpty else { return nil }
            let labels = tlps.map(\.label).sorted()
            add("b.tlp IN (\(Self.placeholders(labels.count)))", labels)
        }
        if let point = query.crossingPoint {
            let key = SearchReader.crossingPointKey(point)
            guard !key.isEmpty else { return nil }
            add("b.rowid IN (SELECT bulletin FROM observable WHERE kind = ? AND key = ?)", [SearchReader.crossingPointKind, key])
            keyed = true
            reasons.append("crossing point \(key)")
        }
        if query.identifierKind != nil || query.identifierValue != nil {
            guard let name = query.identifierKind, let kind = IdentifierKind(rawValue: name), let value = query.identifierValue,
                let lookup = IdentifierLookup.lookup(kind: kind, value: value)
            else { return nil }
            add("b.rowid IN (SELECT bulletin FROM observable WHERE kind = ? AND key = ?)", [lookup.kind, lookup.key])
            keyed = true
            reasons.append("\(kind.rawValue) \(lookup.key)")
        }
        if let after = query.after {
            add("b.rowid < ?", [after.row])
            before = after.row
        }
    }

    /// Whether a filter reads its bulletins through an observable key (an identifier, a crossing
    /// point): then the key's rows bound the work and the facts are not scanned in chunks.
    private(set) var keyed = false

    /// The most index rows one query examines (text matches, or facts without a keyed filter),
    /// read newest first ``chunk`` at a time: a reader whose scope admits few bulletins stops
    /// there and is given a cursor to go on (docs/SEARCH.md, "Bounded work").
    static let maximumRowsExamined = 10_000
    /// The rows read and filtered in one step of a bounded scan.
    static let chunk = 500

    /// The newest bulletins that match, at most `limit`: without a keyed filter the facts are read
    /// newest first in chunks, at most `examining` rows (see ``scan(_:limit:examining:rows:)``).
    func fetch(_ db: Database, limit: Int, examining: Int = maximumRowsExamined) throws -> (rows: [Row], stoppedAt: Int64?) {
        guard !keyed else {
            let rows = try Row.fetchAll(
                db, sql: "SELECT \(Self.columns) FROM indexed_bulletin b WHERE \(condition) ORDER BY b.rowid DESC LIMIT ?",
                arguments: StatementArguments(arguments + [limit]))
            return (rows, nil)
        }
        return try scan(db, limit: limit, examining: examining) { upper, count in
            try Int64.fetchAll(
                db, sql: "SELECT rowid FROM indexed_bulletin WHERE rowid < ? ORDER BY rowid DESC LIMIT ?", arguments: [upper, count])
        }
    }

    /// The newest of the bulletins `rows` that match, at most `limit`.
    func fetch(_ db: Database, among rows: [Int64], limit: Int) throws -> [Row] {
        guard !rows.isEmpty, limit > 0 else { return [] }
        return try Row.fetchAll(
            db,
            sql: """
                SELECT \(Self.columns) FROM indexed_bulletin b
                WHERE b.rowid IN (\(Self.placeholders(rows.count))) AND \(condition) ORDER BY b.rowid DESC LIMIT ?
                """,
            arguments: StatementArguments(rows + arguments + [limit]))
    }

    /// The newest bulletins whose text matches the FTS5 query `match` and that match, at most
    /// `limit`: the text index's rows read newest first in chunks, at most `examining` of them.
    func fetchText(_ db: Database, match: String, limit: Int, examining: Int = maximumRowsExamined) throws -> (
        rows: [Row], stoppedAt: Int64?
    ) {
        try scan(db, limit: limit, examining: examining) { upper, count in
            try Int64.fetchAll(
                db, sql: "SELECT rowid FROM bulletin_text WHERE bulletin_text MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?",
                arguments: [match, upper, count])
        }
    }

    /// A bounded scan: the candidate rows `rows(upper, count)` gives (newest first, below `upper`),
    /// a chunk at a time, each chunk filtered on the facts, until `limit` match or `examining` rows
    /// were read. `stoppedAt` is the lowest row examined when the bound stopped the scan before
    /// the candidates ran out (the next page starts below it), `nil` otherwise.
    func scan(_ db: Database, limit: Int, examining: Int, rows: (Int64, Int) throws -> [Int64]) throws -> (rows: [Row], stoppedAt: Int64?) {
        var upper = before ?? Int64.max
        var found: [Row] = []
        var examined = 0
        let bound = max(1, examining)
        while examined < bound {
            let count = min(Self.chunk, bound - examined)
            let chunk = try rows(upper, count)
            examined += chunk.count
            found += try fetch(db, among: chunk, limit: limit - found.count)
            if found.count >= limit { return (found, nil) }
            guard chunk.count == count, let lowest = chunk.last else { return (found, nil) }
            upper = lowest
        }
        return (found, upper)
    }
}
