import Clearance
import Foundation
import GRDB
import Observables
import Store

/// `DATA/watchlists.sqlite`: the node's watch-list entries. Written by the node alone, on its
/// control socket's requests (the console and `bordernet watch` ask it); read by its indexer.
/// Entries never leave the node and their values are never in the audit log.
///
/// Each entry is filed under its criterion's ``WatchCriterion/lookupKeys`` (`watch_key`), so a
/// bulletin finds the entries it may match by its own keys (``candidates(forKeys:)``) without
/// reading every entry. A removed entry keeps its row (`removed_at` set) and its number, which
/// the audit log and earlier alerts name; it never alerts again.
public final class WatchListStore: Sendable {
    /// The file as errors name it.
    public static let fileName = "watchlists"
    /// The most entries one owner may keep.
    public static let maximumEntriesPerOwner = 1_000
    /// The longest label, in Unicode scalars.
    public static let maximumLabelLength = 200
    /// The most entries of one owner ``candidates(forKeys:)`` returns for one bulletin (the
    /// oldest): one owner's many similar entries cannot crowd out another's.
    public static let maximumCandidatesPerOwner = 100
    /// The most keys of one bulletin that are looked up.
    public static let maximumLookupKeys = 1_024

    static let table = StoredTable(file: fileName, name: "watch_entry", key: ["id"])

    let database: SQLiteDatabase

