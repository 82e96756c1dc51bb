import Exchange
import Foundation
import GRDB

/// A file an officer attached, as the origin stores it with the post: its row and every chunk
/// sealed (docs/PROTOCOL.md §17).
public struct PostedAttachment: Sendable {
    /// The row (state ``StoredAttachment/State/complete``, every chunk held).
    public var record: StoredAttachment
    /// The sealed chunks, in order.
    public var sealedChunks: [[UInt8]]

    /// An attachment to store with its post.
    public init(record: StoredAttachment, sealedChunks: [[UInt8]]) {
        self.record = record
        self.sealedChunks = sealedChunks
    }
}

/// One chunk pulled from an origin, checked, to store.
public struct ReceivedChunk: Sendable, Equatable {
    /// The bulletin.
    public var bulletin: BulletinReference
    /// The attachment's number, from 1.
    public var number: Int
    /// The chunk's index, from 0.
    public var index: UInt64
    /// The chunk as it travelled (it opened under the attachment's key).
    public var sealed: [UInt8]

    /// A chunk to store.
    public init(bulletin: BulletinReference, number: Int, index: UInt64, sealed: [UInt8]) {
        self.bulletin = bulletin
        self.number = number
        self.index = index
        self.sealed = sealed
    }
}

extension BulletinStore {
    /// The attachments of `bulletin`, in their order.
    public func attachments(of bulletin: BulletinReference) throws(StoreError) -> [StoredAttachment] {
        try read("attachments") { db in try Self.attachments(of: bulletin, in: db) }
    }

