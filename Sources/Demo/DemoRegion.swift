import Exchange
import Foundation
import NodeSetup
import Region

/// The demo region in one folder: a secretariat and the nodes of the ten Rabat Declaration states
/// (Morocco, Algeria, Tunisia, Libya, Egypt, Sudan, Chad, Mali, Niger, Mauritania) linked both
/// ways along their real land borders, on consecutive 127.0.0.1 ports (20 from the base port).
///
/// ```
/// DIR/
///   demo.json        the manifest (written last: its presence means the region is complete)
///   secretariat/     the roster-signing key and draft, and the secretariat's own node (XS) that collects the audit logs
///   ma/ dz/ …        one node data folder per state (+ node.log, demo.pid while running)
///   drafts/          the sample drafts the demo posts, to post again by hand
/// ```
public struct DemoRegion: Sendable {
    /// A state of the demo and the name of its node.
    public struct Member: Sendable, Equatable {
        /// The state code.
        public let state: StateCode
        /// The node's name (its capital).
        public let nodeName: String
        /// The data folder's name inside the region.
        public var folder: String { state.description.lowercased() }
    }

    /// The states of the demo, in the order it shows them.
    public static let members: [Member] = {
        let names: [(String, String)] = [
            ("MA", "rabat-1"), ("DZ", "alger-1"), ("TN", "tunis-1"), ("LY", "tripoli-1"),
            ("EG", "cairo-1"), ("SD", "khartoum-1"), ("TD", "ndjamena-1"), ("ML", "bamako-1"), ("NE", "niamey-1"),
            ("MR", "nouakchott-1"),
        ]
        // Taken from the geography table so that the codes need no unchecked construction.
        let states = RegionGeography.rabatDeclaration.memberStates
        return names.compactMap { code, name in
            states.first { $0.description == code }.map { Member(state: $0, nodeName: name) }
        }
    }()

    /// Ports per node: publish, then service.
    public static let portsPerNode = 2
    /// The default first port.
    public static let defaultBasePort = 7450
    /// How long the signed roster is valid; a later run signs a new one when it nears expiry.
    static let rosterValidityDays = 365

    /// The region's folder.
    public let root: URL

    /// The region in `path` (relative paths are taken from the current directory).
    public init(path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    /// Both directions of every land border between the demo's states.
    public static func landLinks() -> [Link] { plan().links }

    /// The secretariat's folder.
    public var secretariat: SecretariatDirectory { SecretariatDirectory(path: root.appendingPathComponent("secretariat").path) }
    /// The folder of the sample drafts.
    public var draftsFolder: URL { root.appendingPathComponent("drafts", isDirectory: true) }
    var manifestFile: URL { root.appendingPathComponent("demo.json") }

    /// The data folder of a node of the region.
    public func node(_ folder: String) -> NodeDirectory { NodeDirectory(path: root.appendingPathComponent(folder).path) }

    /// The manifest of the region, or `nil` if there is no region yet (the folder does not exist
    /// or is empty). A folder with other content and no manifest is refused.
    public func loadManifest() throws(DemoError) -> DemoManifest? {
        let manager = FileManager.default
        guard manager.fileExists(atPath: root.path) else { return nil }
        guard manager.fileExists(atPath: manifestFile.path) else {
            let contents = (try? manager.contentsOfDirectory(atPath: root.path)) ?? []
            if contents.isEmpty { return nil }
            throw DemoError.notADemoFolder(path: root.path)
        }
        let manifest: DemoManifest
        do {
            manifest = try JSONDecoder().decode(DemoManifest.self, from: Data(contentsOf: manifestFile))
        } catch {
            throw DemoError.incompleteRegion(path: root.path, reason: "demo.json cannot be read: \(error)")
        }
        for node in manifest.nodes {
            for file in ["card.json", "node.toml", "roster.signed"]
            where !manager.fileExists(atPath: root.appendingPathComponent(node.folder).appendingPathComponent(file).path) {
                throw DemoError.incompleteRegion(path: root.path, reason: "\(node.folder)/\(file) is missing")
            }
        }
        return manifest
    }

    /// Creates the region: the secretariat, every node (keys, card, configuration on
    /// 127.0.0.1 ports from `basePort`), and a roster with the land-border links, signed and
    /// installed in every node. Everything is built in a sibling folder renamed into place at
    /// the end, so an interrupted creation leaves no half region behind. The roster declares that
    /// every node reads `readsSchema`: the version of the schemas the demo runs its nodes with.
    public func create(
        basePort: Int, readsSchema: BodySchemaVersion = RosterMember.defaultReadsSchema, now: Timestamp = .now
    ) throws(DemoError) -> DemoManifest {
        let needed = Self.members.count * Self.portsPerNode
        guard basePort >= 1_024, basePort + needed - 1 <= 65_535 else { throw DemoError.invalidBasePort(basePort, needed: needed) }
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        guard existing.isEmpty else {
            throw DemoError.setup("\(root.path) already holds files; a region is created only in a new or empty folder")
        }
        let staging = DemoRegion(path: root.deletingLastPathComponent().appendingPathComponent(".\(root.lastPathComponent).creating").path)
        try? FileManager.default.removeItem(at: staging.root)
        do {
            let manifest = try staging.build(basePort: basePort, readsSchema: readsSchema, finalRoot: root, now: now)
            // Only an empty folder can be in the way (checked above).
            if FileManager.default.fileExists(atPath: root.path) { try FileManager.default.removeItem(at: root) }
            try FileManager.default.moveItem(at: staging.root, to: root)
            return manifest
        } catch let error as DemoError {
            try? FileManager.default.removeItem(at: staging.root)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: staging.root)
            throw DemoError.setup("cannot move the new region into \(root.path): \(error.localizedDescription)")
        }
    }

