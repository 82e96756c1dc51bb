import Audit
import Exchange
import Foundation
import GRDB
import Store

/// The web console's view of the secretariat's `collected.sqlite`: typed, bounded, read-only
/// queries over read-only connections (SQLite `SQLITE_OPEN_READONLY`), so that the auditor's
/// pages can show what `audit collect` found with no way to change the store — and without the
/// secretariat's keys, which the reader never opens (docs/CONSOLE.md, "The secretariat's console").
///
/// Every query is bounded whatever the store holds: pages have a limit and a keyset cursor, node
/// lines look up their rows through the tables' indexes, and the reconciliation refuses to read
/// more than a given number of entries (``reconcile(lateAfterMilliseconds:maximumEntries:)``).
/// Safe to share between threads; each read is a snapshot of the last commit (WAL), so it may
/// run while `audit collect` writes.
public struct CollectionReader: Sendable {
    private let pool: DatabasePool
    /// The path of the file.
    public let path: String

    /// At most this many nodes are listed (a roster has a few dozen).
    public static let maximumNodes = 256
    /// Consecutive attempts further apart than this (ms) belong to different runs.
    public static let runGap: UInt64 = 2 * 60 * 1000
    /// The largest history page, in attempts.
    public static let maximumHistoryAttempts = 500
    /// The reconciliation's default bound: entries read in all.
    public static let defaultMaximumEntries: UInt64 = 1_000_000

    /// Opens `path` read-only. Throws ``AuditCollectionError/storage(_:)`` with
    /// ``StoreError/cannotOpen(file:path:cause:)`` when it does not exist (it is never created:
    /// run `audit collect` first) or cannot be opened, ``StoreError/newerSchema(file:path:unknownMigrations:)``
    /// when a newer BorderNet wrote it, and ``StoreError/olderSchema(file:path:missingMigrations:)``
    /// when only `audit collect` of this version would bring it to this version's tables.
    public init(path: String) throws(AuditCollectionError) {
        self.path = path
        let file = CollectionStore.fileName
        guard FileManager.default.fileExists(atPath: path) else {
            throw .storage(.cannotOpen(file: file, path: path, cause: CocoaError(.fileNoSuchFile)))
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "bordernet-collection-reader"
        configuration.busyMode = .timeout(5)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .storage(.cannotOpen(file: file, path: path, cause: error))
        }
        let migrator = CollectionStoreMigrations.migrator
        let applied: Set<String>
        do {
            applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
        } catch {
            throw .storage(.cannotOpen(file: file, path: path, cause: error))
        }
        let known = Set(migrator.migrations)
        let unknown = applied.subtracting(known)
        guard unknown.isEmpty else { throw .storage(.newerSchema(file: file, path: path, unknownMigrations: unknown.sorted())) }
        let missing = known.subtracting(applied)
        guard missing.isEmpty else { throw .storage(.olderSchema(file: file, path: path, missingMigrations: missing.sorted())) }
    }

    // MARK: Nodes

    /// The version of the store: the last row of each table.
    public func version() throws(AuditCollectionError) -> CollectionVersion {
        try read("version") { db in
            CollectionVersion(
                head: try Int64.fetchOne(db, sql: "SELECT max(id) FROM head") ?? 0,
                finding: try Int64.fetchOne(db, sql: "SELECT max(id) FROM finding") ?? 0,
                attempt: try Int64.fetchOne(db, sql: "SELECT max(id) FROM attempt") ?? 0)
        }
    }

    /// Every state the store holds a head or an attempt of, in order (at most ``maximumNodes``),
    /// found by skipping through the indexes: one lookup per state, however many rows each has.
    public func states() throws(AuditCollectionError) -> [StateCode] {
        try read("states") { db in try Self.states(db) }
    }

    private static func states(_ db: Database) throws -> [StateCode] {
        var found: Set<String> = []
        for table in ["head", "attempt"] {
            var last = ""
            for _ in 0..<maximumNodes {
                guard let next = try String.fetchOne(db, sql: "SELECT min(state) FROM \(table) WHERE state > ?", arguments: [last]) else { break }
                found.insert(next)
                last = next
            }
        }
        return try found.sorted().prefix(maximumNodes).map { text throws(StoreError) in
            guard let state = try? StateCode(text) else {
                throw StoreError.invalidValue(
                    file: CollectionStore.fileName, table: "head or attempt", column: "state", row: "", found: "'\(text.prefix(40))'",
                    expected: StateCode.storedForm)
            }
            return state
        }
    }

