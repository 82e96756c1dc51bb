import Foundation
import GRDB

extension BulletinStore {
    /// What the feed asks for: which bulletins, from when, how many.
    public struct BulletinQuery: Sendable, Equatable {
        /// Only bulletins received from other states (`true`) or also this node's own posts.
        public var receivedOnly: Bool
        /// Only this incident type.
        public var incidentType: String?
        /// Only from this origin state.
        public var origin: String?
        /// Only bulletins stored at or after this time (Unix milliseconds).
        public var storedSince: Int64?
        /// At most this many, the most recent ones, returned oldest first.
        public var limit: Int

        /// A query; by default the latest 100 bulletins received from other states.
        public init(
            receivedOnly: Bool = true, incidentType: String? = nil, origin: String? = nil, storedSince: Int64? = nil,
            limit: Int = 100
        ) {
            self.receivedOnly = receivedOnly
            self.incidentType = incidentType
            self.origin = origin
            self.storedSince = storedSince
            self.limit = limit
        }
    }

    /// The bulletins matching `query`, oldest first.
    public func bulletins(matching query: BulletinQuery, localState: String) throws(StoreError) -> [StoredBulletin] {
        try read("bulletins") { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if query.receivedOnly {
                conditions.append("origin != ?")
                _ = arguments.append(contentsOf: [localState])
            }
            if let type = query.incidentType {
                conditions.append("incident_type = ?")
                _ = arguments.append(contentsOf: [type])
            }
            if let origin = query.origin {
                conditions.append("origin = ?")
                _ = arguments.append(contentsOf: [origin])
            }
            if let since = query.storedSince {
                conditions.append("stored_at >= ?")
                _ = arguments.append(contentsOf: [since])
            }
            _ = arguments.append(contentsOf: [query.limit])
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (
                        SELECT id, origin, incident_type, tlp, created_at, stored_at, body, rowid AS position FROM bulletin
                        \(filter) ORDER BY stored_at DESC, rowid DESC LIMIT ?
                    ) ORDER BY stored_at, position
                    """,
                arguments: arguments)
            return rows.map(Self.bulletin(from:))
        }
    }

    /// The bulletin with `id`, if stored.
    public func bulletin(id: String) throws(StoreError) -> StoredBulletin? {
        try read("bulletin") { db in
            try Row.fetchOne(
                db, sql: "SELECT id, origin, incident_type, tlp, created_at, stored_at, body FROM bulletin WHERE id = ?",
                arguments: [id]
            ).map(Self.bulletin(from:))
        }
    }

    static func bulletin(from row: Row) -> StoredBulletin {
        StoredBulletin(
            id: row["id"], origin: row["origin"], incidentType: row["incident_type"], tlp: row["tlp"],
            createdAt: row["created_at"], storedAt: row["stored_at"], body: [UInt8](row["body"] as Data))
    }
}
