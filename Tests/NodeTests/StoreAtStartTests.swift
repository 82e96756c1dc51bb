import Exchange
import Foundation
import GRDB
import Logging
import Node
import NodeSetup
import Store
import Testing

/// What the node reads of its store at start (link positions, acknowledgements, the status of
/// each link's last envelope) is never skipped: a value that does not convert, or a store written
/// by a newer BorderNet, stops the start with `NodeError.store` before any socket is bound (until
/// issue 14, a position that did not convert was silently taken as the start of its link).
@Suite("The node's start and its store")
struct StoreAtStartTests {
    /// A node folder for MA with a signed roster, its store holding one envelope sent to DZ.
    static func makeNode() throws -> (node: NodeDirectory, store: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-start-\(UUID().uuidString.prefix(8))")
        let (node, identity) = try RegionHarness.loneNode(in: root)

        let path = node.root.appendingPathComponent("store.sqlite").path
        let store = try BulletinStore(path: path)
        let reference = BulletinReference(origin: identity.state, id: BulletinID.generate())
        _ = try store.recordPost(
            StoredBulletin(
                reference: reference, incidentType: "drug-trafficking", tlp: .amber, createdAt: .now, storedAt: .now, body: Array("{}".utf8)),
            recipients: [StateCode("DZ")]
        ) { recipient, last in
            OutgoingEnvelope(
                recipient: recipient, sequence: last.sequence + 1, bulletin: reference,
                hash: try EnvelopeHash(bytes: [UInt8](repeating: 1, count: 32)), bytes: [1], createdAt: .now)
        }
        return (node, path)
    }

    static func tamper(_ path: String, _ sql: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        try DatabaseQueue(path: path, configuration: configuration).write { try $0.execute(sql: sql) }
    }

    static func start(_ node: NodeDirectory) -> NodeError? {
        do throws(NodeError) {
            try NodeRuntime(directory: node, softwareVersion: "test", logger: Logger(label: "test")).run()
            return nil
        } catch {
            return error
        }
    }

    @Test("an outgoing position whose hash does not convert stops the start, naming its row")
    func unconvertiblePosition() throws {
        let (node, store) = try Self.makeNode()
        defer { try? FileManager.default.removeItem(at: node.root.deletingLastPathComponent()) }
        try Self.tamper(store, "UPDATE outgoing_envelope SET hash = x'0102'")
        let error = try #require(Self.start(node))
        guard case .store(.invalidValue("store", "outgoing_envelope", "hash", let row, _, _)) = error else {
            Issue.record("not the typed store error: \(error)")
            return
        }
        #expect(row == "recipient 'DZ', sequence 1")
        #expect("\(error)".contains("restore it from a backup"))
    }

    @Test("a store written by a newer BorderNet stops the start")
    func newerStore() throws {
        let (node, store) = try Self.makeNode()
        defer { try? FileManager.default.removeItem(at: node.root.deletingLastPathComponent()) }
        try Self.tamper(store, "INSERT INTO grdb_migrations (identifier) VALUES ('v3-from-the-future')")
        let error = try #require(Self.start(node))
        guard case .store(.newerSchema("store", _, ["v3-from-the-future"])) = error else {
            Issue.record("not the typed store error: \(error)")
            return
        }
    }
}
