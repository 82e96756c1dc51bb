import BulletinSchema
import Exchange
import Foundation
import NodeClient
import NodeSetup
import Region
import Sodium
import Testing
import Wire

@testable import Node

/// Issue 15, item 6: nodes of schemas 1.0 and 1.1 in one region during an upgrade. Each roster
/// member declares what its node reads; an origin never sends a bulletin a recipient cannot read
/// and says so at `post` (docs/PROTOCOL.md §6.1, docs/OPERATIONS.md "Upgrades").
@Suite("A region of 1.0 and 1.1 nodes", .serialized)
struct MixedSchemaRegionTests {
    static let v1_0 = BodySchemaVersion(major: 1, minor: 0)
    static let v1_1 = BodySchemaVersion(major: 1, minor: 1)
    static let example = "migrant-smuggling"

    /// The schemas of release 1.0 as they shipped (Tests/Fixtures/Schemas-1.0.0): what a node
    /// not yet upgraded runs.
    static let releasedOnePointZero = RegionHarness.schemas.deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures/Schemas-1.0.0")

    /// Real node processes of a region made by RegionGenerator, each stopped by its own pid.
    final class Region {
        let root: URL
        let schemas10: URL
        let schemas11: URL
        let generated: GeneratedRegion
        private(set) var processes: [String: NodeProcess] = [:]

        /// MA (1.1) sends to DZ (1.0) and TN (1.1); DZ sends to MA.
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-mixed-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            schemas10 = MixedSchemaRegionTests.releasedOnePointZero
            schemas11 = RegionHarness.schemas
            let plan = RegionPlan(
                name: "mixed schemas", rosterValidDays: 30,
                nodes: [
                    RegionPlan.Node(state: try StateCode("MA"), name: "ma-1", role: .member, readsSchema: v1_1),
                    RegionPlan.Node(state: try StateCode("DZ"), name: "dz-1", role: .member, readsSchema: v1_0),
                    RegionPlan.Node(state: try StateCode("TN"), name: "tn-1", role: .member, readsSchema: v1_1),
                ],
                neighbourhoods: [],
                oneWayLinks: [
                    Link(origin: try StateCode("MA"), recipient: try StateCode("DZ")),
                    Link(origin: try StateCode("MA"), recipient: try StateCode("TN")),
                    Link(origin: try StateCode("DZ"), recipient: try StateCode("MA")),
                ])
            let (schemas10, schemas11) = (schemas10.path, schemas11.path)
            // The configure hook gives each node its schemas: DZ the 1.0 copy, the others 1.1.
            let generator = RegionGenerator(plan: plan, basePort: try RegionHarness.freePorts(6)) { node, configuration in
                configuration.schemasPath = node.state.description == "DZ" ? schemas10 : schemas11
                configuration.heartbeatIntervalMilliseconds = 1_000
            }
            generated = try generator.generate(into: root.appendingPathComponent("region"))
        }

        deinit {
            stopAll()
            try? FileManager.default.removeItem(at: root)
        }

        func directory(_ state: String) throws -> NodeDirectory {
            NodeDirectory(path: try #require(generated.node(state)).data)
        }

        func schemas(_ state: String) throws -> URL {
            URL(fileURLWithPath: try directory(state).loadConfiguration().schemasPath)
        }

        /// Launches `state`'s node; `ready` waits (bounded) until it answers.
        @discardableResult
        func start(_ state: String, waitUntilReady ready: Bool = true) throws -> NodeProcess {
            let process = NodeProcess(state: state, directory: try directory(state))
            try process.launch(executable: RegionHarness.executable, schemas: try schemas(state))
            processes[state] = process
            if ready {
                let answered = waitUntil(seconds: 30) { (try? self.client(state).send(ControlRequest(command: .ping)))?.ok == true }
                if !answered { Issue.record("\(state) did not answer within 30 s:\n\(process.logTail())") }
            }
            return process
        }

        func stop(_ state: String) {
            guard let process = processes.removeValue(forKey: state) else { return }
            process.terminate()
            process.reap()
        }

        func stopAll() {
            for state in Array(processes.keys) { stop(state) }
        }

        func client(_ state: String) throws -> ControlClient {
            ControlClient(directory: try directory(state), timeoutMilliseconds: 15_000)
        }

        /// Posts the example of `schemas` (its version) from `state` through the control socket:
        /// from the released 1.0 schemas, a real 1.0 bulletin.
        func post(from state: String, schemas: URL) throws -> ControlResponse {
            let draft = try Data(contentsOf: RegionHarness.draft(of: schemas.appendingPathComponent("examples/\(MixedSchemaRegionTests.example).json"), in: root))
            return try client(state).send(ControlRequest(command: .post, draft: Array(draft)))
        }

        /// The ids of what `state` stored (received, or its own too).
        func stored(_ state: String, includeOwn: Bool = false) throws -> [String] {
            let response = try client(state).send(ControlRequest(command: .history, query: HistoryQuery(limit: 1_000, includeOwn: includeOwn)))
            return (response.bulletins ?? []).map(\.id)
        }

        /// Points `state`'s node.toml at `schemas` (the node restarts to use them).
        func use(_ schemas: URL, for state: String) throws {
            let file = try directory(state).root.appendingPathComponent("node.toml")
            let text = try String(contentsOf: file, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.trimmingCharacters(in: .whitespaces).hasPrefix("schemas =") ? "schemas = \"\(schemas.path)\"" : String(line)
            }
            try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            #expect(try directory(state).loadConfiguration().schemasPath == schemas.path)
        }
    }

