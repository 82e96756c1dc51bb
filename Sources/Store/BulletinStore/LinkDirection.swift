import Exchange
import Foundation
import GRDB

/// Which side of a link a table keeps: the envelopes this node sealed (keyed by recipient) or
/// the ones it accepted (keyed by origin). The link-position queries are the same for both.
enum LinkDirection {
    case outgoing
    case incoming

    var table: StoredTable { self == .outgoing ? .outgoingEnvelope : .incomingEnvelope }
    var peerColumn: String { self == .outgoing ? "recipient" : "origin" }
}

extension BulletinStore {
    /// The last envelope of the link with `peer`, or `nil` before its first.
    static func lastPosition(_ db: Database, of direction: LinkDirection, peer: StateCode) throws -> ChainPosition? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT \(direction.peerColumn), sequence, hash FROM \(direction.table.name) WHERE \(direction.peerColumn) = ? ORDER BY sequence DESC LIMIT 1"),
                arguments: [peer])
        else { return nil }
        return try position(StoredRow(row, of: direction.table))
    }

    /// The last envelope of every link of `direction`, by peer state.
    static func lastPositions(_ db: Database, of direction: LinkDirection) throws -> [StateCode: ChainPosition] {
        let peer = direction.peerColumn
        let table = direction.table.name
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT \(peer), sequence, hash FROM \(table) AS e
                WHERE sequence = (SELECT MAX(sequence) FROM \(table) WHERE \(peer) = e.\(peer))
                """)
        var positions: [StateCode: ChainPosition] = [:]
        for row in rows {
            let stored = StoredRow(row, of: direction.table)
            positions[try stored.value(peer)] = try position(stored)
        }
        return positions
    }

    private static func position(_ row: StoredRow) throws(StoreError) -> ChainPosition {
        ChainPosition(sequence: try row.value("sequence"), hash: try row.value("hash"))
    }
}
