import Exchange
import Foundation
import NodeSetup
import Region
import Testing
import Wire

/// Deploy/region/rabat-declaration.toml and `bordernet region generate`.
@Suite("The Rabat Declaration region")
struct RegionTests {
    static let regionFile = Deploy.repository.appendingPathComponent("Deploy/region/rabat-declaration.toml")

    static func plan() throws -> RegionPlan { try RegionPlan(contentsOf: regionFile) }

    @Test("the file names the 10 members, the 5 partners and the secretariat")
    func states() throws {
        let plan = try Self.plan()
        let geography = RegionGeography.rabatDeclaration
        #expect(plan.states(.member) == geography.memberStates.sorted())
        #expect(plan.states(.member).map(\.description) == ["DZ", "EG", "LY", "MA", "ML", "MR", "NE", "SD", "TD", "TN"])
        #expect(plan.states(.partner) == geography.partnerStates.sorted())
        #expect(plan.states(.secretariat).map(\.description) == ["XS"])
        #expect(plan.rosterValidDays == 365)
    }

    @Test("its land and sea links are exactly RegionGeography's borders between members, both ways")
    func bordersMatchGeography() throws {
        let plan = try Self.plan()
        let geography = RegionGeography.rabatDeclaration
        let members = Set(geography.memberStates)
        func pairs(_ neighbourhoods: [RegionGeography.Neighbourhood], _ border: RegionGeography.Border) -> Set<Set<StateCode>> {
            Set(neighbourhoods.filter { $0.border == border && members.contains($0.first) && members.contains($0.second) }.map { [$0.first, $0.second] })
        }
        #expect(pairs(plan.neighbourhoods, .land) == pairs(geography.neighbourhoods, .land))
        #expect(pairs(plan.neighbourhoods, .land).count == 16)
        #expect(pairs(plan.neighbourhoods, .sea) == pairs(geography.neighbourhoods, .sea))
        // The same links `roster link --neighbours` proposes for the members.
        let memberCards = try plan.nodes.filter { $0.role == .member }.map { node in
            RosterMember(card: try NodeIdentity(state: node.state, nodeName: node.name, endpoints: NodeEndpoints(publish: "tcp://h:1", service: "tcp://h:2")).card, role: .member)
        }
        let betweenMembers = plan.links.filter { members.contains($0.origin) && members.contains($0.recipient) }
        #expect(betweenMembers == geography.defaultLinks(for: memberCards))
    }

    @Test("partners only receive, and only across a sea crossing the geography lists")
    func partnersOnlyReceive() throws {
        let plan = try Self.plan()
        let geography = RegionGeography.rabatDeclaration
        let partners = Set(plan.states(.partner))
        #expect(plan.links.allSatisfy { !partners.contains($0.origin) })
        let toPartners = plan.links.filter { partners.contains($0.recipient) }
        #expect(toPartners.map(\.description) == ["DZ→ES", "LY→IT", "LY→MT", "MA→ES", "TN→IT"])
        for link in toPartners {
            #expect(geography.neighbours(of: link.origin).contains(link.recipient), "\(link) is not a listed crossing")
        }
        #expect(plan.links.allSatisfy { $0.origin.description != "XS" && $0.recipient.description != "XS" })
        #expect(plan.links.count == 16 * 2 + 2 + 5)
    }

    @Test(
        "a wrong region file is refused, naming what to fix",
        arguments: [
            ("[members]\nMA = \"rabat-1\"\n[links]\nland = [\"MA-DZ\"]\n", RegionError.undeclaredState(state: "DZ", link: "MA-DZ")),
            ("[members]\nMA = \"a\"\nDZ = \"b\"\n[links]\nland = [\"MA-DZ\", \"DZ-MA\"]\n", .duplicateLink("DZ-MA")),
            ("[members]\nMA = \"a\"\nDZ = \"b\"\n[links]\nland = [\"MA>DZ\"]\n", .invalidLink(key: "links.land", found: "MA>DZ", expected: "two different states joined by '-', e.g. \"MA-DZ\"")),
            ("[members]\nMA = \"a\"\n[partners]\nMA = \"b\"\n", .duplicateState("MA")),
            ("[members]\nma = \"a\"\n", .invalidState(key: "members.ma", found: "ma")),
        ])
    func refusals(text: String, expected: RegionError) throws {
        #expect(throws: expected) { try RegionPlan(document: TOMLDocument(parsing: text)) }
    }

    @Test("an unknown table or key is refused rather than ignored")
    func unknownSettings() throws {
        for text in ["[member]\nMA = \"a\"\n", "[links]\nlands = [\"MA-DZ\"]\n", "[region]\nvalid_days = 3\n"] {
            #expect(throws: RegionError.self) { try RegionPlan(document: TOMLDocument(parsing: text)) }
        }
    }