    /// Every node's line, in state order (at most ``maximumNodes``).
    public func nodes() throws(AuditCollectionError) -> [CollectedNode] {
        try read("nodes") { db in try Self.states(db).map { try Self.node($0, db) } }
    }

    /// One node's line, `nil` when the store holds nothing of `state`.
    public func node(_ state: StateCode) throws(AuditCollectionError) -> CollectedNode? {
        try read("node") { db in
            let node = try Self.node(state, db)
            return node.lastAccepted == nil && node.lastAttempt == nil && node.findings.isEmpty ? nil : node
        }
    }

    private static func node(_ state: StateCode, _ db: Database) throws -> CollectedNode {
        let lastAttempt = try Row.fetchOne(db, sql: "SELECT * FROM attempt WHERE state = ? ORDER BY id DESC LIMIT 1", arguments: [state])
        var findings: [CollectionFinding.Kind: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT kind, count(*) AS n FROM finding WHERE state = ? GROUP BY kind", arguments: [state]) {
            let stored = StoredRow(row, of: .finding)
            findings[try stored.value("kind"), default: 0] += try stored.value("n", as: Int.self)
        }
        return CollectedNode(
            state: state, lastAccepted: try lastAccepted(state, upTo: nil, db), lastAttempt: try lastAttempt.map { try attempt($0, db) },
            findings: findings)
    }

