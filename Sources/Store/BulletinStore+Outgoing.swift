import Foundation
import GRDB

extension BulletinStore {
    /// Stores a posted bulletin and one envelope per recipient in a single durable transaction.
    ///
    /// For each recipient, `seal` gets the link's last position (or `nil` for a link's first
    /// envelope) and returns the envelope to store, which must carry the next sequence number.
    /// Sealing inside the transaction is what makes sequence numbers gap-free: no other writer can
    /// take the same number, and a crash leaves either the whole post or nothing.
    ///
    /// Throws what `seal` threw, unchanged (nothing is stored then), or a ``StoreError``.
    public func recordPost(
        _ bulletin: StoredBulletin,
        recipients: [String],
        seal: (_ recipient: String, _ last: LinkPosition?) throws -> OutgoingEnvelope
    ) throws -> [OutgoingEnvelope] {
        var sealingError: (any Error)?
        do {
            return try recordPost(
                bulletin, recipients: recipients,
                sealing: { recipient, last in
                    do {
                        return try seal(recipient, last)
                    } catch {
                        sealingError = error
                        throw error
                    }
                })
        } catch {
            throw sealingError ?? error
        }
    }

    private func recordPost(
        _ bulletin: StoredBulletin,
        recipients: [String],
        sealing seal: (_ recipient: String, _ last: LinkPosition?) throws -> OutgoingEnvelope
    ) throws(StoreError) -> [OutgoingEnvelope] {
        try write("record post") { db in
            try Self.insert(bulletin, into: db)
            var envelopes: [OutgoingEnvelope] = []
            for recipient in recipients {
                let last = try Self.lastOutgoing(db, to: recipient)
                let envelope = try seal(recipient, last)
                guard envelope.recipient == recipient, envelope.sequence == (last?.sequence ?? 0) + 1 else {
                    throw StoreError.corruptRow(
                        table: "outgoing_envelope",
                        detail: "sealed sequence \(envelope.sequence) for \(recipient) does not follow \(last?.sequence ?? 0)")
                }
                try db.execute(
                    sql: """
                        INSERT INTO outgoing_envelope (recipient, sequence, bulletin_id, hash, bytes, created_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        recipient, Int64(envelope.sequence), envelope.bulletinID, Data(envelope.hash),
                        Data(envelope.bytes), envelope.createdAt,
                    ])
                envelopes.append(envelope)
            }
            return envelopes
        }
    }

    /// The last envelope sealed for `recipient`, or `nil` when none was.
    public func lastOutgoingPosition(to recipient: String) throws(StoreError) -> LinkPosition? {
        try read("last outgoing position") { db in try Self.lastOutgoing(db, to: recipient) }
    }

    /// The last outgoing position of every link this node has sealed envelopes on.
    public func outgoingPositions() throws(StoreError) -> [String: LinkPosition] {
        try read("outgoing positions") { db in
            var positions: [String: LinkPosition] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT recipient, sequence, hash FROM outgoing_envelope AS e
                    WHERE sequence = (SELECT MAX(sequence) FROM outgoing_envelope WHERE recipient = e.recipient)
                    """)
            for row in rows {
                positions[row["recipient"]] = LinkPosition(
                    sequence: UInt64(row["sequence"] as Int64), hash: [UInt8](row["hash"] as Data))
            }
            return positions
        }
    }

    /// Up to `limit` envelopes for `recipient` with a sequence above `sequence`, in order: what a
    /// replay request gets, one bounded batch at a time.
    public func outgoingEnvelopes(to recipient: String, after sequence: UInt64, limit: Int) throws(StoreError) -> [OutgoingEnvelope] {
        try read("outgoing envelopes") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT recipient, sequence, bulletin_id, hash, bytes, created_at FROM outgoing_envelope
                    WHERE recipient = ? AND sequence > ? ORDER BY sequence LIMIT ?
                    """,
                arguments: [recipient, Int64(clamping: sequence), limit]
            ).map { row in
                OutgoingEnvelope(
                    recipient: row["recipient"], sequence: UInt64(row["sequence"] as Int64),
                    bulletinID: row["bulletin_id"], hash: [UInt8](row["hash"] as Data),
                    bytes: [UInt8](row["bytes"] as Data), createdAt: row["created_at"])
            }
        }
    }

    static func lastOutgoing(_ db: Database, to recipient: String) throws -> LinkPosition? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT sequence, hash FROM outgoing_envelope WHERE recipient = ? ORDER BY sequence DESC LIMIT 1",
                arguments: [recipient])
        else { return nil }
        return LinkPosition(sequence: UInt64(row["sequence"] as Int64), hash: [UInt8](row["hash"] as Data))
    }

    static func insert(_ bulletin: StoredBulletin, into db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO bulletin (id, origin, incident_type, tlp, created_at, stored_at, body)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                bulletin.id, bulletin.origin, bulletin.incidentType, bulletin.tlp, bulletin.createdAt,
                bulletin.storedAt, Data(bulletin.body),
            ])
    }
}