    /// The attachments still pulled from `origin`, those of the bulletin stored first first (a
    /// transfer cut by a restart goes on before later ones), at most `limit`.
    public func attachmentsInTransfer(from origin: StateCode, limit: Int) throws(StoreError) -> [StoredAttachment] {
        try read("attachments in transfer") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.* FROM attachment a JOIN bulletin b ON b.id = a.bulletin_id
                    WHERE a.origin = ? AND a.state = 'transfer' ORDER BY b.stored_at, a.bulletin_id, a.number LIMIT ?
                    """,
                arguments: [origin, limit]
            ).map(Self.attachment(from:))
        }
    }

    /// The indices of the chunks held of an attachment.
    public func heldChunks(of bulletin: BulletinReference, number: Int) throws(StoreError) -> Set<UInt64> {
        try read("held chunks") { db in
            let indices = try Int64.fetchAll(
                db, sql: "SELECT chunk FROM attachment_chunk WHERE bulletin_id = ? AND number = ?",
                arguments: [bulletin, number])
            return Set(indices.compactMap { UInt64(exactly: $0) })
        }
    }

    /// Chunk `index` of an attachment as stored (sealed), or `nil` when this node does not hold it.
    public func chunk(of bulletin: BulletinReference, number: Int, index: UInt64) throws(StoreError) -> [UInt8]? {
        guard let index = Int64(exactly: index) else { return nil }
        return try read("attachment chunk") { db in try Self.chunk(of: bulletin, number: number, index: index, in: db) }
    }

    /// Whether `recipient` was sent `bulletin` (an envelope to it names the bulletin): only they
    /// may pull its attachments.
    public func wasSent(_ bulletin: BulletinReference, to recipient: StateCode) throws(StoreError) -> Bool {
        try read("bulletin sent to") { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM outgoing_envelope WHERE bulletin_id = ? AND recipient = ?)",
                arguments: [bulletin, recipient]) ?? false
        }
    }

    /// Stores pulled chunks in one durable transaction and counts them on their attachment (a
    /// chunk already held is kept as it was). Chunks of an attachment no longer in transfer are
    /// dropped.
    public func recordChunks(_ chunks: [ReceivedChunk], at now: Timestamp) throws(StoreError) {
        guard !chunks.isEmpty else { return }
        try write("record attachment chunks") { db in
            var touched: Set<[String]> = []
            for chunk in chunks {
                let inTransfer =
                    try Bool.fetchOne(
                        db,
                        sql:
                            "SELECT EXISTS (SELECT 1 FROM attachment WHERE bulletin_id = ? AND number = ? AND state = 'transfer')",
                        arguments: [chunk.bulletin, chunk.number]) ?? false
                guard inTransfer, let index = Int64(exactly: chunk.index) else { continue }
                try db.cachedStatement(
                    sql:
                        "INSERT OR IGNORE INTO attachment_chunk (bulletin_id, number, chunk, sealed) VALUES (?, ?, ?, ?)"
                ).execute(arguments: [chunk.bulletin, chunk.number, index, Data(chunk.sealed)])
                touched.insert([chunk.bulletin.description, String(chunk.number)])
            }
            for key in touched {
                try db.execute(
                    sql: """
                        UPDATE attachment SET updated_at = ?,
                            chunks_held = (SELECT count(*) FROM attachment_chunk c WHERE c.bulletin_id = ? AND c.number = ?)
                        WHERE bulletin_id = ? AND number = ?
                        """,
                    arguments: [now, key[0], key[1], key[0], key[1]])
            }
        }
    }

    /// Ends an attachment's transfer: `complete` (every chunk is here, the file checked) or
    /// `refused` with why (its chunks are deleted).
    public func finishAttachment(
        _ bulletin: BulletinReference, number: Int, state: StoredAttachment.State, detail: String? = nil,
        at now: Timestamp
    ) throws(StoreError) {
        try write("finish attachment") { db in
            try db.execute(
                sql: "UPDATE attachment SET state = ?, detail = ?, updated_at = ? WHERE bulletin_id = ? AND number = ?",
                arguments: [state, detail, now, bulletin, number])
            if state == .refused {
                try db.execute(
                    sql: "DELETE FROM attachment_chunk WHERE bulletin_id = ? AND number = ?",
                    arguments: [bulletin, number])
                try db.execute(
                    sql: "UPDATE attachment SET chunks_held = 0 WHERE bulletin_id = ? AND number = ?",
                    arguments: [bulletin, number])
            }
        }
    }

    /// Deletes the chunks of an attachment that did not make its file, so that they are pulled
    /// again (the transfer goes on).
    public func dropChunks(of bulletin: BulletinReference, number: Int, at now: Timestamp) throws(StoreError) {
        try write("drop attachment chunks") { db in
            try db.execute(
                sql: "DELETE FROM attachment_chunk WHERE bulletin_id = ? AND number = ?", arguments: [bulletin, number])
            try db.execute(
                sql: "UPDATE attachment SET chunks_held = 0, updated_at = ? WHERE bulletin_id = ? AND number = ?",
                arguments: [now, bulletin, number])
        }
    }

    static func insert(_ attachment: StoredAttachment, ifAbsent: Bool = false, into db: Database) throws {
        let size = try storedInteger(attachment.size, table: .attachment, column: "size")
        let chunks = try storedInteger(attachment.chunkCount, table: .attachment, column: "chunk_count")
        let held = try storedInteger(attachment.chunksHeld, table: .attachment, column: "chunks_held")
        try db.cachedStatement(
            sql: """
                INSERT \(ifAbsent ? "OR IGNORE " : "")INTO attachment (bulletin_id, number, origin, sha256, size, media_type, file_name,
                    key, chunk_count, chunks_held, state, detail, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            attachment.bulletin, attachment.number, attachment.bulletin.origin, Data(attachment.sha256), size,
            attachment.mediaType,
            attachment.fileName, attachment.key, chunks, held, attachment.state, attachment.detail,
            attachment.updatedAt,
        ])
    }

    static func insertChunk(reference: DatabaseValue, number: Int, index: Int, sealed: [UInt8], into db: Database)
        throws
    {
        try db.cachedStatement(
            sql: "INSERT INTO attachment_chunk (bulletin_id, number, chunk, sealed) VALUES (?, ?, ?, ?)"
        )
        .execute(arguments: [reference, number, index, Data(sealed)])
    }

    static func attachments(of bulletin: BulletinReference, in db: Database) throws -> [StoredAttachment] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM attachment WHERE bulletin_id = ? ORDER BY number", arguments: [bulletin]
        )
        .map(Self.attachment(from:))
    }

    static func chunk(of bulletin: BulletinReference, number: Int, index: Int64, in db: Database) throws -> [UInt8]? {
        try Data.fetchOne(
            db, sql: "SELECT sealed FROM attachment_chunk WHERE bulletin_id = ? AND number = ? AND chunk = ?",
            arguments: [bulletin, number, index]
        ).map { [UInt8]($0) }
    }

    static func attachment(from row: Row) throws(StoreError) -> StoredAttachment {
        let row = StoredRow(row, of: .attachment)
        return StoredAttachment(
            bulletin: try row.value("bulletin_id"), number: try row.value("number"), sha256: try row.bytes("sha256"),
            size: try row.value("size"), mediaType: try row.value("media_type"), fileName: try row.value("file_name"),
            key: try row.value("key"), chunkCount: try row.value("chunk_count"),
            chunksHeld: try row.value("chunks_held"),
            state: try row.value("state"), detail: try row.optionalValue("detail"),
            updatedAt: try row.value("updated_at"))
    }
}