    /// The demo as a region plan: its ten members, linked along their land borders.
    static func plan(readsSchema: BodySchemaVersion = RosterMember.defaultReadsSchema) -> RegionPlan {
        let states = Set(members.map(\.state))
        let borders = RegionGeography.rabatDeclaration.neighbourhoods.filter {
            $0.border == .land && states.contains($0.first) && states.contains($0.second)
        }
        return RegionPlan(
            name: "BorderNet demo", rosterValidDays: rosterValidityDays,
            nodes: members.map { RegionPlan.Node(state: $0.state, name: $0.nodeName, role: .member, readsSchema: readsSchema) },
            neighbourhoods: borders, oneWayLinks: [])
    }

    /// Generates the region into this (staging) folder with the one region builder
    /// (``RegionGenerator``), then writes `demo.json`; `finalRoot` is where it will be moved.
    private func build(basePort: Int, readsSchema: BodySchemaVersion, finalRoot: URL, now: Timestamp) throws(DemoError) -> DemoManifest {
        // Short heartbeats so that a bulletin published before a neighbour subscribed is
        // replayed within a second, not two.
        let generator = RegionGenerator(plan: Self.plan(readsSchema: readsSchema), basePort: basePort) { _, configuration in
            configuration.heartbeatIntervalMilliseconds = 1_000
        }
        let generated: GeneratedRegion
        do {
            generated = try generator.generate(into: root, movedTo: finalRoot, now: now)
        } catch {
            throw DemoError.setup("\(error)")
        }
        // The secretariat's own node, so that `audit collect` can reach the nodes (roster version 2).
        try addSecretariatNodeIfMissing(readsSchema: readsSchema, now: now)
        let names = Dictionary(uniqueKeysWithValues: Self.members.map { ($0.state.description, $0) })
        let nodes = generator.plan.nodes.enumerated().compactMap { index, node -> DemoManifest.Node? in
            guard let member = names[node.state.description] else { return nil }
            let publishPort = basePort + index * Self.portsPerNode
            return DemoManifest.Node(
                state: member.state.description, name: member.nodeName, folder: member.folder, publishPort: publishPort,
                servicePort: publishPort + 1)
        }
        let manifest = DemoManifest(basePort: basePort, createdAt: now.date.formatted(.iso8601), nodes: nodes, links: generated.links)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(manifest).write(to: manifestFile, options: .atomic)
        } catch {
            throw DemoError.setup("cannot write \(manifestFile.path): \(error.localizedDescription)")
        }
        return manifest
    }

    /// Why the demo signs a new roster for an existing region.
    public enum RosterRenewal: Sendable, Equatable {
        /// The installed roster expires within a week (a region left for a year still starts).
        case expiring
        /// The roster declares that the nodes read another schema version than the demo's
        /// schemas (the repository's `Schemas/` moved, e.g. from 1.0 to 1.1).
        case schemaVersion(BodySchemaVersion)
    }

    /// Signs the draft as a new roster version and installs it in every node when the installed
    /// roster expires within a week, or declares that a node reads another version than
    /// `readsSchema` (what the demo's schemas read); then every member is declared to read
    /// `readsSchema`. Returns why it signed one, or `nil`.
    @discardableResult
    public func renewRosterIfNeeded(
        readsSchema: BodySchemaVersion = RosterMember.defaultReadsSchema, now: Timestamp = .now
    ) throws(DemoError) -> RosterRenewal? {
        let soon = now.adding(milliseconds: 7 * 86_400_000)
        var renewal: RosterRenewal?
        for member in Self.members {
            do {
                guard let roster = try node(member.folder).loadRoster(now: now), !roster.isExpired(at: soon) else {
                    renewal = .expiring
                    break
                }
                if roster.member(member.state)?.readsSchema != readsSchema { renewal = renewal ?? .schemaVersion(readsSchema) }
            } catch {
                renewal = .expiring
                break
            }
        }
        guard let renewal else { return nil }
        do {
            try signAndInstall(readsSchema: readsSchema, now: now)
        } catch {
            throw DemoError.setup("cannot renew the roster: \(error)")
        }
        return renewal
    }

    /// Gives the region's secretariat its own node (`XS`, role secretariat, its keys and card in
    /// `secretariat/`), signed into a new roster version installed in every node, so that
    /// `bordernet audit collect --data DIR/secretariat` can reach the nodes (docs/AUDIT.md §12.1);
    /// regions made before this had none. Returns whether it did. Run while the nodes are stopped.
    @discardableResult
    public func addSecretariatNodeIfMissing(
        readsSchema: BodySchemaVersion = RosterMember.defaultReadsSchema, now: Timestamp = .now
    ) throws(DemoError) -> Bool {
        guard !FileManager.default.fileExists(atPath: secretariat.root.appendingPathComponent("card.json").path) else { return false }
        do {
            try secretariat.createNode(state: StateCode("XS"), nodeName: "secretariat-1")
            try signAndInstall(readsSchema: readsSchema, now: now)
        } catch {
            throw DemoError.setup("cannot give the secretariat its own node: \(error)")
        }
        return true
    }

    private func signAndInstall(readsSchema: BodySchemaVersion, now: Timestamp) throws(SetupError) {
        var draft = try secretariat.loadDraft()
        for member in draft.members where member.readsSchema != readsSchema {
            draft.add(RosterMember(card: member.card, role: member.role, readsSchema: readsSchema))
        }
        try secretariat.saveDraft(draft)
        let (_, signed) = try secretariat.signDraft(now: now, validityDays: Self.rosterValidityDays)
        for member in Self.members { try node(member.folder).installRoster(signed, now: now) }
    }
}
