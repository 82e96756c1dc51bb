import Exchange
import Foundation
import GRDB

/// The console's view of a node's store: typed, read-only queries over a read-only connection,
/// so that the web process can show bulletins without any way to change the store, and without
/// the node's keys (docs/CONSOLE.md, DESIGN.md §7).
///
/// Opened beside a running node: the store is in WAL mode, so reads never block the node's
/// writes, and each read sees the last committed state (a snapshot). Safe to share between
/// threads (request handlers): reads run concurrently on a pool of read-only connections.
public struct BulletinReader: Sendable {
    private let database: ReadOnlyDatabase
    /// The path of the store's SQLite file.
    public let path: String

    /// Opens the store at `storeFile` read-only. Throws ``StoreError/cannotOpen(file:path:cause:)``
    /// when it does not exist or cannot be opened (it is never created),
    /// ``StoreError/newerSchema(file:path:unknownMigrations:)`` when a newer BorderNet wrote it and
    /// ``StoreError/olderSchema(file:path:missingMigrations:)`` when the node has not brought it
    /// to this version's schema yet: rows would not mean what this version reads.
    public init(storeFile: URL) throws(StoreError) {
        path = storeFile.path
        database = try ReadOnlyDatabase(
            name: BulletinStore.fileName, path: path, migrator: StoreMigrations.migrator, label: "bordernet-store-reader")
    }