    @Test("the generator writes 16 nodes on consecutive ports with the signed roster installed in each")
    func generate() throws {
        let folder = try Deploy.temporaryFolder("bn-region")
        defer { try? FileManager.default.removeItem(at: folder) }
        let region = try RegionGenerator(plan: Self.plan(), host: "127.0.0.1", basePort: 40_000).generate(into: folder)
        #expect(region.nodes.count == 16)
        #expect(region.rosterVersion == 1)
        #expect(region.links.count == 39)
        for (index, node) in region.nodes.enumerated() {
            #expect(node.publish == "tcp://127.0.0.1:\(40_000 + 2 * index)")
            #expect(node.service == "tcp://127.0.0.1:\(40_000 + 2 * index + 1)")
            let directory = NodeDirectory(path: node.data)
            let roster = try #require(try directory.loadRoster())
            #expect(roster.version == 1)
            #expect(try directory.loadIdentity().card == roster.member(StateCode(node.state))?.card)
            #expect(try directory.loadConfiguration().publishBind == node.publish)
        }
        let written = try JSONDecoder().decode(GeneratedRegion.self, from: Data(contentsOf: folder.appendingPathComponent("region.json")))
        #expect(written == region)
        // Keys are never overwritten: a second run into the same folder is refused.
        #expect(throws: RegionError.outputNotEmpty(path: folder.standardizedFileURL.path)) {
            try RegionGenerator(plan: Self.plan()).generate(into: folder)
        }
    }

    @Test("four generated nodes along real borders exchange a bulletin: DZ posts, TN, MA and LY receive it", .timeLimit(.minutes(3)))
    func fourNodes() throws {
        let folder = try Deploy.temporaryFolder("bn-region4")
        let nodes = RegionProcesses()
        defer {
            nodes.stopAll()
            try? FileManager.default.removeItem(at: folder)
        }
        let base = try Deploy.freePorts(32)
        let generated = try Deploy.run(
            Deploy.bordernet.path,
            ["region", "generate", "--config", Self.regionFile.path, "--out", folder.appendingPathComponent("region").path,
             "--base-port", "\(base)", "--json"])
        #expect(generated.succeeded, "\(generated)")
        let region = try JSONDecoder().decode(GeneratedRegion.self, from: Data(generated.output.utf8))
        #expect(region.nodes.count == 16)

        for state in ["MA", "DZ", "TN", "LY"] { try nodes.start(try #require(region.node(state))) }
        let posted = try Deploy.run(
            Deploy.bordernet.path,
            ["post", "--data", try #require(region.node("DZ")).data, "--type", "migrant-smuggling", "--lang", "fr",
             "--title", "Passeurs interpellés près de Debdeb",
             "--summary", "Un groupe de 23 personnes a été intercepté à 4 km de la frontière, deux passeurs interpellés.",
             "--severity", "high", "--details", #"{"persons": 23, "smugglersArrested": 2}"#, "--json"],
            environment: ["BORDERNET_SCHEMAS": Deploy.schemas.path])
        #expect(posted.succeeded, "\(posted)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(posted.output.utf8)) as? [String: Any])
        let id = try #require(answer["id"] as? String)
        let recipients = Set(((answer["envelopes"] as? [[String: Any]]) ?? []).compactMap { $0["recipient"] as? String })
        // Every land neighbour of Algeria and its one partner link.
        #expect(recipients == ["MA", "TN", "LY", "NE", "ML", "MR", "ES"])

        for state in ["TN", "MA", "LY"] {
            let data = try #require(region.node(state)).data
            let arrived = waitUntil(seconds: 60) {
                (try? Deploy.run(Deploy.bordernet.path, ["feed", "--data", data, "--json"]))?.output.contains(id) == true
            }
            #expect(arrived, "\(state) never showed \(id)\n\(nodes.log(state))")
        }
        let dz = try #require(region.node("DZ")).data
        let acknowledged = waitUntil(seconds: 60) {
            guard let status = try? Deploy.run(Deploy.bordernet.path, ["status", "--data", dz, "--json"]),
                let object = try? JSONDecoder().decode(NodeStatus.self, from: Data(status.output.utf8))
            else { return false }
            return ["MA", "TN", "LY"].allSatisfy { state in object.outgoing.first { $0.recipient == state }?.acknowledged == 1 }
        }
        #expect(acknowledged, "\(nodes.log("DZ"))")
        // One bulletin posted, one stored: nothing twice.
        let maFeed = try Deploy.run(Deploy.bordernet.path, ["feed", "--data", try #require(region.node("MA")).data, "--json"])
        #expect(maFeed.output.split(separator: "\n").count == 1)
    }
}

/// Node processes of a generated region, stopped by their own pids (SIGTERM, then waited for).
final class RegionProcesses {
    private var processes: [String: (Process, URL)] = [:]

    func start(_ node: GeneratedRegion.Node) throws {
        let process = Process()
        process.executableURL = Deploy.bordernet
        process.arguments = ["node", "run", "--data", node.data, "--log-level", "debug"]
        process.environment = ProcessInfo.processInfo.environment.merging(["BORDERNET_SCHEMAS": Deploy.schemas.path]) { $1 }
        let log = URL(fileURLWithPath: node.data).appendingPathComponent("node.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        processes[node.state] = (process, log)
        let ready = waitUntil(seconds: 30) {
            (try? Deploy.run(Deploy.bordernet.path, ["status", "--data", node.data]))?.succeeded == true
        }
        if !ready { Issue.record("node \(node.state) did not answer within 30 s:\n\(self.log(node.state))") }
    }

    func log(_ state: String) -> String {
        guard let (_, file) = processes[state] else { return "" }
        return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }

    func stopAll() {
        for (process, _) in processes.values where process.isRunning {
            kill(process.processIdentifier, SIGTERM)
        }
        for (process, _) in processes.values { process.waitUntilExit() }
        processes = [:]
    }

    deinit { stopAll() }
}