    /// Opens (creating if needed, 0600) the file at `path`, then reads every active entry back
    /// (``WatchCriterion/init(kind:value:)``, the scope's JSON): a row this version cannot read
    /// (the file was edited, or a newer normalisation refuses an old value) is an error naming
    /// the row, never skipped and never a trap.
    public init(path: String) throws(StoreError) {
        database = try SQLiteFile(name: Self.fileName, path: path).open(migrator: WatchListMigrations.migrator)
        _ = try database.read("read the watch-list entries back") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM watch_entry WHERE removed_at IS NULL ORDER BY id").map(Self.entry)
        }
    }

    /// Adds an entry for `owner`, filed under the criterion's lookup keys, and returns it.
    /// Refused when the owner already keeps ``maximumEntriesPerOwner`` entries, or an active
    /// entry of the same kind and normalised value (``WatchListError/duplicateEntry(_:)``), or
    /// the label is too long or holds control characters (an empty label is none).
    public func add(
        owner: WatchOwner, criterion: WatchCriterion, label: String?, scope: ReadableScope, nowMilliseconds: Int64
    ) throws(WatchListError) -> WatchEntry {
        let label = try Self.checkedLabel(label)
        let scopeJSON = WatchScopeJSON.encode(scope)
        let keys = criterion.lookupKeys
        do {
            return try database.write("add a watch-list entry") { db in
                let count =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM watch_entry WHERE owner = ? AND removed_at IS NULL",
                        arguments: [owner.description]) ?? 0
                guard count < Self.maximumEntriesPerOwner else {
                    throw WatchListError.tooManyEntries(owner: owner, maximum: Self.maximumEntriesPerOwner)
                }
                // The same kind and value once normalised (at most maximumEntriesPerOwner rows).
                let same = try Row.fetchAll(
                    db, sql: "SELECT id, value FROM watch_entry WHERE owner = ? AND kind = ? AND removed_at IS NULL",
                    arguments: [owner.description, criterion.kind.rawValue])
                for row in same {
                    let value: String = row["value"]
                    if (try? WatchCriterion(kind: criterion.kind, value: value))?.normalizedValue
                        == criterion.normalizedValue
                    {
                        throw WatchListError.duplicateEntry(row["id"])
                    }
                }
                try db.execute(
                    sql:
                        "INSERT INTO watch_entry (owner, kind, value, label, scope, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [
                        owner.description, criterion.kind.rawValue, criterion.value, label, scopeJSON, nowMilliseconds,
                    ])
                let id = db.lastInsertedRowID
                for key in keys {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO watch_key (key, entry) VALUES (?, ?)", arguments: [key, id])
                }
                return WatchEntry(
                    id: id, owner: owner, criterion: criterion, label: label, scope: scope,
                    createdAtMilliseconds: nowMilliseconds)
            }
        } catch {
            throw Self.wrapped(error)
        }
    }

    /// Adds an entry whose scope is given as JSON (``WatchScopeJSON``): what the node does for a
    /// `watchAdd` request.
    public func add(
        owner: WatchOwner, criterion: WatchCriterion, label: String?, scopeJSON: [UInt8], nowMilliseconds: Int64
    ) throws(WatchListError) -> WatchEntry {
        switch WatchScopeJSON.decode(scopeJSON) {
        case .success(let scope):
            try add(owner: owner, criterion: criterion, label: label, scope: scope, nowMilliseconds: nowMilliseconds)
        case .failure(let error): throw .invalidScope(error.description)
        }
    }

    /// Removes entry `id` of `owner` (it stops alerting; its row and number stay). An entry that
    /// does not exist, was removed already or belongs to another owner is ``WatchListError/unknownEntry(_:)``:
    /// an owner cannot tell another's entries from none.
    public func remove(entry id: Int64, owner: WatchOwner, nowMilliseconds: Int64) throws(WatchListError) {
        do {
            try database.write("remove a watch-list entry") { db in
                try db.execute(
                    sql: "UPDATE watch_entry SET removed_at = ? WHERE id = ? AND owner = ? AND removed_at IS NULL",
                    arguments: [nowMilliseconds, id, owner.description])
                guard db.changesCount == 1 else { throw WatchListError.unknownEntry(id) }
                try db.execute(sql: "DELETE FROM watch_key WHERE entry = ?", arguments: [id])
            }
        } catch {
            throw Self.wrapped(error)
        }
    }

    /// The active entries of `owner`, oldest first.
    public func entries(of owner: WatchOwner) throws(StoreError) -> [WatchEntry] {
        try database.read("list watch-list entries") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM watch_entry WHERE owner = ? AND removed_at IS NULL ORDER BY id LIMIT ?",
                arguments: [owner.description, Self.maximumEntriesPerOwner]
            ).map(Self.entry)
        }
    }

    /// The active entries filed under at least one of `keys` (a bulletin's
    /// ``BulletinObservables/watchKeys(incidentType:)``), from at most ``maximumLookupKeys`` keys
    /// (sorted, so the same ones): at most ``maximumCandidatesPerOwner`` per owner (the oldest),
    /// ordered by number, and how many more entries were left out by that bound (never silently:
    /// the node logs and counts them).
    public func candidates(forKeys keys: Set<String>) throws(StoreError) -> (entries: [WatchEntry], heldBack: Int) {
        try candidates(forKeysOf: [keys]).first ?? ([], 0)
    }

    /// ``candidates(forKeys:)`` for each of `keySets` (one per bulletin), in their order, read in
    /// one transaction. Every result is held until the call returns, so the caller bounds how many
    /// it asks at once (the indexer: 16 bulletins). A lookup of up to ``maximumCachedLookupKeys``
    /// keys reuses its prepared statement: preparing it was most of a lookup's cost
    /// (docs/PERFORMANCE.md).
    public func candidates(forKeysOf keySets: [Set<String>]) throws(StoreError) -> [(
        entries: [WatchEntry], heldBack: Int
    )] {
        let lookups = keySets.map { Array($0.sorted().prefix(Self.maximumLookupKeys)) }
        guard lookups.contains(where: { !$0.isEmpty }) else { return lookups.map { _ in ([], 0) } }
        return try database.read("find watch-list candidates") { db in
            try lookups.map { keys in try Self.candidates(forKeys: keys, in: db) }
        }
    }

    /// The most keys a lookup may have and still keep its prepared statement in the connection's
    /// cache: one statement per key count, so the cache holds at most this many.
    public static let maximumCachedLookupKeys = 64

    private static func candidates(forKeys keys: [String], in db: Database) throws -> (
        entries: [WatchEntry], heldBack: Int
    ) {
        guard !keys.isEmpty else { return ([], 0) }
        let marks = Array(repeating: "?", count: keys.count).joined(separator: ",")
        let sql = """
            SELECT * FROM (
                SELECT e.*, ROW_NUMBER() OVER (PARTITION BY e.owner ORDER BY e.id) AS rank_in_owner
                FROM watch_entry e WHERE e.removed_at IS NULL
                AND e.id IN (SELECT entry FROM watch_key WHERE key IN (\(marks)))
            ) ORDER BY id
            """
        let statement =
            keys.count <= maximumCachedLookupKeys ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
        let rows = try Row.fetchAll(statement, arguments: StatementArguments(keys))
        var entries: [WatchEntry] = []
        var heldBack = 0
        for row in rows {
            if (row["rank_in_owner"] as Int64? ?? 0) > Int64(maximumCandidatesPerOwner) {
                heldBack += 1
            } else {
                entries.append(try entry(row))
            }
        }
        return (entries, heldBack)
    }

    /// The entry of a `watch_entry` row, or ``StoreError/invalidValue(file:table:column:row:found:expected:)``
    /// naming the row and column that no longer reads.
    static func entry(_ row: Row) throws -> WatchEntry {
        let stored = StoredRow(row, of: table)
        let id: Int64 = try stored.value("id")
        func invalid(_ column: String, _ expected: String) -> StoreError {
            stored.invalid(column, row[column] as DatabaseValue, expected: expected)
        }
        let ownerText: String = try stored.value("owner")
        guard let owner = WatchOwner(ownerText) else {
            throw invalid("owner", "an owner (user:NAME, agency:NAME or operator)")
        }
        let kindText: String = try stored.value("kind")
        guard let kind = WatchKind(rawValue: kindText) else {
            throw invalid("kind", "a watch kind (\(WatchKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let value: String = try stored.value("value")
        let criterion: WatchCriterion
        do {
            criterion = try WatchCriterion(kind: kind, value: value)
        } catch {
            throw invalid("value", "a \(kind.rawValue) value this version accepts (\(error.description))")
        }
        let label: String? = try stored.optionalValue("label")
        let scopeText: String = try stored.value("scope")
        let scope: ReadableScope
        switch WatchScopeJSON.decode(Array(scopeText.utf8)) {
        case .success(let decoded): scope = decoded
        case .failure(let error): throw invalid("scope", "a scope's JSON (\(error.description))")
        }
        return WatchEntry(
            id: id, owner: owner, criterion: criterion, label: label, scope: scope,
            createdAtMilliseconds: try stored.value("created_at"))
    }

    static func checkedLabel(_ label: String?) throws(WatchListError) -> String? {
        guard let label = label?.trimmingCharacters(in: .whitespacesAndNewlines), !label.isEmpty else { return nil }
        guard label.unicodeScalars.count <= maximumLabelLength else {
            throw .invalidLabel("give at most \(maximumLabelLength) characters")
        }
        guard !label.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidLabel("it holds control characters (line breaks, tabs)")
        }
        return label
    }

    /// A refusal thrown inside a transaction comes back as the cause of a ``StoreError``.
    static func wrapped(_ error: StoreError) -> WatchListError {
        if case .operationFailed(_, _, let cause) = error, let refusal = cause as? WatchListError { return refusal }
        return .store(error)
    }
}

