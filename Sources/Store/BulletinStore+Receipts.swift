import Foundation
import GRDB

extension BulletinStore {
    /// Stores a receipt a recipient signed. Storing the same receipt twice keeps one.
    public func recordReceipt(_ receipt: StoredReceipt) throws(StoreError) {
        try recordReceipts([receipt])
    }

    /// Stores several receipts in one transaction (one disk flush for a burst) and answers, for
    /// each, whether it was new (a receipt already stored for that recipient, sequence and status
    /// is kept as it was), so that only new receipts are audited.
    @discardableResult
    public func recordReceipts(_ receipts: [StoredReceipt]) throws(StoreError) -> [Bool] {
        let storedAt = Int64(Date().timeIntervalSince1970 * 1_000_000)
        return try write("record receipts") { db in
            var new: [Bool] = []
            new.reserveCapacity(receipts.count)
            for receipt in receipts {
                try db.cachedStatement(
                    sql: """
                        INSERT OR IGNORE INTO receipt (recipient, sequence, envelope_hash, status, received_at, stored_at_us, bytes)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(
                    arguments: [
                        receipt.recipient, Int64(receipt.sequence), Data(receipt.envelopeHash), receipt.status,
                        receipt.receivedAt, storedAt, Data(receipt.bytes),
                    ])
                new.append(db.changesCount > 0)
            }
            return new
        }
    }

    /// The highest sequence each recipient has acknowledged: accepted (status 0), or refused for
    /// its content (400, 5xx: the envelope took its place in the recipient's chain, PROTOCOL.md
    /// §11.1). Because every envelope chains the previous one's hash, a receipt for `n` covers `1…n`.
    public func acknowledgedPositions() throws(StoreError) -> [String: UInt64] {
        try read("acknowledged positions") { db in
            var positions: [String: UInt64] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT recipient, MAX(sequence) AS sequence FROM receipt WHERE status = 0 OR status = 400 OR status BETWEEN 500 AND 599 GROUP BY recipient")
            {
                positions[row["recipient"]] = UInt64(row["sequence"] as Int64)
            }
            return positions
        }
    }

    /// When each accepted receipt from `recipient` was stored here (sequence, Unix microseconds),
    /// in sequence order: how long acknowledgements took (benchmarks, operations).
    public func receiptTimeline(recipient: String) throws(StoreError) -> [(sequence: UInt64, storedAtMicroseconds: Int64)] {
        try read("receipt timeline") { db in
            try Row.fetchAll(
                db, sql: "SELECT sequence, stored_at_us FROM receipt WHERE recipient = ? AND status = 0 ORDER BY sequence",
                arguments: [recipient]
            ).map { (UInt64($0["sequence"] as Int64), $0["stored_at_us"] as Int64) }
        }
    }

    /// Up to `limit` receipts from `recipient` with a sequence above `sequence`, in sequence order
    /// (for one sequence, accepted first): what the audit log recovers at start.
    public func receipts(from recipient: String, after sequence: UInt64, limit: Int) throws(StoreError) -> [StoredReceipt] {
        try read("receipts") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT recipient, sequence, envelope_hash, status, received_at, bytes FROM receipt
                    WHERE recipient = ? AND sequence > ? ORDER BY sequence, status LIMIT ?
                    """,
                arguments: [recipient, Int64(clamping: sequence), limit]
            ).map { row in
                StoredReceipt(
                    recipient: row["recipient"], sequence: UInt64(row["sequence"] as Int64),
                    envelopeHash: [UInt8](row["envelope_hash"] as Data), status: row["status"], receivedAt: row["received_at"],
                    bytes: [UInt8](row["bytes"] as Data))
            }
        }
    }

    /// The oldest envelope to `recipient` above `sequence` (the first one not acknowledged yet).
    public func firstOutgoing(to recipient: String, after sequence: UInt64) throws(StoreError) -> OutgoingEnvelope? {
        try outgoingEnvelopes(to: recipient, after: sequence, limit: 1).first
    }
}
