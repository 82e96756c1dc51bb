import Audit
import AuditCollection
import Exchange
import Foundation
import GRDB
import Synchronization
import Testing
import Wire
import ZeroMQ

/// The re-check over the wire: ``NodeAuditClient`` (DEALER, CURVE client) against a stand-in for a
/// node's service ROUTER (CURVE server with the node's transport key) that answers the requests of
/// docs/AUDIT.md §12.1 — `audit-inclusion` among them — from a real ``AuditLog`` file.
@Suite("Re-check over ZeroMQ", .serialized)
struct WireRecheckTests {
    @Test("an honest node is re-checked over the wire; after an entry is rewritten on disk the next collect is equivocation")
    func rewrittenOverTheWire() throws {
        let folder = try TemporaryFolder()
        let identity = try NodeIdentity(
            state: state("MA"), nodeName: "ma-1",
            endpoints: NodeEndpoints(publish: "ipc://\(folder.path("publish"))", service: "ipc://\(folder.path("service"))"))
        let secretariat = try NodeIdentity(
            state: state("XS"), nodeName: "xs-1", endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2"))
        let log = try AuditLog(path: folder.path("ma-audit.sqlite"), state: identity.state)
        let maDZ = try link("MA", "DZ")
        try log.append(
            try (1...10).map { AuditEvent.envelopeSent(link: maDZ, sequence: $0, hash: try hash(UInt8($0)), bulletin: BulletinID.generate()) },
            at: Timestamp(millisecondsSinceEpoch: 1_740_830_400_000))

        let context = try Context()
        let server = AuditServer(log: log, identity: identity, context: context)
        defer { server.stop() }
        let store = try CollectionStore(path: folder.path("collected.sqlite"))
        let collector = AuditCollector(store: store)
        let member = RosterMember(card: identity.card, role: .member)
        func collect() throws -> NodeCollectionResult {
            let client = try NodeAuditClient(
                context: context, card: identity.card, keys: CurveKeyPair(x25519: secretariat.transportKey), timeoutMilliseconds: 5_000)
            return try collector.collect(member, from: client)
        }

        let first = try collect()
        #expect(first.outcome == .collected && first.newEntries == 10, "\(first)")
        let honest = try collect()
        #expect(honest.outcome == .upToDate && honest.rechecked == 10, "\(honest)")

        let database = try DatabaseQueue(path: log.path)
        try database.write { db in
            var bytes = try #require(try Data.fetchOne(db, sql: "SELECT bytes FROM entry WHERE leaf_index = 6"))
            bytes[20] ^= 0x01
            try db.execute(sql: "UPDATE entry SET bytes = ? WHERE leaf_index = 6", arguments: [bytes])
        }
        try database.close()
        let flagged = try collect()
        #expect(flagged.outcome == .flagged, "\(flagged)")
        #expect(flagged.findings.first?.kind == .equivocation && flagged.findings.first?.entryIndex == 6)
        #expect(server.served("audit-inclusion") >= 10)
    }
}

/// A node's service ROUTER reduced to the audit requests, answering from `log` on a thread of its
/// own until stopped (or 60 s at most).
final class AuditServer: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let counts = Mutex<[String: Int]>([:])

    init(log: AuditLog, identity: NodeIdentity, context: Context) {
        let thread = Thread { [self] in self.serve(log: log, identity: identity, context: context) }
        thread.start()
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    /// How many requests with `verb` (`audit-inclusion`…) were answered.
    func served(_ verb: String) -> Int { counts.withLock { $0[verb] ?? 0 } }

    private func serve(log: AuditLog, identity: NodeIdentity, context: Context) {
        do {
            let socket = try Socket(context, type: .router)
            defer { socket.close() }
            try socket.setOption(.linger(milliseconds: 0))
            try socket.makeCurveServer(secretKey: identity.transportKey.rawRepresentation)
            _ = try socket.bind(identity.card.endpoints.service)
            var poller = Poller()
            poller.register(socket)
            let deadline = ContinuousClock.now + .seconds(60)
            while !stopped.load(ordering: .relaxed), ContinuousClock.now < deadline {
                guard try !poller.poll(timeoutMilliseconds: 50).isEmpty, let message = try socket.receive(dontWait: true),
                    message.frames.count >= 2
                else { continue }
                let answer: AuditAnswer
                do {
                    guard case .audit(let request) = try ServiceRequest(frames: Array(message.frames.dropFirst())) else {
                        throw WireError.unknownKind(message: "audit server", byteCount: 0)
                    }
                    counts.withLock { $0[request.name, default: 0] += 1 }
                    switch request {
                    case .head:
                        answer = .head(try log.treeHead(signedBy: identity, at: .now).serializedBytes)
                    case .consistency(let from, let to):
                        answer = .consistency(try log.consistencyProof(from: from, to: to).canonicalBytes)
                    case .inclusion(let index, let size):
                        answer = .inclusion(try log.inclusionProof(index: index, treeSize: size).canonicalBytes)
                    case .entries(let from, let count):
                        let end = min(log.size, from &+ min(count, AuditRequest.maximumEntriesPerRequest))
                        answer = .entries(from: from, from < end ? try log.entries(in: from..<end).map(\.canonicalBytes) : [])
                    }
                } catch {
                    answer = .refused(reason: "\(error)")
                }
                _ = try socket.send([message.frames[0]] + answer.frames, dontWait: true)
            }
        } catch {
            Issue.record("the stand-in audit server failed: \(error)")
        }
    }
}