/// Why a watch-list change was refused; the description says what to do.
public enum WatchListError: Error, CustomStringConvertible {
    /// The owner keeps `maximum` entries already.
    case tooManyEntries(owner: WatchOwner, maximum: Int)
    /// The label is refused for `reason`.
    case invalidLabel(String)
    /// The scope's JSON is refused for this reason.
    case invalidScope(String)
    /// No active entry of this number belongs to the owner.
    case unknownEntry(Int64)
    /// The owner already keeps this active entry, of the same kind and (normalised) value.
    case duplicateEntry(Int64)
    /// Search is off on this node (`[search] enabled = false`): no entry would ever alert.
    case searchDisabled
    /// `watchlists.sqlite` failed.
    case store(StoreError)

    public var description: String {
        switch self {
        case .tooManyEntries(let owner, let maximum):
            "\(owner) keeps \(maximum) watch-list entries already, the most allowed: remove some (bordernet watch list, watch remove) first"
        case .invalidLabel(let reason): "the label is refused: \(reason)"
        case .invalidScope(let reason): "the scope is refused: \(reason)"
        case .unknownEntry(let id): "this owner has no active watch-list entry \(id) (see bordernet watch list)"
        case .duplicateEntry(let id):
            "this owner already watches this value (entry \(id), same kind and value once normalised): keep that entry, or remove it first"
        case .searchDisabled:
            "watch-lists need search, which is off on this node ([search] enabled = false in DATA/node.toml): turn it on and restart the node, then add the entry"
        case .store(let error): error.description
        }
    }
}
