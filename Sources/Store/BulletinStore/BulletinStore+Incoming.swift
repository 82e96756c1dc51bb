import Exchange
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
        /// Set when the bulletin is flagged for review as it is stored (signed with a key the
        /// roster in force already revoked, dated before the compromise time but arriving after
        /// it); stored in the same transaction.
        public var flag: BulletinFlag?
        /// The files the bulletin's body lists (state `transfer`, or `refused` when this node's
        /// limits do not take them), stored with it so that the transfer survives a restart.
        public var attachments: [StoredAttachment]

        /// A delivery to store.
        public init(
            envelope: IncomingEnvelope, bulletin: StoredBulletin?, flag: BulletinFlag? = nil,
            attachments: [StoredAttachment] = []
        ) {
            self.envelope = envelope
            self.bulletin = bulletin
            self.flag = flag
            self.attachments = attachments
        }
    }

    /// Stores accepted envelopes and their bulletins in one durable transaction (group commit:
    /// one disk flush for the whole batch). Only after it returns may they be acknowledged.
    ///
    /// Each envelope must follow the link's last position
    /// (``StoreError/outOfSequence(file:table:peer:sequence:expected:)`` otherwise, and nothing is
    /// stored); a bulletin already stored (same reference) is kept as it was.
    public func recordDeliveries(_ deliveries: [Delivery]) throws(StoreError) {
        guard !deliveries.isEmpty else { return }
        try write("record deliveries") { db in
            // Each link's last sequence is read once per transaction, then follows the inserts.
            var lastSequences: [StateCode: UInt64] = [:]
            for delivery in deliveries {
                let envelope = delivery.envelope
                let last =
                    try lastSequences[envelope.origin] ?? Self.lastIncoming(db, from: envelope.origin)?.sequence ?? 0
                guard envelope.sequence == last + 1 else {
                    throw StoreError.outOfSequence(
                        file: Self.fileName, table: StoredTable.incomingEnvelope.name,
                        peer: envelope.origin.description,
                        sequence: envelope.sequence, expected: last + 1)
                }
                let sequence = try Self.storedInteger(envelope.sequence, table: .incomingEnvelope, column: "sequence")
                // The envelope names its bulletin by the same reference as the bulletin's row: its
                // text is made once for both.
                let reference = envelope.bulletin.databaseValue
                var inserted = false
                if let b = delivery.bulletin {
                    inserted = try Self.insert(
                        b, reference: b.reference == envelope.bulletin ? reference : b.reference.databaseValue,
                        own: false, storedAt: storedAtSequence,
                        into: db)
                }
                try db.cachedStatement(
                    sql: """
                        INSERT INTO incoming_envelope (origin, sequence, bulletin_id, hash, received_at, status, signer)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [
                    envelope.origin, sequence, reference, envelope.hash, envelope.receivedAt, envelope.status,
                    envelope.signer.map { Int64(bitPattern: $0) },
                ])
                lastSequences[envelope.origin] = envelope.sequence
                if let flag = delivery.flag, delivery.bulletin != nil {
                    try Self.insert(flag, origin: envelope.origin, into: db)
                }
                // A bulletin stored before (same reference) keeps its body and the attachment rows it has.
                if inserted {
                    for attachment in delivery.attachments { try Self.insert(attachment, ifAbsent: true, into: db) }
                }
            }
        }
    }

    /// The last envelope accepted from `origin`, or `nil` when none was.
    public func lastIncomingPosition(from origin: StateCode) throws(StoreError) -> ChainPosition? {
        try read("last incoming position") { db in try Self.lastIncoming(db, from: origin) }
    }

    /// The last incoming position of every link this node has accepted envelopes on.
    public func incomingPositions() throws(StoreError) -> [StateCode: ChainPosition] {
        try read("incoming positions") { db in try Self.lastPositions(db, of: .incoming) }
    }

    /// The envelope accepted from `origin` with `sequence`, to tell a duplicate (same hash) from a
    /// conflict (another envelope claiming a sequence already taken).
    public func incomingEnvelope(from origin: StateCode, sequence: UInt64) throws(StoreError) -> IncomingEnvelope? {
        try read("incoming envelope") { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT origin, sequence, bulletin_id, hash, received_at, status, signer FROM incoming_envelope
                    WHERE origin = ? AND sequence = ?
                    """,
                arguments: [origin, Int64(clamping: sequence)]
            ).map(Self.incomingEnvelope(from:))
        }
    }

    /// Up to `limit` envelopes accepted from `origin` with a sequence above `sequence`, in order.
    public func incomingEnvelopes(from origin: StateCode, after sequence: UInt64, limit: Int) throws(StoreError)
        -> [IncomingEnvelope]
    {
        try read("incoming envelopes") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT origin, sequence, bulletin_id, hash, received_at, status, signer FROM incoming_envelope
                    WHERE origin = ? AND sequence > ? ORDER BY sequence LIMIT ?
                    """,
                arguments: [origin, Int64(clamping: sequence), limit]
            ).map(Self.incomingEnvelope(from:))
        }
    }

    /// The number of envelopes accepted from `origin`.
    public func incomingCount(from origin: StateCode) throws(StoreError) -> Int {
        try read("incoming count") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incoming_envelope WHERE origin = ?", arguments: [origin])
                ?? 0
        }
    }

    static func incomingEnvelope(from row: Row) throws(StoreError) -> IncomingEnvelope {
        let row = StoredRow(row, of: .incomingEnvelope)
        return IncomingEnvelope(
            origin: try row.value("origin"), sequence: try row.value("sequence"),
            bulletin: try row.value("bulletin_id"),
            hash: try row.value("hash"), receivedAt: try row.value("received_at"), status: try row.value("status"),
            signer: try row.optionalValue("signer", as: Int64.self).map { UInt64(bitPattern: $0) })
    }

    static func lastIncoming(_ db: Database, from origin: StateCode) throws -> ChainPosition? {
        try lastPosition(db, of: .incoming, peer: origin)
    }

    /// `value` as an SQLite integer, or ``StoreError/unstorableValue(file:table:column:value:)``.
    static func storedInteger(_ value: UInt64, table: StoredTable, column: String) throws(StoreError) -> Int64 {
        guard let integer = Int64(exactly: value) else {
            throw .unstorableValue(file: table.file, table: table.name, column: column, value: "\(value)")
        }
        return integer
    }
}
