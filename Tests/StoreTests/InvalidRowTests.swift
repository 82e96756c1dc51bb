import Exchange
import Foundation
import GRDB
import Store
import Testing

/// A row that does not convert is an error naming its table, column and row: never skipped,
/// never defaulted. Each test writes one bad value with raw SQL, as a damaged or hand-edited file
/// would hold it, and reads it through the store's API.
@Suite("BulletinStore: rows that do not convert")
struct InvalidRowTests {
    let folder: TemporaryFolder
    let store: BulletinStore
    let dz = Fixtures.algeria

    init() throws {
        folder = try TemporaryFolder()
        store = try BulletinStore(path: folder.path("store.sqlite"))
        // One good row of each kind, so that every bad one sits among good ones.
        try store.recordDeliveries([
            .init(
                envelope: IncomingEnvelope(
                    origin: dz, sequence: 1, bulletin: Fixtures.reference(1, origin: dz), hash: Fixtures.hash(1), receivedAt: Fixtures.time(5)),
                bulletin: StoredBulletin(
                    reference: Fixtures.reference(1, origin: dz), incidentType: "drug-trafficking", tlp: .green,
                    createdAt: Fixtures.time(4), storedAt: Fixtures.time(5), body: Array("{}".utf8)))
        ])
        try store.recordReceipt(
            StoredReceipt(recipient: dz, sequence: 1, envelopeHash: Fixtures.hash(2), status: .accepted, receivedAt: Fixtures.time(6), bytes: [1]))
    }

    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        try folder.rawQueue("store.sqlite").write { try $0.execute(sql: sql, arguments: arguments) }
    }

    func insertIncoming(origin: String = "DZ", sequence: Int, bulletin: String? = nil, hash: DatabaseValue? = nil, receivedAt: Int64 = 7, status: Int64 = 0) throws {
        try execute(
            "INSERT INTO incoming_envelope (origin, sequence, bulletin_id, hash, received_at, status) VALUES (?, ?, ?, ?, ?, ?)",
            [origin, sequence, bulletin ?? Fixtures.reference(UInt8(sequence), origin: dz).description, hash ?? Fixtures.hash(3).databaseValue, receivedAt, status])
    }

    @Test("a state code that is not two capital letters")
    func badStateCode() throws {
        try insertIncoming(origin: "dz", sequence: 1)
        #expect { try store.incomingPositions() } throws: {
            isInvalidValue($0, table: "incoming_envelope", column: "origin", row: "origin 'dz', sequence 1")
        }
    }

    @Test("an envelope hash that is not 32 bytes, read alone and as a link's last position before a write")
    func shortHash() throws {
        try insertIncoming(sequence: 2, hash: Data(repeating: 1, count: 31).databaseValue)
        #expect { try store.incomingEnvelope(from: dz, sequence: 2) } throws: {
            isInvalidValue($0, table: "incoming_envelope", column: "hash", row: "origin 'DZ', sequence 2")
        }
        #expect { try store.lastIncomingPosition(from: dz) } throws: {
            isInvalidValue($0, table: "incoming_envelope", column: "hash", row: "sequence 2")
        }
        let next = IncomingEnvelope(origin: dz, sequence: 3, bulletin: Fixtures.reference(3, origin: dz), hash: Fixtures.hash(3), receivedAt: Fixtures.time(8))
        #expect { try store.recordDeliveries([.init(envelope: next, bulletin: nil)]) } throws: {
            isInvalidValue($0, table: "incoming_envelope", column: "hash", row: "sequence 2")
        }
        #expect(try store.incomingCount(from: dz) == 2)
    }

    @Test("a status code beyond 65535 and a negative time")
    func badStatusAndTime() throws {
        try insertIncoming(sequence: 2, status: 70_000)
        #expect { try store.incomingEnvelopes(from: dz, after: 0, limit: 10) } throws: {
            isInvalidValue($0, table: "incoming_envelope", column: "status", row: "sequence 2")
        }
        try execute(
            "INSERT INTO receipt (recipient, sequence, envelope_hash, status, received_at, stored_at_us, bytes) VALUES ('DZ', 2, ?, 0, -1, 0, x'01')",
            [Fixtures.hash(2)])
        #expect { try store.receipts(from: dz, after: 0, limit: 10) } throws: {
            isInvalidValue($0, table: "receipt", column: "received_at", row: "recipient 'DZ', sequence 2")
        }
    }

    @Test("a bulletin reference that is not <state>-<ULID>")
    func badReference() throws {
        try execute(
            "INSERT INTO outgoing_envelope (recipient, sequence, bulletin_id, hash, created_at, bytes) VALUES ('DZ', 1, 'b1', ?, 1, x'00')",
            [Fixtures.hash(1)])
        #expect { try store.outgoingEnvelopes(to: dz, after: 0, limit: 10) } throws: {
            isInvalidValue($0, table: "outgoing_envelope", column: "bulletin_id", row: "recipient 'DZ', sequence 1")
        }
        #expect { try store.firstOutgoing(to: dz, after: 0) } throws: { isInvalidValue($0, table: "outgoing_envelope", column: "bulletin_id", row: "sequence 1") }
    }

    @Test("a bulletin whose TLP is not a label, or whose origin is not the state its id names")
    func badBulletin() throws {
        try execute("UPDATE bulletin SET tlp = 'PURPLE'")
        let reference = Fixtures.reference(1, origin: dz)
        #expect { try store.bulletin(reference) } throws: {
            isInvalidValue($0, table: "bulletin", column: "tlp", row: "id '\(reference)'")
        }
        try execute("UPDATE bulletin SET tlp = 'GREEN', origin = 'TN'")
        #expect { try store.bulletins(matching: .init(), localState: Fixtures.morocco) } throws: {
            isInvalidValue($0, table: "bulletin", column: "origin", row: "id '\(reference)'")
        }
    }

    @Test("a receipt's recipient that is not a state code stops the acknowledged positions")
    func badRecipient() throws {
        try execute(
            "INSERT INTO receipt (recipient, sequence, envelope_hash, status, received_at, stored_at_us, bytes) VALUES ('D1', 2, ?, 0, 1, 0, x'01')",
            [Fixtures.hash(2)])
        #expect { try store.acknowledgedPositions() } throws: {
            isInvalidValue($0, table: "receipt", column: "recipient", row: "recipient 'D1'")
        }
    }

    @Test("an empty blob where a hash is required")
    func emptyHash() throws {
        try execute("UPDATE receipt SET envelope_hash = x'' WHERE sequence = 1")
        #expect { try store.receipts(from: dz, after: 0, limit: 10) } throws: {
            isInvalidValue($0, table: "receipt", column: "envelope_hash", row: "sequence 1")
        }
    }
}
