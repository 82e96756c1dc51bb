import Foundation
import GRDB

extension BulletinStore {
    /// One envelope accepted from a peer, with the bulletin it carried.
    public struct Delivery: Sendable, Equatable {
        /// The envelope's link, sequence and hash.
        public var envelope: IncomingEnvelope
        /// The decrypted, validated bulletin; `nil` when its content was refused (the envelope's
        /// `status` says why).
        public var bulletin: StoredBulletin?

        /// A delivery to store.
        public init(envelope: IncomingEnvelope, bulletin: StoredBulletin?) {
            self.envelope = envelope
            self.bulletin = bulletin
        }
    }

    /// Stores accepted envelopes and their bulletins in one durable transaction (group commit:
    /// one disk flush for the whole batch). Only after it returns may they be acknowledged.
    ///
    /// Each envelope must follow the link's last position; a bulletin already stored (same id)
    /// is kept as it was.
    public func recordDeliveries(_ deliveries: [Delivery]) throws(StoreError) {
        guard !deliveries.isEmpty else { return }
        try write("record deliveries") { db in
            for delivery in deliveries {
                let envelope = delivery.envelope
                let last = try Self.lastIncoming(db, from: envelope.origin)
                guard envelope.sequence == (last?.sequence ?? 0) + 1 else {
                    throw StoreError.corruptRow(
                        table: "incoming_envelope",
                        detail: "sequence \(envelope.sequence) from \(envelope.origin) does not follow \(last?.sequence ?? 0)")
                }
                if let b = delivery.bulletin {
                    try db.cachedStatement(
                        sql: """
                            INSERT OR IGNORE INTO bulletin (id, origin, incident_type, tlp, created_at, stored_at, body)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """
                    ).execute(
                        arguments: [b.id, b.origin, b.incidentType, b.tlp, b.createdAt, b.storedAt, Data(b.body)])
                }
                try db.cachedStatement(
                    sql: """
                        INSERT INTO incoming_envelope (origin, sequence, bulletin_id, hash, received_at, status)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """
                ).execute(
                    arguments: [
                        envelope.origin, Int64(envelope.sequence), envelope.bulletinID, Data(envelope.hash),
                        envelope.receivedAt, envelope.status,
                    ])
            }
        }
    }

    /// The last envelope accepted from `origin`, or `nil` when none was.
    public func lastIncomingPosition(from origin: String) throws(StoreError) -> LinkPosition? {
        try read("last incoming position") { db in try Self.lastIncoming(db, from: origin) }
    }

    /// The last incoming position of every link this node has accepted envelopes on.
    public func incomingPositions() throws(StoreError) -> [String: LinkPosition] {
        try read("incoming positions") { db in try Self.lastPositions(db, of: .incoming) }
    }

    /// The envelope accepted from `origin` with `sequence`, to tell a duplicate (same hash) from a
    /// conflict (another envelope claiming a sequence already taken).
    public func incomingEnvelope(from origin: String, sequence: UInt64) throws(StoreError) -> IncomingEnvelope? {
        try read("incoming envelope") { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT origin, sequence, bulletin_id, hash, received_at, status FROM incoming_envelope
                    WHERE origin = ? AND sequence = ?
                    """,
                arguments: [origin, Int64(clamping: sequence)]
            ).map(Self.incomingEnvelope(from:))
        }
    }

    /// Up to `limit` envelopes accepted from `origin` with a sequence above `sequence`, in order.
    public func incomingEnvelopes(from origin: String, after sequence: UInt64, limit: Int) throws(StoreError) -> [IncomingEnvelope] {
        try read("incoming envelopes") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT origin, sequence, bulletin_id, hash, received_at, status FROM incoming_envelope
                    WHERE origin = ? AND sequence > ? ORDER BY sequence LIMIT ?
                    """,
                arguments: [origin, Int64(clamping: sequence), limit]
            ).map(Self.incomingEnvelope(from:))
        }
    }

    /// The number of envelopes accepted from `origin`.
    public func incomingCount(from origin: String) throws(StoreError) -> Int {
        try read("incoming count") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incoming_envelope WHERE origin = ?", arguments: [origin]) ?? 0
        }
    }

    static func incomingEnvelope(from row: Row) -> IncomingEnvelope {
        IncomingEnvelope(
            origin: row["origin"], sequence: UInt64(row["sequence"] as Int64), bulletinID: row["bulletin_id"],
            hash: [UInt8](row["hash"] as Data), receivedAt: row["received_at"], status: row["status"])
    }

    static func lastIncoming(_ db: Database, from origin: String) throws -> LinkPosition? {
        try lastPosition(db, of: .incoming, peer: origin)
    }
}
