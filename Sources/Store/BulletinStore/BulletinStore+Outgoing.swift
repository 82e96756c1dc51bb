import Exchange
import Foundation
import GRDB

extension BulletinStore {
    /// A bulletin to post and the states it goes to.
    public struct Post: Sendable {
        /// The bulletin.
        public var bulletin: StoredBulletin
        /// Its recipients, one envelope each.
        public var recipients: [StateCode]
        /// The files its body lists, each with every chunk sealed (stored `complete`).
        public var attachments: [PostedAttachment]

        /// A post.
        public init(bulletin: StoredBulletin, recipients: [StateCode], attachments: [PostedAttachment] = []) {
            self.bulletin = bulletin
            self.recipients = recipients
            self.attachments = attachments
        }
    }

    /// Stores a posted bulletin and one envelope per recipient in a single durable transaction.
    /// See ``recordPosts(_:seal:)``.
    public func recordPost(
        _ bulletin: StoredBulletin,
        recipients: [StateCode],
        seal: (_ recipient: StateCode, _ last: ChainPosition) throws -> OutgoingEnvelope
    ) throws -> [OutgoingEnvelope] {
        try recordPosts(
            [Post(bulletin: bulletin, recipients: recipients)],
            seal: { (_: Int, recipient: StateCode, last: ChainPosition) throws -> OutgoingEnvelope in try seal(recipient, last) }
        ).first ?? []
    }

    /// Stores posted bulletins and their envelopes in a single durable transaction (group
    /// commit: one disk flush for the whole batch). Returns each post's envelopes, in order.
    ///
    /// For each post and recipient, `seal` gets the index of the post, the recipient and the
    /// link's last position (`ChainPosition.start` before its first envelope, and including the
    /// envelopes of earlier posts of the batch) and returns the envelope to store, which must
    /// carry the next sequence number. Sealing inside the transaction is what makes sequence
    /// numbers gap-free: no other writer can take the same number, and a crash leaves all of the
    /// batch or nothing.
    ///
    /// Throws what `seal` threw, unchanged (nothing is stored then), or a ``StoreError``.
    public func recordPosts(
        _ posts: [Post],
        seal: (_ post: Int, _ recipient: StateCode, _ last: ChainPosition) throws -> OutgoingEnvelope
    ) throws -> [[OutgoingEnvelope]] {
        var sealingError: (any Error)?
        do {
            return try storePosts(
                posts,
                sealing: { post, recipient, last in
                    do {
                        return try seal(post, recipient, last)
                    } catch {
                        sealingError = error
                        throw error
                    }
                })
        } catch {
            throw sealingError ?? error
        }
    }

