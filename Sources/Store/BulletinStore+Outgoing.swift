import Foundation
import GRDB

extension BulletinStore {
    /// A bulletin to post and the states it goes to.
    public struct Post: Sendable {
        /// The bulletin.
        public var bulletin: StoredBulletin
        /// Its recipients, one envelope each.
        public var recipients: [String]

        /// A post.
        public init(bulletin: StoredBulletin, recipients: [String]) {
            self.bulletin = bulletin
            self.recipients = recipients
        }
    }

    /// Stores a posted bulletin and one envelope per recipient in a single durable transaction.
    /// See ``recordPosts(_:seal:)``.
    public func recordPost(
        _ bulletin: StoredBulletin,
        recipients: [String],
        seal: (_ recipient: String, _ last: LinkPosition?) throws -> OutgoingEnvelope
    ) throws -> [OutgoingEnvelope] {
        try recordPosts(
            [Post(bulletin: bulletin, recipients: recipients)],
            seal: { (_: Int, recipient: String, last: LinkPosition?) throws -> OutgoingEnvelope in try seal(recipient, last) }
        ).first ?? []
    }

    /// Stores posted bulletins and their envelopes in a single durable transaction (group
    /// commit: one disk flush for the whole batch). Returns each post's envelopes, in order.
    ///
    /// For each post and recipient, `seal` gets the index of the post, the recipient and the
    /// link's last position (`nil` before its first envelope, and including the envelopes of
    /// earlier posts of the batch) and returns the envelope to store, which must carry the next
    /// sequence number. Sealing inside the transaction is what makes sequence numbers gap-free:
    /// no other writer can take the same number, and a crash leaves all of the batch or nothing.
    ///
    /// Throws what `seal` threw, unchanged (nothing is stored then), or a ``StoreError``.
    public func recordPosts(
        _ posts: [Post],
        seal: (_ post: Int, _ recipient: String, _ last: LinkPosition?) throws -> OutgoingEnvelope
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
        sealing seal: (_ post: Int, _ recipient: String, _ last: LinkPosition?) throws -> OutgoingEnvelope
    ) throws(StoreError) -> [[OutgoingEnvelope]] {
        try write("record posts") { db in
            var sealed: [[OutgoingEnvelope]] = []
            var positions: [String: LinkPosition?] = [:]
            for (index, post) in posts.enumerated() {
                try Self.insert(post.bulletin, into: db)
                var envelopes: [OutgoingEnvelope] = []
                for recipient in post.recipients {
                    let last = try positions[recipient] ?? Self.lastOutgoing(db, to: recipient)
                    let envelope = try seal(index, recipient, last)
                    guard envelope.recipient == recipient, envelope.sequence == (last?.sequence ?? 0) + 1 else {
                        throw StoreError.corruptRow(
                            table: "outgoing_envelope",
                            detail: "sealed sequence \(envelope.sequence) for \(recipient) does not follow \(last?.sequence ?? 0)")
                    }
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO outgoing_envelope (recipient, sequence, bulletin_id, hash, bytes, created_at)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """
                    ).execute(
                        arguments: [
                            recipient, Int64(envelope.sequence), envelope.bulletinID, Data(envelope.hash),
                            Data(envelope.bytes), envelope.createdAt,
                        ])
                    positions[recipient] = LinkPosition(sequence: envelope.sequence, hash: envelope.hash)
                    envelopes.append(envelope)
                }
                sealed.append(envelopes)
            }
            return sealed
        }
    }

    /// The last envelope sealed for `recipient`, or `nil` when none was.
    public func lastOutgoingPosition(to recipient: String) throws(StoreError) -> LinkPosition? {
        try read("last outgoing position") { db in try Self.lastOutgoing(db, to: recipient) }
    }

    /// The last outgoing position of every link this node has sealed envelopes on.
    public func outgoingPositions() throws(StoreError) -> [String: LinkPosition] {
        try read("outgoing positions") { db in try Self.lastPositions(db, of: .outgoing) }
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
        try lastPosition(db, of: .outgoing, peer: recipient)
    }

    static func insert(_ bulletin: StoredBulletin, into db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO bulletin (id, origin, incident_type, tlp, created_at, stored_at, body)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                bulletin.id, bulletin.origin, bulletin.incidentType, bulletin.tlp, bulletin.createdAt,
                bulletin.storedAt, Data(bulletin.body),
            ])
    }
}
