import GRDB

extension BulletinStore {
    /// Records a refused message so that `status` and the audit can count it.
    public func recordRejection(_ rejection: Rejection) throws(StoreError) {
        try recordRejections([rejection])
    }

    /// How many messages were refused, per peer and reason.
    public func rejectionCounts() throws(StoreError) -> [String: [String: Int]] {
        try read("rejection counts") { db in
            var counts: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT peer, reason, COUNT(*) AS count FROM rejection GROUP BY peer, reason")
            {
                let row = StoredRow(row, of: .rejection)
                counts[try row.value("peer"), default: [:]][try row.value("reason")] = try row.value("count")
            }
            return counts
        }
    }
}

extension BulletinStore {
    /// Records several refused messages in one transaction (one disk flush for a burst).
    public func recordRejections(_ rejections: [Rejection]) throws(StoreError) {
        try write("record rejections") { db in
            for rejection in rejections {
                try db.execute(
                    sql: "INSERT INTO rejection (peer, sequence, reason, at) VALUES (?, ?, ?, ?)",
                    arguments: [rejection.peer, rejection.sequence.map { Int64(clamping: $0) }, rejection.reason, rejection.at])
            }
        }
    }
}
