import Exchange
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
        public var origin: StateCode?
        /// Only bulletins stored at or after this time.
        public var storedSince: Timestamp?
        /// At most this many, the most recent ones, returned oldest first.
        public var limit: Int
        /// Only bulletins flagged for review (``BulletinFlag``).
        public var flaggedOnly: Bool

        /// A query; by default the latest 100 bulletins received from other states.
        public init(
            receivedOnly: Bool = true, incidentType: String? = nil, origin: StateCode? = nil, storedSince: Timestamp? = nil,
            limit: Int = 100, flaggedOnly: Bool = false
        ) {
            self.flaggedOnly = flaggedOnly
            self.receivedOnly = receivedOnly
            self.incidentType = incidentType
            self.origin = origin
            self.storedSince = storedSince
            self.limit = limit
        }
    }

    /// The bulletins matching `query`, oldest first.
    public func bulletins(matching query: BulletinQuery, localState: StateCode) throws(StoreError) -> [StoredBulletin] {
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
            if query.flaggedOnly { conditions.append("id IN (SELECT bulletin_id FROM bulletin_flag)") }
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
            return try rows.map(Self.bulletin(from:))
        }
    }

    /// The bulletin `reference` names, if stored.
    public func bulletin(_ reference: BulletinReference) throws(StoreError) -> StoredBulletin? {
        try read("bulletin") { db in
            try Row.fetchOne(
                db, sql: "SELECT id, origin, incident_type, tlp, created_at, stored_at, body FROM bulletin WHERE id = ?",
                arguments: [reference]
            ).map(Self.bulletin(from:))
        }
    }

    /// A bulletin row; its `origin` column must be the state its reference names.
    static func bulletin(from row: Row) throws(StoreError) -> StoredBulletin {
        let row = StoredRow(row, of: .bulletin)
        let reference: BulletinReference = try row.value("id")
        let origin: StateCode = try row.value("origin")
        guard origin == reference.origin else {
            throw row.invalid("origin", origin.databaseValue, expected: "\(reference.origin), the state its id names")
        }
        return StoredBulletin(
            reference: reference, incidentType: try row.value("incident_type"), tlp: try row.value("tlp"),
            createdAt: try row.value("created_at"), storedAt: try row.value("stored_at"), body: try row.bytes("body"))
    }
}