    private func storePosts(
        _ posts: [Post],
        sealing seal: (_ post: Int, _ recipient: StateCode, _ last: ChainPosition) throws -> OutgoingEnvelope
    ) throws(StoreError) -> [[OutgoingEnvelope]] {
        try write("record posts") { db in
            var sealed: [[OutgoingEnvelope]] = []
            var positions: [StateCode: ChainPosition] = [:]
            for (index, post) in posts.enumerated() {
                // Every envelope of the post names its bulletin: the reference's text is made once.
                let reference = post.bulletin.reference.databaseValue
                try Self.insert(post.bulletin, reference: reference, own: true, storedAt: storedAtSequence, into: db)
                for attachment in post.attachments {
                    try Self.insert(attachment.record, into: db)
                    for (index, sealed) in attachment.sealedChunks.enumerated() {
                        try Self.insertChunk(reference: reference, number: attachment.record.number, index: index, sealed: sealed, into: db)
                    }
                }
                var envelopes: [OutgoingEnvelope] = []
                for recipient in post.recipients {
                    let last = try positions[recipient] ?? Self.lastOutgoing(db, to: recipient) ?? .start
                    let envelope = try seal(index, recipient, last)
                    guard envelope.recipient == recipient, envelope.sequence == last.sequence + 1 else {
                        throw StoreError.outOfSequence(
                            file: Self.fileName, table: StoredTable.outgoingEnvelope.name, peer: recipient.description,
                            sequence: envelope.sequence, expected: last.sequence + 1)
                    }
                    let sequence = try Self.storedInteger(envelope.sequence, table: .outgoingEnvelope, column: "sequence")
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO outgoing_envelope (recipient, sequence, bulletin_id, hash, bytes, created_at)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """
                    ).execute(
                        arguments: [
                            recipient, sequence, envelope.bulletin == post.bulletin.reference ? reference : envelope.bulletin.databaseValue,
                            envelope.hash, Data(envelope.bytes), envelope.createdAt,
                        ])
                    positions[recipient] = envelope.position
                    envelopes.append(envelope)
                }
                sealed.append(envelopes)
            }
            return sealed
        }
    }

    /// The last envelope sealed for `recipient`, or `nil` when none was.
    public func lastOutgoingPosition(to recipient: StateCode) throws(StoreError) -> ChainPosition? {
        try read("last outgoing position") { db in try Self.lastOutgoing(db, to: recipient) }
    }

    /// The last outgoing position of every link this node has sealed envelopes on.
    public func outgoingPositions() throws(StoreError) -> [StateCode: ChainPosition] {
        try read("outgoing positions") { db in try Self.lastPositions(db, of: .outgoing) }
    }

    /// Up to `limit` envelopes for `recipient` with a sequence above `sequence`, in order: what a
    /// replay request gets, one bounded batch at a time.
    public func outgoingEnvelopes(to recipient: StateCode, after sequence: UInt64, limit: Int) throws(StoreError) -> [OutgoingEnvelope] {
        try read("outgoing envelopes") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT recipient, sequence, bulletin_id, hash, bytes, created_at FROM outgoing_envelope
                    WHERE recipient = ? AND sequence > ? ORDER BY sequence LIMIT ?
                    """,
                arguments: [recipient, Int64(clamping: sequence), limit]
            ).map(Self.outgoingEnvelope(from:))
        }
    }

    /// The sequences and bytes of at most `limit` envelopes for `recipient` after `sequence`, in
    /// order: a replay answer (the hot path of a catch-up, which reads nothing else of them).
    public func replayableEnvelopes(to recipient: StateCode, after sequence: UInt64, limit: Int) throws(StoreError) -> [ReplayableEnvelope] {
        try read("outgoing envelopes") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT sequence, bytes FROM outgoing_envelope
                    WHERE recipient = ? AND sequence > ? ORDER BY sequence LIMIT ?
                    """,
                arguments: [recipient, Int64(clamping: sequence), limit]
            ).map { row throws(StoreError) in
                let row = StoredRow(row, of: .outgoingEnvelope)
                return ReplayableEnvelope(sequence: try row.value("sequence"), bytes: try row.bytes("bytes"))
            }
        }
    }

    /// The envelope sealed for `recipient` with `sequence`, if stored.
    public func outgoingEnvelope(to recipient: StateCode, sequence: UInt64) throws(StoreError) -> OutgoingEnvelope? {
        guard sequence > 0 else { return nil }
        return try outgoingEnvelopes(to: recipient, after: sequence - 1, limit: 1).first { $0.sequence == sequence }
    }

    static func outgoingEnvelope(from row: Row) throws(StoreError) -> OutgoingEnvelope {
        let row = StoredRow(row, of: .outgoingEnvelope)
        return OutgoingEnvelope(
            recipient: try row.value("recipient"), sequence: try row.value("sequence"), bulletin: try row.value("bulletin_id"),
            hash: try row.value("hash"), bytes: try row.bytes("bytes"), createdAt: try row.value("created_at"))
    }

    static func lastOutgoing(_ db: Database, to recipient: StateCode) throws -> ChainPosition? {
        try lastPosition(db, of: .outgoing, peer: recipient)
    }

    /// Inserts `bulletin`, whose reference's database value is `reference`, posted by this node
    /// (`own`: its id must be new) or received (a bulletin already stored is kept as it was), with
    /// the console's columns and handling rows (migration v3): its ``StoredBulletin/indexFields``,
    /// or read from its body when the caller did not have them. Its `stored_at` is its
    /// ``StoredBulletin/storedAt`` raised, if needed, to one millisecond after the last bulletin
    /// stored (``StoredAtSequence``).
    /// Inserts a bulletin's row; `false` when a received bulletin was stored before (same
    /// reference: the stored one is kept as it was).
    @discardableResult
    static func insert(_ bulletin: StoredBulletin, reference: DatabaseValue, own: Bool, storedAt sequence: StoredAtSequence, into db: Database) throws
        -> Bool
    {
        let fields = bulletin.indexFields ?? BulletinBodyFields(body: bulletin.body).indexFields
        let storedAt = sequence.value(after: bulletin.storedAt)
        try db.cachedStatement(
            sql: """
                INSERT \(own ? "" : "OR IGNORE ")INTO bulletin
                    (id, origin, incident_type, tlp, created_at, stored_at, body, own, working_group, corrects_id, withdraws_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                reference, bulletin.origin, bulletin.incidentType, bulletin.tlp, bulletin.createdAt, storedAt, Data(bulletin.body),
                own, fields.workingGroup, fields.corrects, fields.withdraws,
            ])
        guard db.changesCount > 0 else { return false }
        sequence.take(storedAt)
        try insertHandling(fields.handling, id: reference, storedAt: storedAt.databaseValue, in: db)
        return true
    }

    /// Stores the handling codes of the bulletin `id` stored at `storedAt` (migration v3).
    static func insertHandling(_ codes: [String], id: DatabaseValue, storedAt: DatabaseValue, in db: Database) throws {
        for code in Set(codes) {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO bulletin_handling (code, stored_at, bulletin_id) VALUES (?, ?, ?)")
                .execute(arguments: [code, storedAt, id])
        }
    }
}
