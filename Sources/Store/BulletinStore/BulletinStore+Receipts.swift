import Exchange
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
                let sequence = try Self.storedInteger(receipt.sequence, table: .receipt, column: "sequence")
                try db.cachedStatement(
                    sql: """
                        INSERT OR IGNORE INTO receipt (recipient, sequence, envelope_hash, status, received_at, stored_at_us, bytes)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(
                    arguments: [
                        receipt.recipient, sequence, receipt.envelopeHash, receipt.status, receipt.receivedAt, storedAt,
                        Data(receipt.bytes),
                    ])
                new.append(db.changesCount > 0)
            }
            return new
        }
    }

    /// The highest sequence each recipient has acknowledged: accepted (status 0), or refused for
    /// its content (400, 5xx: the envelope took its place in the recipient's chain, PROTOCOL.md
    /// §11.1). Because every envelope chains the previous one's hash, a receipt for `n` covers `1…n`.
    public func acknowledgedPositions() throws(StoreError) -> [StateCode: UInt64] {
        try read("acknowledged positions") { db in
            var positions: [StateCode: UInt64] = [:]
            for row in try Row.fetchAll(
                db,
                sql: "SELECT recipient, MAX(sequence) AS sequence FROM receipt WHERE status = 0 OR status = 400 OR status BETWEEN 500 AND 599 GROUP BY recipient")
            {
                let row = StoredRow(row, of: .receipt)
                positions[try row.value("recipient")] = try row.value("sequence")
            }
            return positions
        }
    }

    /// When each accepted receipt from `recipient` was stored here (sequence, Unix microseconds),
    /// in sequence order: how long acknowledgements took (benchmarks, operations).
    public func receiptTimeline(recipient: StateCode) throws(StoreError) -> [(sequence: UInt64, storedAtMicroseconds: Int64)] {
        try read("receipt timeline") { db in
            try Row.fetchAll(
                db, sql: "SELECT recipient, sequence, status, stored_at_us FROM receipt WHERE recipient = ? AND status = 0 ORDER BY sequence",
                arguments: [recipient]
            ).map { (row: Row) throws(StoreError) in
                let row = StoredRow(row, of: .receipt)
                return (try row.value("sequence"), try row.value("stored_at_us"))
            }
        }
    }

    /// Up to `limit` receipts from `recipient` with a sequence above `sequence`, in sequence order
    /// (for one sequence, accepted first): what the audit log recovers at start.
    public func receipts(from recipient: StateCode, after sequence: UInt64, limit: Int) throws(StoreError) -> [StoredReceipt] {
        try read("receipts") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT recipient, sequence, envelope_hash, status, received_at, bytes FROM receipt
                    WHERE recipient = ? AND sequence > ? ORDER BY sequence, status LIMIT ?
                    """,
                arguments: [recipient, Int64(clamping: sequence), limit]
            ).map { (row: Row) throws(StoreError) in
                let row = StoredRow(row, of: .receipt)
                return StoredReceipt(
                    recipient: try row.value("recipient"), sequence: try row.value("sequence"),
                    envelopeHash: try row.value("envelope_hash"), status: try row.value("status"),
                    receivedAt: try row.value("received_at"), bytes: try row.bytes("bytes"))
            }
        }
    }

    /// The oldest envelope to `recipient` above `sequence` (the first one not acknowledged yet).
    public func firstOutgoing(to recipient: StateCode, after sequence: UInt64) throws(StoreError) -> OutgoingEnvelope? {
        try outgoingEnvelopes(to: recipient, after: sequence, limit: 1).first
    }
}
