import Exchange
import Foundation
import NodeSetup
import Sodium

/// Generates a whole test region from a ``RegionPlan``: the secretariat's roster key, every node's
/// keys, card and `node.toml` on consecutive ports of one host, and the signed roster — declaring
/// what each node's schemas read (``RegionPlan/Node/readsSchema``) — installed in every node — with the same library calls as `secretariat init`, `init`, `roster add/link/
/// sign/install`, so the result is what operators following docs/OPERATIONS.md would have.
///
/// ```
/// OUT/
///   secretariat/       roster-signing key and draft (SecretariatDirectory)
///   roster.signed      the signed roster, version 1
///   region.json        what was generated (GeneratedRegion)
///   dz/ eg/ … xs/      one node data folder per state, lower-case (NodeDirectory)
/// ```
///
/// Ports: the nodes sorted by state get `base`, `base+1` (publish, service), `base+2`, `base+3`…
/// Everything is on one machine: a region for tests, demonstrations and rehearsals, not a
/// deployment (there each state generates its own keys on its own server).
public struct RegionGenerator: Sendable {
    /// The plan to generate.
    public let plan: RegionPlan
    /// The address every node binds and advertises (e.g. `127.0.0.1`).
    public let host: String
    /// The first port.
    public let basePort: Int
    /// Adjusts each node's `node.toml` before it is written (the demo's short heartbeats, the
    /// bench's log level and batch sizes); endpoints are set already.
    public let configure: @Sendable (RegionPlan.Node, inout NodeConfiguration) -> Void

    /// A generator of `plan` on `host`, ports from `basePort`, each node's settings adjusted by
    /// `configure`.
    public init(
        plan: RegionPlan, host: String = "127.0.0.1", basePort: Int = 7450,
        configure: @escaping @Sendable (RegionPlan.Node, inout NodeConfiguration) -> Void = { _, _ in }
    ) {
        self.plan = plan
        self.host = host
        self.basePort = basePort
        self.configure = configure
    }

    /// The publish and service endpoints of the node at `index` in ``RegionPlan/nodes``.
    public func endpoints(at index: Int) -> (publish: String, service: String) {
        let address = host.contains(":") ? "[\(host)]" : host
        return ("tcp://\(address):\(basePort + 2 * index)", "tcp://\(address):\(basePort + 2 * index + 1)")
    }

    /// Writes the region into `folder` (new or empty). `now` is the roster's issue time.
    /// `finalFolder`: where the caller will move `folder` once it is complete (the demo builds
    /// in a staging folder), so that `region.json` names the folders where they will be.
    public func generate(into folder: URL, movedTo finalFolder: URL? = nil, now: Timestamp = .now) throws(RegionError) -> GeneratedRegion {
        guard basePort > 0, basePort + 2 * plan.nodes.count <= 65_536 else {
            throw RegionError.portsOutOfRange(basePort: basePort, nodes: plan.nodes.count)
        }
        let root = folder.standardizedFileURL
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: root.path), !contents.isEmpty {
            throw RegionError.outputNotEmpty(path: root.path)
        }
        do {
            return try generateChecked(into: root, recordedRoot: finalFolder?.standardizedFileURL ?? root, now: now)
        } catch {
            throw RegionError.setup("\(error)")
        }
    }

    private func generateChecked(into root: URL, recordedRoot: URL, now: Timestamp) throws(SetupError) -> GeneratedRegion {
        try SecureFile.makePrivateDirectory(root)
        let secretariat = SecretariatDirectory(path: root.appendingPathComponent("secretariat").path)
        let secretariatKey = try secretariat.create()

        var draft = try secretariat.loadDraft()
        var generated: [GeneratedRegion.Node] = []
        var directories: [NodeDirectory] = []
        for (index, node) in plan.nodes.enumerated() {
            let (publish, service) = endpoints(at: index)
            let endpoints: NodeEndpoints
            do {
                endpoints = try NodeEndpoints(publish: publish, service: service)
            } catch {
                throw SetupError.invalidArgument("--host \(host) gives invalid endpoints: \(error)")
            }
            var configuration = NodeConfiguration()
            configuration.publishBind = publish
            configuration.serviceBind = service
            configure(node, &configuration)
            let directory = NodeDirectory(path: root.appendingPathComponent(node.state.description.lowercased()).path)
            let identity = try directory.create(
                state: node.state, nodeName: node.name, endpoints: endpoints, secretariatKey: secretariatKey,
                configuration: configuration, readsSchema: node.readsSchema)
            draft.add(RosterMember(card: identity.card, role: node.role, readsSchema: node.readsSchema))
            directories.append(directory)
            generated.append(
                GeneratedRegion.Node(
                    state: node.state.description, role: "\(node.role)", name: node.name,
                    data: recordedRoot.appendingPathComponent(directory.root.lastPathComponent).path,
                    publish: publish, service: service))
        }
        for link in plan.links { draft.link(link) }
        try secretariat.saveDraft(draft)

        let (roster, signed) = try secretariat.signDraft(now: now, validityDays: plan.rosterValidDays)
        let rosterFile = root.appendingPathComponent("roster.signed")
        try SecureFile.write(signed.serializedBytes, to: rosterFile, mode: 0o644)
        for directory in directories {
            try directory.installRoster(signed, now: now)
        }

        let region = GeneratedRegion(
            name: plan.name, secretariat: recordedRoot.appendingPathComponent("secretariat").path, secretariatKey: Hex.encode(secretariatKey.rawRepresentation),
            roster: recordedRoot.appendingPathComponent("roster.signed").path, rosterVersion: roster.version, rosterExpiresAt: roster.expiresAt.description,
            nodes: generated, links: roster.links.map(\.description))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try SecureFile.write(Array(encoder.encode(region)) + [0x0A], to: root.appendingPathComponent("region.json"), mode: 0o644)
        } catch let error as SetupError {
            throw error
        } catch {
            throw SetupError.cannotWrite(path: root.appendingPathComponent("region.json").path, reason: "\(error)")
        }
        return region
    }
}