    /// The accepted heads of `state`, newest first: at most `limit` (1…200) older than `before`.
    public func acceptedHeads(of state: StateCode, before: Int64? = nil, limit: Int = 20) throws(AuditCollectionError) -> [HeadSummary] {
        try read("accepted heads") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM head WHERE state = ? AND status = 'accepted' AND id < ? ORDER BY id DESC LIMIT ?",
                arguments: [state, before ?? Int64.max, min(max(limit, 1), 200)]
            ).map(Self.head)
        }
    }

    /// The last head of `state` accepted at or before `time` (`nil`: the last of all).
    private static func lastAccepted(_ state: StateCode, upTo time: Timestamp?, _ db: Database) throws -> HeadSummary? {
        // Accepted heads only grow: the largest accepted is the last (the index on state and size
        // finds it without reading the node's other heads).
        if let time {
            return try Row.fetchOne(
                db,
                sql: "SELECT * FROM head WHERE state = ? AND status = 'accepted' AND collected_at <= ? ORDER BY tree_size DESC, id DESC LIMIT 1",
                arguments: [state, time]
            ).map(head)
        }
        return try Row.fetchOne(
            db, sql: "SELECT * FROM head WHERE state = ? AND status = 'accepted' ORDER BY tree_size DESC, id DESC LIMIT 1", arguments: [state]
        ).map(head)
    }

    private static func head(_ row: Row) throws -> HeadSummary {
        let stored = StoredRow(row, of: .collectedHead)
        let bytes = try stored.bytes("signed_bytes")
        let signed: SignedTreeHead
        do {
            signed = try SignedTreeHead(serializedBytes: bytes)
        } catch {
            throw stored.invalid("signed_bytes", row["signed_bytes"] as DatabaseValue, expected: "a signed tree head (\(error))")
        }
        return HeadSummary(
            id: try stored.value("id"), treeSize: signed.head.treeSize, timestamp: signed.head.timestamp, rootHash: signed.head.rootHash,
            collectedAt: try stored.value("collected_at"), status: try stored.value("status"))
    }

    /// The attempts of `rows` with the head accepted for each at its time: the accepted heads of
    /// each node in the page's time span are read once per node (not once per attempt), so a page
    /// deep in a long history costs one index walk per node.
    private static func attempts(_ rows: [Row], _ db: Database) throws -> [StoredAttempt] {
        let attempts = try rows.map { row -> (Int64, CollectionAttempt) in
            let stored = StoredRow(row, of: .attempt)
            return (
                try stored.value("id"),
                CollectionAttempt(
                    state: try stored.value("state"), at: try stored.value("at"), outcome: try stored.value("outcome"),
                    detail: try stored.value("detail"))
            )
        }
        guard let earliest = attempts.map(\.1.at).min(), let latest = attempts.map(\.1.at).max() else { return [] }
        var accepted: [StateCode: [HeadSummary]] = [:]  // newest first, down to the last one accepted before `earliest`
        for state in Set(attempts.map(\.1.state)) {
            let cursor = try Row.fetchCursor(
                db,
                sql: "SELECT * FROM head WHERE state = ? AND status = 'accepted' AND collected_at <= ? ORDER BY tree_size DESC, id DESC",
                arguments: [state, latest])
            var heads: [HeadSummary] = []
            while let row = try cursor.next() {
                let head = try head(row)
                heads.append(head)
                if head.collectedAt <= earliest { break }
            }
            accepted[state] = heads
        }
        return attempts.map { id, attempt in
            StoredAttempt(id: id, attempt: attempt, acceptedHead: accepted[attempt.state]?.first { $0.collectedAt <= attempt.at })
        }
    }

    private static func attempt(_ row: Row, _ db: Database) throws -> StoredAttempt {
        let stored = StoredRow(row, of: .attempt)
        let attempt = CollectionAttempt(
            state: try stored.value("state"), at: try stored.value("at"), outcome: try stored.value("outcome"), detail: try stored.value("detail"))
        return StoredAttempt(id: try stored.value("id"), attempt: attempt, acceptedHead: try lastAccepted(attempt.state, upTo: attempt.at, db))
    }

    // MARK: Findings

    /// A page of the collector's findings, newest first, filtered by node and kind.
    public func findings(_ query: FindingQuery) throws(AuditCollectionError) -> FindingPage {
        try read("findings") { db in
            var conditions = ["id < ?"]
            var arguments: StatementArguments = [query.before ?? Int64.max]
            if let state = query.state {
                conditions.append("state = ?")
                _ = arguments.append(contentsOf: [state])
            }
            if let kind = query.kind {
                conditions.append("kind = ?")
                _ = arguments.append(contentsOf: [kind])
            }
            let limit = query.boundedLimit
            _ = arguments.append(contentsOf: [limit + 1])
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM finding WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT ?", arguments: arguments)
            let items = try rows.prefix(limit).map { row in
                let row = StoredRow(row, of: .finding)
                return CollectionFinding(
                    id: try row.value("id"), state: try row.value("state"), kind: try row.value("kind"), detail: try row.value("detail"),
                    foundAt: try row.value("found_at"),
                    headIDs: [try row.optionalValue("head_id", as: Int64.self), try row.optionalValue("other_head_id", as: Int64.self)]
                        .compactMap { $0 },
                    entryIndex: try row.optionalValue("entry_index"))
            }
            return FindingPage(items: items, next: rows.count > limit ? items.last?.id : nil)
        }
    }

    /// The heads a finding names (evidence and the head it contradicts), at most two.
    public func heads(ids: [Int64]) throws(AuditCollectionError) -> [HeadSummary] {
        try read("heads") { db in
            try ids.prefix(2).compactMap { id in try Row.fetchOne(db, sql: "SELECT * FROM head WHERE id = ?", arguments: [id]).map(Self.head) }
        }
    }

    // MARK: History

    /// The collection runs, newest first: at most `maximumAttempts` attempts (1…500) older than
    /// the attempt `before`, grouped into runs (``CollectionRunRecord``); a run cut by the page's
    /// end continues on the next page. `state` narrows the history to one node.
    public func history(state: StateCode? = nil, before: Int64? = nil, maximumAttempts: Int = 200) throws(AuditCollectionError)
        -> CollectionHistoryPage
    {
        try read("history") { db in
            let limit = min(max(maximumAttempts, 1), Self.maximumHistoryAttempts)
            let rows: [Row]
            if let state {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM attempt WHERE state = ? AND id < ? ORDER BY id DESC LIMIT ?",
                    arguments: [state, before ?? Int64.max, limit + 1])
            } else {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM attempt WHERE id < ? ORDER BY id DESC LIMIT ?", arguments: [before ?? Int64.max, limit + 1])
            }
            let attempts = try Self.attempts(Array(rows.prefix(limit)), db)
            // Newest first: walk back, starting a new run when a node repeats or time jumps.
            var runs: [[StoredAttempt]] = []
            var current: [StoredAttempt] = []
            for attempt in attempts {
                let repeats = current.contains { $0.attempt.state == attempt.attempt.state }
                let far = current.last.map {
                    $0.attempt.at.millisecondsSinceEpoch &- min($0.attempt.at.millisecondsSinceEpoch, attempt.attempt.at.millisecondsSinceEpoch)
                        > Self.runGap
                } ?? false
                if state != nil || repeats || far, !current.isEmpty {
                    runs.append(current)
                    current = []
                }
                current.append(attempt)
            }
            if !current.isEmpty { runs.append(current) }
            return CollectionHistoryPage(
                runs: runs.map { CollectionRunRecord(attempts: $0.reversed()) }, next: rows.count > limit ? attempts.last?.id : nil)
        }
    }

    // MARK: Reconciliation

    /// The kinds the reconciliation reads: those the link matrix and its plausibility checks use
    /// (the envelopes' and the attachments'), and `consoleAccessDropped` (at most one per node and 10 s interval) for the flood warning.
    /// `consoleAccess` entries — up to 20 a second from a console, broken or compromised — and the
    /// node's own events are not read nor counted here; `audit report` reads every kind.
    public static let reconciledKinds: [AuditEvent.Kind] = [
        .envelopeSent, .envelopeReceived, .envelopeUnreadable, .receiptSent, .receiptReceived, .replayRequested, .replayServed,
        .attachmentStored, .attachmentReceived, .attachmentAcknowledged, .consoleAccessDropped,
    ]

    /// The SQL of an entry's kind byte: byte 23 of its canonical bytes (docs/AUDIT.md §3.1; SQLite's
    /// `substr` counts from 1 and, on a BLOB, in bytes), as two hex digits.
    static let kindSQL = "hex(substr(bytes, \(AuditEntryHeader.kindOffset + 1), 1))"

    /// Reconciles every link the collected logs mention (``LinkReconciler``) and derives its
    /// findings and the implausible values (``AuditReport/assemble``) from the entries of the
    /// ``reconciledKinds``, reading at most `maximumEntries` of them: a store holding more is
    /// refused with ``AuditCollectionError/tooLargeToReconcile(entries:limit:)`` before any entry is
    /// decoded (`audit report` reads them all). Entries of a kind this BorderNet does not know are
    /// skipped and counted in an `unknownKind` warning, as `audit report` does. Attachments not
    /// received `attachmentGraceMilliseconds` after they were stored are overdue. The
    /// reconciliation is as of ``version()``.
    public func reconcile(
        lateAfterMilliseconds: UInt64 = 60_000, attachmentGraceMilliseconds: UInt64 = LinkReconciler.defaultAttachmentGraceMilliseconds,
        maximumEntries: UInt64 = defaultMaximumEntries, now: Timestamp = .now
    ) throws(AuditCollectionError) -> CollectionReconciliation {
        let wanted = Set(Self.reconciledKinds.map(\.rawValue))
        let (version, states, logs, total, nodeFindings) = try read("reconcile") { db in
            // One snapshot: the version, the heads and the entries agree.
            let version = CollectionVersion(
                head: try Int64.fetchOne(db, sql: "SELECT max(id) FROM head") ?? 0,
                finding: try Int64.fetchOne(db, sql: "SELECT max(id) FROM finding") ?? 0,
                attempt: try Int64.fetchOne(db, sql: "SELECT max(id) FROM attempt") ?? 0)
            let states = try Self.states(db)
            var heads: [(StateCode, HeadSummary?)] = []
            var total: UInt64 = 0
            // As `audit report`: a node whose last attempt failed, or never collected, is a warning.
            var nodeFindings: [ReportFinding] = []
            for state in states {
                let head = try Self.lastAccepted(state, upTo: nil, db)
                heads.append((state, head))
                if let head, let size = Int64(exactly: head.treeSize) {
                    // One pass over the node's rows in SQLite, nothing decoded: how many of each kind.
                    let kinds = try Row.fetchAll(
                        db,
                        sql: "SELECT \(Self.kindSQL) AS kind, count(*) AS n, min(leaf_index) AS first FROM entry WHERE state = ? AND leaf_index < ? GROUP BY kind",
                        arguments: [state, size])
                    var unknown: (count: UInt64, codes: [UInt8], first: UInt64?) = (0, [], nil)
                    for row in kinds {
                        let text = (row["kind"] as String?) ?? ""
                        let count = UInt64(clamping: (row["n"] as Int64?) ?? 0)
                        guard text.utf8.count == 2, let code = UInt8(text, radix: 16) else {
                            throw StoredRow(row, of: .collectedEntry).invalid("bytes", row["kind"] as DatabaseValue, expected: "an audit entry (a kind byte)")
                        }
                        if wanted.contains(code) {
                            total = total.addingSaturating(count)
                        } else if AuditEvent.Kind(rawValue: code) == nil {
                            unknown.count = unknown.count.addingSaturating(count)
                            unknown.codes.append(code)
                            let first = UInt64(clamping: (row["first"] as Int64?) ?? 0)
                            unknown.first = min(unknown.first ?? first, first)
                        }
                    }
                    if let first = unknown.first {
                        nodeFindings.append(AuditReport.unknownKindFinding(state: state, count: unknown.count, codes: unknown.codes, firstIndex: first))
                    }
                }
                let last = try Row.fetchOne(db, sql: "SELECT * FROM attempt WHERE state = ? ORDER BY id DESC LIMIT 1", arguments: [state])
                if let attempt = try last.map({ try Self.attempt($0, db).attempt }), [.unreachable, .refused].contains(attempt.outcome) {
                    nodeFindings.append(
                        ReportFinding(
                            severity: .warning, kind: .unreachable, subject: state.description,
                            text: "last collection \(attempt.at): \(attempt.outcome.rawValue): \(attempt.detail)"))
                } else if head == nil {
                    nodeFindings.append(ReportFinding(severity: .warning, kind: .notCollected, subject: state.description, text: "nothing collected yet"))
                }
            }
            guard total <= maximumEntries else { return (version, states, [NodeLogView](), total, nodeFindings) }
            // Plain strings (GRDB's `SQL` literal would otherwise be inferred and bind them as values).
            let kindList: String = wanted.sorted().map { (code: UInt8) -> String in
                let hex = String(code, radix: 16, uppercase: true)
                return "'\(hex.count == 1 ? "0" : "")\(hex)'"
            }.joined(separator: ", ")
            var logs: [NodeLogView] = []
            for (state, head) in heads {
                guard let head, let size = Int64(exactly: head.treeSize) else {
                    logs.append(NodeLogView(state: state, entries: [], coveredUntil: nil))
                    continue
                }
                let rows = try Row.fetchCursor(
                    db,
                    sql: "SELECT state, leaf_index, bytes FROM entry WHERE state = ? AND leaf_index < ? AND \(Self.kindSQL) IN (\(kindList)) ORDER BY leaf_index",
                    arguments: [state, size])
                var entries: [AuditEntry] = []
                while let row = try rows.next() {
                    let stored = StoredRow(row, of: .collectedEntry)
                    do {
                        entries.append(try AuditEntry(canonicalBytes: try stored.bytes("bytes")))
                    } catch let error as StoreError {
                        throw error
                    } catch {
                        throw stored.invalid("bytes", row["bytes"] as DatabaseValue, expected: "an audit entry (\(error))")
                    }
                }
                logs.append(NodeLogView(state: state, entries: entries, coveredUntil: head.timestamp))
            }
            return (version, states, logs, total, nodeFindings)
        }
        guard total <= maximumEntries else { throw .tooLargeToReconcile(entries: total, limit: maximumEntries) }
        let report = AuditReport.assemble(
            rosterVersion: 0, rosterLinks: [], logs: logs, nodes: [], nodeFindings: nodeFindings, lateAfterMilliseconds: lateAfterMilliseconds,
            attachmentGraceMilliseconds: attachmentGraceMilliseconds, now: now)
        return CollectionReconciliation(
            version: version, states: states, links: report.links, findings: report.findings, entriesRead: total,
            lateAfterMilliseconds: lateAfterMilliseconds)
    }

    // MARK: Database access

    private func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(AuditCollectionError) -> T {
        do {
            return try pool.read(body)
        } catch let error as StoreError {
            throw .storage(error)
        } catch {
            throw .storage(.operationFailed(file: CollectionStore.fileName, operation: operation, cause: error))
        }
    }
}
