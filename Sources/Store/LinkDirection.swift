import Foundation
import GRDB

/// Which side of a link a table keeps: the envelopes this node sealed (keyed by recipient) or
/// the ones it accepted (keyed by origin). The link-position queries are the same for both.
enum LinkDirection {
    case outgoing
    case incoming

    var table: String { self == .outgoing ? "outgoing_envelope" : "incoming_envelope" }
    var peerColumn: String { self == .outgoing ? "recipient" : "origin" }
}

extension BulletinStore {
    /// The last envelope of the link with `peer`, or `nil` before its first.
    static func lastPosition(_ db: Database, of direction: LinkDirection, peer: String) throws -> LinkPosition? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT sequence, hash FROM \(direction.table) WHERE \(direction.peerColumn) = ? ORDER BY sequence DESC LIMIT 1"),
                arguments: [peer])
        else { return nil }
        return LinkPosition(sequence: UInt64(row["sequence"] as Int64), hash: [UInt8](row["hash"] as Data))
    }

    /// The last envelope of every link of `direction`, by peer state.
    static func lastPositions(_ db: Database, of direction: LinkDirection) throws -> [String: LinkPosition] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT \(direction.peerColumn) AS peer, sequence, hash FROM \(direction.table) AS e
                WHERE sequence = (SELECT MAX(sequence) FROM \(direction.table) WHERE \(direction.peerColumn) = e.\(direction.peerColumn))
                """)
        var positions: [String: LinkPosition] = [:]
        for row in rows {
            positions[row["peer"]] = LinkPosition(sequence: UInt64(row["sequence"] as Int64), hash: [UInt8](row["hash"] as Data))
        }
        return positions
    }
}