    @Test(
        "1.1 origin, 1.0 recipient: a 1.1 post is refused naming DZ, a 1.0 one delivered; after DZ's upgrade and a roster declaring it, 1.1 is delivered",
        .timeLimit(.minutes(4)))
    func upgradeInPlace() throws {
        let region = try Region()
        defer { region.stopAll() }
        for state in ["MA", "DZ", "TN"] { try region.start(state) }

        // (a) MA posts a 1.1 bulletin; DZ reads 1.0: refused as a whole, nothing stored or sent.
        let refused = try region.post(from: "MA", schemas: region.schemas11)
        #expect(!refused.ok)
        let unreadable = try #require(refused.unreadable, "\(refused)")
        #expect(unreadable.schemaVersion == Self.v1_1)
        #expect(unreadable.recipients == [RecipientReading(state: "DZ", readsSchema: Self.v1_0)])
        #expect(unreadable.readers == ["TN"])
        let message = try #require(refused.error)
        #expect(message.contains("DZ reads 1.0"), "\(message)")
        #expect(message.contains("nothing was stored or sent"), "\(message)")
        #expect(message.contains("schemaVersion 1.0.0"), "\(message)")
        #expect(message.contains("--to TN"), "\(message)")
        #expect(message.contains("roster in which DZ reads 1.1"), "\(message)")
        #expect(try region.stored("MA", includeOwn: true).isEmpty)
        let statusAfterRefusal = try #require(try region.client("MA").send(ControlRequest(command: .status)).status)
        #expect(statusAfterRefusal.outgoing.allSatisfy { $0.sent == 0 })
        let metrics = try region.client("MA").send(ControlRequest(command: .metrics)).metrics ?? ""
        #expect(metrics.contains(#"bordernet_posts_refused_total{reason="recipientSchemaVersion"} 1"#), "\(metrics)")
        // The command line says the same and exits non-zero.
        let draft11 = try RegionHarness.draft(of: region.schemas11.appendingPathComponent("examples/\(Self.example).json"), in: region.root)
        let cli = try RegionHarness.bordernet(
            ["post", "--data", try region.directory("MA").root.path, "--file", draft11.path], expectFailure: true)
        #expect(cli.contains("DZ reads 1.0"), "\(cli)")

        // (b) MA posts a 1.0 bulletin: delivered to both, stored at DZ.
        let posted10 = try #require(try region.post(from: "MA", schemas: region.schemas10).posted)
        #expect(Set(posted10.envelopes.map(\.recipient)) == ["DZ", "TN"])
        #expect(waitUntil(seconds: 60) { (try? region.stored("DZ"))?.contains(posted10.id) == true }, "DZ never stored \(posted10.id)")
        #expect(waitUntil(seconds: 60) { (try? region.stored("TN"))?.contains(posted10.id) == true })

        // (c) The 1.0 node posts a 1.0 bulletin: the 1.1 node receives it.
        let fromDZ = try #require(try region.post(from: "DZ", schemas: region.schemas10).posted)
        #expect(waitUntil(seconds: 60) { (try? region.stored("MA"))?.contains(fromDZ.id) == true }, "MA never stored \(fromDZ.id)")

        // (d) A roster declaring that DZ reads 1.1, made with the secretariat's commands.
        let secretariat = region.generated.secretariat
        let dzCard = try region.directory("DZ").root.appendingPathComponent("card.json").path
        try RegionHarness.bordernet(["roster", "add", dzCard, "--reads-schema", "1.1", "--data", secretariat])
        let roster2 = region.root.appendingPathComponent("roster-2.signed").path
        try RegionHarness.bordernet(["roster", "sign", "--data", secretariat, "--out", roster2, "--valid-days", "30"])
        let shown = try RegionHarness.bordernet(["roster", "show", roster2, "--json"])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any])
        #expect(summary["format"] as? Int == 2)
        let readsByState = ((summary["members"] as? [[String: Any]]) ?? []).reduce(into: [String: String]()) {
            $0[$1["state"] as? String ?? ""] = $1["readsSchema"] as? String
        }
        #expect(readsByState == ["MA": "1.1", "DZ": "1.1", "TN": "1.1"])

        // Still on 1.0 schemas, DZ refuses that roster…
        region.stop("DZ")
        let dzData = try region.directory("DZ").root.path
        let refusedInstall = try RegionHarness.bordernet(["roster", "install", roster2, "--data", dzData], expectFailure: true)
        #expect(refusedInstall.contains("declares that DZ reads bulletin schema 1.1"), "\(refusedInstall)")
        #expect(try region.directory("DZ").loadRoster()?.version == 1)

        // …and, given it anyway (copied over, bypassing the check), refuses to start with it.
        let signed2 = try SignedRoster(serializedBytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: roster2))))
        try region.directory("DZ").installRoster(signed2)
        let failing = try region.start("DZ", waitUntilReady: false)
        #expect(waitUntil(seconds: 30) { !failing.isRunning }, "DZ started with a roster its schemas cannot honour")
        failing.reap()
        #expect(failing.terminationStatus != 0)
        #expect(failing.logTail(lines: 40).contains("declares that DZ reads bulletin schema 1.1"), "\(failing.logTail(lines: 40))")

        // Upgrade DZ (1.1 schemas), install the roster everywhere, restart: 1.1 is delivered.
        try region.use(region.schemas11, for: "DZ")
        try RegionHarness.bordernet(["roster", "install", roster2, "--data", dzData])
        for state in ["MA", "TN"] {
            region.stop(state)
            try RegionHarness.bordernet(["roster", "install", roster2, "--data", try region.directory(state).root.path])
        }
        for state in ["MA", "DZ", "TN"] { try region.start(state) }
        let posted11 = try #require(try region.post(from: "MA", schemas: region.schemas11).posted)
        #expect(Set(posted11.envelopes.map(\.recipient)) == ["DZ", "TN"])
        #expect(waitUntil(seconds: 60) { (try? region.stored("DZ"))?.contains(posted11.id) == true }, "DZ never stored \(posted11.id)")
        #expect(waitUntil(seconds: 60) { (try? region.stored("TN"))?.contains(posted11.id) == true })
        // Everything DZ stored is what was posted to it, once.
        #expect(Set(try region.stored("DZ")) == [posted10.id, posted11.id])
    }

    @Test("a recipient of 1.0 that gets a 1.1 bulletin anyway refuses it (500) with a rejected receipt, naming the newer minor")
    func recipientRefusesNewerMinor() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-minor-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let schemas10 = Self.releasedOnePointZero
        let schemas11 = RegionHarness.schemas
        let endpoints = try NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2")
        let ma = try NodeIdentity(state: StateCode("MA"), nodeName: "ma-1", endpoints: endpoints)
        let dz = try NodeIdentity(state: StateCode("DZ"), nodeName: "dz-1", endpoints: endpoints)
        // The roster an origin running older software would act on: it says nothing of schemas.
        let roster = try Roster(
            version: 1, issuedAt: .now, expiresAt: Timestamp.now.adding(milliseconds: 86_400_000),
            members: [RosterMember(card: ma.card, role: .member), RosterMember(card: dz.card, role: .member)],
            links: [Link(origin: ma.state, recipient: dz.state)])
        let id = BulletinID.generate(at: .now)
        var body = try Data(contentsOf: RegionHarness.draft(of: schemas11.appendingPathComponent("examples/\(Self.example).json"), in: root))
        body = Data(NodeEngine.insertingID(id.reference(origin: ma.state), into: Array(body)) ?? [])
        let tlp = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])["tlp"] as? String
        let envelope = try Envelope.seal(
            Array(body), metadata: BulletinMetadata(bulletinID: id, createdAt: .now, tlp: TLP(label: try #require(tlp)), schemaVersion: Self.v1_1),
            from: ma, to: EnvelopeRecipient(card: dz.card, position: .start))
        let verified = try EnvelopeOpener(recipient: dz.state, roster: roster).verify(envelope.bytes, after: .start)
        let (bulletin, status, refusal) = NodeEngine.decryptAndCheck(
            verified, keys: [dz.encryptionKey], catalog: try SchemaCatalog.load(from: schemas10), storedAt: .now)
        #expect(bulletin == nil)
        #expect(status == .rejected(.invalidBulletin))
        #expect((refusal ?? "").contains("1.1.0"), "\(refusal ?? "")")
        // The same envelope at a 1.1 node is accepted.
        let (accepted, acceptedStatus, _) = NodeEngine.decryptAndCheck(
            verified, keys: [dz.encryptionKey], catalog: try SchemaCatalog.load(from: schemas11), storedAt: .now)
        #expect(accepted != nil)
        #expect(acceptedStatus == .accepted)
    }
}