extension BulletinStore {
    /// Finished attachments (held or refused) from `origin` whose receipt the origin has not
    /// said it kept, oldest first, at most `limit`, after `cursor` (the last one of the previous
    /// round, in the order `updated_at`, bulletin, number): their receipts are sent (again).
    public func attachmentReceiptsDue(from origin: StateCode, limit: Int, after cursor: StoredAttachment? = nil)
        throws(StoreError) -> [StoredAttachment]
    {
        try read("attachment receipts due") { db in
            if let cursor {
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM attachment WHERE origin = ? AND state != 'transfer' AND receipt_acknowledged = 0
                            AND (updated_at, bulletin_id, number) > (?, ?, ?)
                        ORDER BY updated_at, bulletin_id, number LIMIT ?
                        """,
                    arguments: [origin, cursor.updatedAt, cursor.bulletin, cursor.number, max(0, limit)]
                ).map(Self.attachment(from:))
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM attachment WHERE origin = ? AND state != 'transfer' AND receipt_acknowledged = 0
                    ORDER BY updated_at, bulletin_id, number LIMIT ?
                    """,
                arguments: [origin, max(0, limit)]
            ).map(Self.attachment(from:))
        }
    }

    /// The origin kept this node's receipt for an attachment: it is not sent again.
    public func markAttachmentReceiptKept(_ bulletin: BulletinReference, number: Int) throws(StoreError) {
        try write("attachment receipt kept") { db in
            try db.execute(
                sql: "UPDATE attachment SET receipt_acknowledged = 1 WHERE bulletin_id = ? AND number = ?",
                arguments: [bulletin, number])
        }
    }

    /// Keeps a recipient's checked attachment receipt for one of this node's attachments;
    /// `true` when it is new (a receipt sent again is kept once).
    public func recordAttachmentReceipt(
        _ bulletin: BulletinReference, number: Int, recipient: StateCode, held: Bool, receivedAt: Timestamp,
        bytes: [UInt8]
    ) throws(StoreError) -> Bool {
        try write("record attachment receipt") { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO attachment_receipt (bulletin_id, number, recipient, held, received_at, bytes)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [bulletin, number, recipient, held ? 1 : 0, receivedAt, Data(bytes)])
            return db.changesCount > 0
        }
    }

    /// How many attachments of bulletins this node sent to `recipient` have no receipt from it.
    public func attachmentsWithoutReceipt(to recipient: StateCode) throws(StoreError) -> Int {
        try read("attachments without receipt") { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM attachment a
                    WHERE EXISTS (SELECT 1 FROM outgoing_envelope o WHERE o.bulletin_id = a.bulletin_id AND o.recipient = ?)
                      AND NOT EXISTS (
                        SELECT 1 FROM attachment_receipt r WHERE r.bulletin_id = a.bulletin_id AND r.number = a.number AND r.recipient = ?)
                    """,
                arguments: [recipient, recipient]) ?? 0
        }
    }

    /// How many attachments from `origin` this node is still pulling.
    public func attachmentsInTransferCount(from origin: StateCode) throws(StoreError) -> Int {
        try read("attachments in transfer count") { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM attachment WHERE origin = ? AND state = 'transfer'", arguments: [origin])
                ?? 0
        }
    }

    /// Each recipient's receipt for the attachments of `bulletin`: recipient → number → held.
    public func attachmentReceipts(of bulletin: BulletinReference) throws(StoreError) -> [StateCode: [Int: Bool]] {
        try read("attachment receipts") { db in
            var receipts: [StateCode: [Int: Bool]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT recipient, number, held FROM attachment_receipt WHERE bulletin_id = ?",
                arguments: [bulletin])
            {
                let stored = StoredRow(row, of: .attachment)
                receipts[try stored.value("recipient", as: StateCode.self), default: [:]][try stored.value("number")] =
                    (try stored.value("held", as: Int64.self)) == 1
            }
            return receipts
        }
    }
}