    /// Runs `body` in a read transaction on a read-only connection.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        try database.read(operation, body)
    }

    /// The columns of a summary, from the bulletin table `b`; `flagged` is one primary-key lookup
    /// in `bulletin_flag` per row, so a page costs no query more.
    private static let summaryColumns =
        "b.id, b.origin, b.incident_type, b.tlp, b.created_at, b.stored_at, b.own, b.working_group, b.corrects_id, b.withdraws_id, b.body, "
        + "EXISTS (SELECT 1 FROM bulletin_flag f WHERE f.bulletin_id = b.id) AS flagged"

    /// One page of bulletins matching `query`, newest first (by time stored, then id), at most
    /// ``BulletinQuery/boundedLimit`` of them, starting after ``BulletinQuery/before``.
    public func page(_ query: BulletinQuery) throws(StoreError) -> BulletinPage {
        let (rows, next) = try pageRows(query, operation: "console feed page")
        return BulletinPage(items: rows.map(\.summary), next: next)
    }

    /// One page of bulletins matching `query`, as ``page(_:)`` selects and orders them, with their
    /// bodies (one query): what the TAXII server maps to STIX. `next` is the last item's cursor when
    /// more match.
    public func pageWithBodies(_ query: BulletinQuery) throws(StoreError) -> (
        items: [(summary: BulletinSummary, body: [UInt8])], next: BulletinCursor?
    ) {
        try pageRows(query, operation: "bulletin page with bodies")
    }

    private func pageRows(_ query: BulletinQuery, operation: String) throws(StoreError) -> (
        items: [(summary: BulletinSummary, body: [UInt8])], next: BulletinCursor?
    ) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        func add(_ condition: String, _ values: [(any DatabaseValueConvertible)?]) {
            conditions.append(condition)
            for value in values { _ = arguments.append(contentsOf: [value]) }
        }
        func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

        switch query.ownership {
        case .all: break
        case .own: add("b.own = 1", [])
        case .received: add("b.own = 0", [])
        }
        if let type = query.incidentType { add("b.incident_type = ?", [type]) }
        if let origin = query.origin { add("b.origin = ?", [origin]) }
        if let tlps = query.tlps {
            guard !tlps.isEmpty else { return ([], nil) }
            let sorted = tlps.sorted { $0.rawValue < $1.rawValue }
            add("b.tlp IN (\(placeholders(sorted.count)))", sorted)
        }
        if let groups = query.workingGroups {
            guard !groups.isEmpty else { return ([], nil) }
            let sorted = groups.sorted()
            add("b.working_group IN (\(placeholders(sorted.count)))", sorted)
        }
        if let code = query.handlingCode {
            add("EXISTS (SELECT 1 FROM bulletin_handling h WHERE h.bulletin_id = b.id AND h.code = ?)", [code])
        }
        if let permitted = query.permittedHandling {
            let sorted = permitted.sorted()
            let outside = sorted.isEmpty ? "" : " AND h.code NOT IN (\(placeholders(sorted.count)))"
            add("NOT EXISTS (SELECT 1 FROM bulletin_handling h WHERE h.bulletin_id = b.id\(outside))", sorted)
        }
        if let since = query.storedSince { add("b.stored_at >= ?", [since]) }
        if let until = query.storedUntil { add("b.stored_at <= ?", [until]) }
        if let text = query.contains, !text.isEmpty {
            // instr, not LIKE: the text is matched literally, `%` and `_` included.
            add("instr(lower(CAST(b.body AS TEXT)), lower(?)) > 0", [text])
        }
        if query.oldestFirst {
            if let cursor = query.after { add("(b.stored_at, b.id) > (?, ?)", [cursor.storedAt, cursor.id]) }
        } else if let cursor = query.before {
            add("(b.stored_at, b.id) < (?, ?)", [cursor.storedAt, cursor.id])
        }
        let limit = query.boundedLimit
        _ = arguments.append(contentsOf: [limit + 1])
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let order = query.oldestFirst ? "b.stored_at ASC, b.id ASC" : "b.stored_at DESC, b.id DESC"
        let sql = "SELECT \(Self.summaryColumns) FROM bulletin b \(filter) ORDER BY \(order) LIMIT ?"
        return try read(operation) { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            var items: [(summary: BulletinSummary, body: [UInt8])] = []
            items.reserveCapacity(min(rows.count, limit))
            for row in rows.prefix(limit) { items.append(try Self.summary(from: row)) }
            return (items, rows.count > limit ? items.last?.summary.cursor : nil)
        }
    }

    /// The summary of the bulletin `id` names, or `nil`: one query, so a caller can decide whether
    /// a person may read a bulletin before loading more of it (a refusal then costs what a miss
    /// costs, and does not reveal that the bulletin exists).
    public func summary(id: String) throws(StoreError) -> BulletinSummary? {
        guard let reference = try? BulletinReference(id) else { return nil }
        return try read("console bulletin summary") { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.summaryColumns) FROM bulletin b WHERE b.id = ?", arguments: [reference])
            else { return nil }
            return try Self.summary(from: row).0
        }
    }

    /// The bulletin `id` names with its recipients' deliveries, its chain and its flag for review,
    /// or `nil` when no bulletin has that id (or `id` is not a bulletin id at all: it is never put
    /// into SQL).
    public func bulletin(id: String) throws(StoreError) -> BulletinRecord? {
        guard let reference = try? BulletinReference(id) else { return nil }
        return try read("console bulletin") { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.summaryColumns) FROM bulletin b WHERE b.id = ?", arguments: [reference])
            else { return nil }
            let (summary, body) = try Self.summary(from: row)
            let recipients = summary.isOwn ? try Self.deliveries(of: reference, in: db) : []
            let later = try Self.laterBulletins(of: reference, in: db)
            let flag = summary.flagged ? try Self.flag(of: reference, in: db) : nil
            return BulletinRecord(body: body, summary: summary, recipients: recipients, laterBulletins: later, flag: flag)
        }
    }

    /// The bulletins stored here that correct or withdraw the bulletin `id` names, oldest first
    /// (one indexed query; empty when `id` is not a bulletin id).
    public func laterBulletins(of id: String) throws(StoreError) -> [BulletinRecord.ChainLink] {
        guard let reference = try? BulletinReference(id) else { return [] }
        return try read("later bulletins") { db in try Self.laterBulletins(of: reference, in: db) }
    }

    private static func laterBulletins(of reference: BulletinReference, in db: Database) throws -> [BulletinRecord.ChainLink] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, stored_at, 'correction' AS kind FROM bulletin WHERE corrects_id = ?1
                UNION ALL
                SELECT id, stored_at, 'withdrawal' AS kind FROM bulletin WHERE withdraws_id = ?1
                ORDER BY stored_at, id
                """,
            arguments: [reference]
        ).map { (row: Row) throws(StoreError) in
            let stored = StoredRow(row, of: .bulletin)
            let kind: BulletinRecord.ChainLink.Kind = (row["kind"] as String?) == "withdrawal" ? .withdrawal : .correction
            return BulletinRecord.ChainLink(id: try stored.value("id"), kind: kind, storedAt: try stored.value("stored_at"))
        }
    }

    /// The `bulletin_flag` row of `reference`, or `nil` (one primary-key lookup).
    private static func flag(of reference: BulletinReference, in db: Database) throws -> BulletinFlag? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM bulletin_flag WHERE bulletin_id = ?", arguments: [reference]) else {
            return nil
        }
        return try BulletinStore.flag(from: row)
    }

    /// The summary and body of the bulletin `id` names, or `nil` (one query, no deliveries).
    public func summaryAndBody(id: String) throws(StoreError) -> (summary: BulletinSummary, body: [UInt8])? {
        guard let reference = try? BulletinReference(id) else { return nil }
        return try read("bulletin summary and body") { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.summaryColumns) FROM bulletin b WHERE b.id = ?", arguments: [reference])
            else { return nil }
            return try Self.summary(from: row)
        }
    }

    /// Each recipient's envelope of the own bulletin `reference` and what its receipts say.
    private static func deliveries(of reference: BulletinReference, in db: Database) throws -> [RecipientDelivery] {
        let envelopes = try Row.fetchAll(
            db, sql: "SELECT recipient, sequence, created_at FROM outgoing_envelope WHERE bulletin_id = ? ORDER BY recipient",
            arguments: [reference])
        return try envelopes.map { (row: Row) throws -> RecipientDelivery in
            let envelope = StoredRow(row, of: .outgoingEnvelope)
            let recipient: StateCode = try envelope.value("recipient")
            let sequence: UInt64 = try envelope.value("sequence")
            let signedSequence = try BulletinStore.storedInteger(sequence, table: .outgoingEnvelope, column: "sequence")
            var state = DeliveryState.awaitingReceipt
            // Its own receipts, accepted first (a recipient that refused and later accepted it).
            let own = try Row.fetchAll(
                db, sql: "SELECT recipient, sequence, status, received_at FROM receipt WHERE recipient = ? AND sequence = ? ORDER BY status",
                arguments: [recipient, signedSequence])
            if let first = own.first {
                let receipt = StoredRow(first, of: .receipt)
                let receivedAt: Timestamp = try receipt.value("received_at")
                switch try receipt.value("status", as: ReceiptStatus.self) {
                case .accepted: state = .accepted(receivedAt: receivedAt)
                case .rejected(let reason): state = .refused(reason, receivedAt: receivedAt)
                }
            } else if let later = try Row.fetchOne(
                db,
                // The statuses that place an envelope in the recipient's chain, as acknowledgedPositions counts them.
                sql: """
                    SELECT recipient, sequence, status, received_at FROM receipt
                    WHERE recipient = ? AND sequence > ? AND (status = 0 OR status = 400 OR status BETWEEN 500 AND 599)
                    ORDER BY sequence LIMIT 1
                    """,
                arguments: [recipient, signedSequence])
            {
                let receipt = StoredRow(later, of: .receipt)
                state = .covered(bySequence: try receipt.value("sequence"), receivedAt: try receipt.value("received_at"))
            }
            return RecipientDelivery(recipient: recipient, sequence: sequence, sealedAt: try envelope.value("created_at"), state: state)
        }
    }

    /// A summary row (``summaryColumns``) and the body it was read from.
    private static func summary(from row: Row) throws(StoreError) -> (summary: BulletinSummary, body: [UInt8]) {
        let stored = StoredRow(row, of: .bulletin)
        let id: BulletinReference = try stored.value("id")
        let origin: StateCode = try stored.value("origin")
        guard origin == id.origin else {
            throw stored.invalid("origin", origin.databaseValue, expected: "\(id.origin), the state its id names")
        }
        let body = try stored.bytes("body")
        let fields = BulletinBodyFields(body: body)
        let own: Int64 = try stored.value("own")
        let flagged: Int64 = try stored.value("flagged")
        let summary = BulletinSummary(
            id: id, origin: origin, incidentType: try stored.value("incident_type"), tlp: try stored.value("tlp"),
            workingGroup: try stored.optionalValue("working_group"), handling: fields.indexFields.handling, storedAt: try stored.value("stored_at"),
            createdAt: try stored.value("created_at"), title: fields.title, isOwn: own != 0,
            correctsID: try stored.optionalValue("corrects_id"), withdrawsID: try stored.optionalValue("withdraws_id"),
            flagged: flagged != 0)
        return (summary, body)
    }
}
