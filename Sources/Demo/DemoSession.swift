import Exchange
import Foundation
import NodeSetup
import NodeClient
import Region
import Wire

/// One run of the demo: sets up (or reuses) the region, starts its nodes as child processes,
/// posts the samples, waits until they arrive and are acknowledged, and reports what every node
/// holds; then, when asked, stops the nodes. Every wait has a deadline.
///
/// Not `Sendable`: the command drives it from one thread; `isInterrupted` is how a signal
/// handler reaches it.
public final class DemoSession {
    /// How long each phase may take.
    public struct Deadlines: Sendable {
        /// For every node to answer `ping`.
        public var start: Duration = .seconds(45)
        /// For every link to be subscribed before posting (after it, replay catches up anyway).
        public var subscribe: Duration = .seconds(15)
        /// For every sample to be stored by every recipient.
        public var delivery: Duration = .seconds(30)
        /// For every link to be acknowledged up to what it sent.
        public var acknowledgement: Duration = .seconds(15)
        /// For the nodes to exit after SIGTERM, before SIGKILL.
        public var stop: Duration = .seconds(15)

        /// The defaults.
        public init() {}
    }

    /// How a node ended when the demo stopped it.
    public struct Stopped: Sendable, Equatable {
        /// The node's state.
        public var state: String
        /// Its exit status.
        public var status: Int32
        /// Whether it needed SIGKILL after ignoring SIGTERM past the deadline.
        public var killed: Bool
    }

    /// The region.
    public let region: DemoRegion
    /// The nodes started by this session.
    public private(set) var nodes: [NodeProcess] = []
    private let executable: URL
    private let schemas: URL
    private let deadlines: Deadlines
    private let progress: (String) -> Void
    private let isInterrupted: () -> Bool
    private var reportedExits: Set<String> = []

    /// A session on `region` that launches `executable` for each node, tells it where `schemas`
    /// are, reports each step to `progress` and gives up a wait as soon as `isInterrupted`.
    public init(
        region: DemoRegion, executable: URL, schemas: URL, deadlines: Deadlines = Deadlines(),
        progress: @escaping (String) -> Void, isInterrupted: @escaping () -> Bool
    ) {
        self.region = region
        self.executable = executable
        self.schemas = schemas
        self.deadlines = deadlines
        self.progress = progress
        self.isInterrupted = isInterrupted
    }

    /// Sets up or reuses the region, starts it, posts the samples and reports. Nodes started
    /// before an error keep running: call ``stop()`` in every case.
    public func run(requestedBasePort: Int?) throws(DemoError) -> DemoReport {
        let (manifest, created) = try prepare(requestedBasePort: requestedBasePort)
        let samples = try DemoSample.load(schemas: schemas)
        let states = Set(manifest.nodes.map(\.state))
        for sample in samples where !states.contains(sample.origin) {
            throw DemoError.samples("the example \(sample.example) comes from \(sample.origin), which has no node in the demo")
        }
        for sample in samples { _ = try sample.write(into: region.draftsFolder) }

        try launch(manifest)
        try waitUntilReady()
        waitForSubscriptions()
        var earlier: [String: Int] = [:]
        for node in nodes { earlier[node.state] = receivedIDs(of: node)?.count ?? 0 }

        progress("Posting \(samples.count) sample bulletins, each from the state its example names:")
        var deliveries: [DemoReport.Delivery] = []
        for sample in samples {
            deliveries.append(try post(sample))
        }
        let delivered = waitForDelivery(&deliveries)
        let acknowledged = waitForAcknowledgements()

        let postedIDs = Set(deliveries.map(\.id))
        var feeds: [DemoReport.Feed] = []
        var statuses: [NodeStatus] = []
        for node in nodes {
            let bulletins = history(of: node) ?? []
            feeds.append(
                DemoReport.Feed(state: node.state, received: bulletins.filter { postedIDs.contains($0.id) }, earlier: earlier[node.state] ?? 0))
            if let status = try? ControlClient(directory: node.directory).send(ControlRequest(command: .status)).status {
                statuses.append(status)
            }
        }
        return DemoReport(
            directory: region.root.path, created: created, basePort: manifest.basePort,
            nodes: zip(manifest.nodes, nodes).map { entry, node in
                DemoReport.Node(
                    state: entry.state, name: entry.name, data: node.directory.root.path, publish: "tcp://127.0.0.1:\(entry.publishPort)",
                    service: "tcp://127.0.0.1:\(entry.servicePort)", pid: node.processIdentifier, log: node.logFile.path)
            },
            links: manifest.links, samples: deliveries, delivered: delivered, acknowledged: acknowledged, feeds: feeds,
            statuses: statuses)
    }

    /// Waits until interrupted, telling `onExit` (once per node) about a node that ends by itself.
    /// Returns early if every node has ended.
    public func watch(onExit: (NodeProcess) -> Void) {
        while !isInterrupted() {
            for node in nodes where !node.isRunning && !reportedExits.contains(node.state) {
                reportedExits.insert(node.state)
                onExit(node)
            }
            if !nodes.isEmpty, nodes.allSatisfy({ !$0.isRunning }) { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    /// Stops every node this session started: SIGTERM, a bounded wait, SIGKILL for any left.
    public func stop() -> [Stopped] {
        for node in nodes { node.terminate() }
        let deadline = ContinuousClock.now + deadlines.stop
        while ContinuousClock.now < deadline, nodes.contains(where: \.isRunning) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        var killed: Set<String> = []
        for node in nodes where node.isRunning {
            node.forceKill()
            killed.insert(node.state)
        }
        var stopped: [Stopped] = []
        for node in nodes {
            node.reap()
            stopped.append(Stopped(state: node.state, status: node.terminationStatus, killed: killed.contains(node.state)))
        }
        nodes = []
        return stopped
    }

    // MARK: - Phases

    private func prepare(requestedBasePort: Int?) throws(DemoError) -> (DemoManifest, created: Bool) {
        if let manifest = try region.loadManifest() {
            progress("Reusing the demo region in \(region.root.path) (created \(manifest.createdAt); its stores keep what earlier runs exchanged).")
            if let requestedBasePort, requestedBasePort != manifest.basePort {
                progress(
                    "  note: it uses ports from \(manifest.basePort); --base-port \(requestedBasePort) applies to a new region (`make clean-demo` first).")
            }
            if manifest.nodes.count != DemoRegion.members.count {
                progress(
                    "  note: it was made with \(manifest.nodes.count) states; this version makes \(DemoRegion.members.count) (`make clean-demo` for a new region).")
            }
            try refuseIfRunning(manifest)
            try requireFreePorts(manifest, regionExists: true)
            switch try region.renewRosterIfNeeded(readsSchema: try schemasRead()) {
            case .expiring: progress("  the roster was near its expiry: signed and installed a new version.")
            case .schemaVersion(let version):
                progress("  the schemas are now \(version): signed and installed a roster declaring that every node reads \(version).")
            case nil: break
            }
            if try region.addSecretariatNodeIfMissing(readsSchema: try schemasRead()) {
                progress("  the secretariat got its own node (XS) to collect the audit logs: signed and installed a new roster.")
            }
            return (manifest, false)
        }
        let basePort = requestedBasePort ?? DemoRegion.defaultBasePort
        let needed = DemoRegion.members.count * DemoRegion.portsPerNode
        guard basePort >= 1_024, basePort + needed - 1 <= 65_535 else { throw DemoError.invalidBasePort(basePort, needed: needed) }
        for (index, member) in DemoRegion.members.enumerated() {
            for port in [basePort + index * 2, basePort + index * 2 + 1] where !LoopbackPort.isFree(port) {
                throw DemoError.portInUse(
                    port: port, state: member.state.description, regionExists: false, path: region.root.path,
                    freeBasePort: LoopbackPort.freeRange(count: needed, from: basePort + 1_000))
            }
        }
        progress("Creating a demo region in \(region.root.path): a secretariat and \(DemoRegion.members.count) nodes on 127.0.0.1:\(basePort)–\(basePort + needed - 1)…")
        let manifest = try region.create(basePort: basePort, readsSchema: try schemasRead())
        progress("  \(manifest.nodes.map { "\($0.state) \($0.name)" }.joined(separator: ", "))")
        progress("  roster signed by the secretariat with \(manifest.links.count) links (both ways along every land border): \(manifest.links.joined(separator: " "))")
        return (manifest, true)
    }

    /// What the schemas the nodes run with read: what the roster declares, so that the samples
    /// (written for those schemas) go out.
    private func schemasRead() throws(DemoError) -> BodySchemaVersion {
        do {
            return try NodeSchemas.reads(schemasIn: schemas)
        } catch {
            throw DemoError.samples("\(error)")
        }
    }

    private func refuseIfRunning(_ manifest: DemoManifest) throws(DemoError) {
        var running: [String] = []
        var processIDs: [Int32] = []
        for entry in manifest.nodes {
            let directory = region.node(entry.folder)
            if let lock = try? DataFolderLock(directory: directory) {
                lock.release()
            } else {
                running.append(entry.state)
                if let pid = NodeProcess.recordedProcessIdentifier(in: directory) { processIDs.append(pid) }
            }
        }
        if !running.isEmpty { throw DemoError.alreadyRunning(path: region.root.path, states: running, processIDs: processIDs) }
    }

    private func requireFreePorts(_ manifest: DemoManifest, regionExists: Bool) throws(DemoError) {
        for entry in manifest.nodes {
            for port in [entry.publishPort, entry.servicePort] where !LoopbackPort.isFree(port) {
                throw DemoError.portInUse(
                    port: port, state: entry.state, regionExists: regionExists, path: region.root.path,
                    freeBasePort: LoopbackPort.freeRange(count: manifest.nodes.count * DemoRegion.portsPerNode, from: manifest.basePort + 1_000))
            }
        }
    }

    private func launch(_ manifest: DemoManifest) throws(DemoError) {
        progress("Starting \(manifest.nodes.count) nodes (each `\(executable.lastPathComponent) node run --data \(region.root.path)/xx`, log in xx/node.log)…")
        for entry in manifest.nodes {
            let node = NodeProcess(state: entry.state, directory: region.node(entry.folder))
            do {
                try node.launch(executable: executable, schemas: schemas)
            } catch {
                if case .cannotLaunch(let state, let reason) = error { throw DemoError.cannotLaunch(state: state, reason: reason) }
                throw DemoError.setup("\(error)")
            }
            nodes.append(node)
        }
    }

    private func waitUntilReady() throws(DemoError) {
        let started = ContinuousClock.now
        let deadline = started + deadlines.start
        var ready: [String] = []
        while ready.count < nodes.count {
            if isInterrupted() { throw DemoError.interrupted }
            for node in nodes where !ready.contains(node.state) {
                if !node.isRunning {
                    throw DemoError.nodeExited(
                        state: node.state, status: node.terminationStatus, log: node.logFile.path, logTail: node.logTail())
                }
                let answer = try? ControlClient(directory: node.directory, timeoutMilliseconds: 300).send(ControlRequest(command: .ping))
                if answer?.ok == true {
                    ready.append(node.state)
                    progress("  \(node.state) is up (pid \(node.processIdentifier))  [\(ready.count)/\(nodes.count)]")
                }
            }
            if ready.count == nodes.count { break }
            if ContinuousClock.now >= deadline, let silent = nodes.first(where: { !ready.contains($0.state) }) {
                throw DemoError.nodeSilent(
                    state: silent.state, seconds: Int(deadlines.start.components.seconds), log: silent.logFile.path,
                    logTail: silent.logTail())
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        progress("All \(nodes.count) nodes answer (\(Self.seconds(since: started)) s).")
    }

    /// Waits until each neighbour subscribes to its topic, so that the first envelopes are not
    /// dropped by PUB/SUB before the subscription arrives (replay would recover them, later).
    private func waitForSubscriptions() {
        let started = ContinuousClock.now
        let deadline = started + deadlines.subscribe
        var shown = -1
        while !isInterrupted() {
            var subscribed = 0
            var total = 0
            for node in nodes {
                let outgoing = (try? ControlClient(directory: node.directory).send(ControlRequest(command: .status)).status?.outgoing) ?? []
                total += outgoing.count
                subscribed += outgoing.filter(\.subscribed).count
            }
            if subscribed != shown, subscribed == total || ContinuousClock.now >= deadline {
                shown = subscribed
                progress("Links subscribed: \(subscribed)/\(total) (\(Self.seconds(since: started)) s).")
            }
            if subscribed == total && total > 0 { return }
            if ContinuousClock.now >= deadline {
                progress("  not every neighbour has subscribed yet; what it misses will reach it by replay.")
                return
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    private func post(_ sample: DemoSample) throws(DemoError) -> DemoReport.Delivery {
        guard let node = nodes.first(where: { $0.state == sample.origin }) else {
            throw DemoError.samples("no node for \(sample.origin)")
        }
        let response: ControlResponse
        do {
            response = try ControlClient(directory: node.directory).send(ControlRequest(command: .post, draft: Array(sample.draft.utf8)))
        } catch {
            throw DemoError.postRefused(state: sample.origin, example: sample.example, reason: "\(error)")
        }
        guard response.ok, let posted = response.posted else {
            let failures = (response.failures ?? []).map { "\n    \($0)" }.joined()
            throw DemoError.postRefused(state: sample.origin, example: sample.example, reason: (response.error ?? "no reason given") + failures)
        }
        let recipients = posted.envelopes.map(\.recipient).sorted()
        progress("  \(sample.origin) posted \(sample.incidentType) \(posted.id) → \(recipients.joined(separator: ", "))")
        return DemoReport.Delivery(
            example: sample.example, origin: sample.origin, incidentType: sample.incidentType, title: sample.title, id: posted.id,
            recipients: recipients, deliveredTo: [])
    }

    private func waitForDelivery(_ deliveries: inout [DemoReport.Delivery]) -> Bool {
        let started = ContinuousClock.now
        let deadline = started + deadlines.delivery
        let expected = deliveries.reduce(0) { $0 + $1.recipients.count }
        var shown = -1
        while true {
            for node in nodes where deliveries.contains(where: { $0.recipients.contains(node.state) && !$0.deliveredTo.contains(node.state) }) {
                guard let received = receivedIDs(of: node) else { continue }
                for index in deliveries.indices
                where deliveries[index].recipients.contains(node.state) && !deliveries[index].deliveredTo.contains(node.state)
                    && received.contains(deliveries[index].id)
                {
                    deliveries[index].deliveredTo.append(node.state)
                    deliveries[index].deliveredTo.sort()
                }
            }
            let count = deliveries.reduce(0) { $0 + $1.deliveredTo.count }
            if count != shown {
                shown = count
                progress("Delivered: \(count)/\(expected) (\(Self.seconds(since: started)) s).")
            }
            if count == expected { return true }
            if ContinuousClock.now >= deadline || isInterrupted() {
                for delivery in deliveries where delivery.deliveredTo != delivery.recipients {
                    let missing = delivery.recipients.filter { !delivery.deliveredTo.contains($0) }
                    progress("  not delivered in time: \(delivery.id) to \(missing.joined(separator: ", ")) (see their node.log)")
                }
                return false
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    private func waitForAcknowledgements() -> Bool {
        let started = ContinuousClock.now
        let deadline = started + deadlines.acknowledgement
        while !isInterrupted() {
            var pending = 0
            for node in nodes {
                guard let status = try? ControlClient(directory: node.directory).send(ControlRequest(command: .status)).status else {
                    pending += 1
                    continue
                }
                pending += status.outgoing.filter { $0.acknowledged < $0.sent }.count
            }
            if pending == 0 {
                progress("Every link acknowledged what it sent (signed receipts, \(Self.seconds(since: started)) s).")
                return true
            }
            if ContinuousClock.now >= deadline {
                progress("  \(pending) links still wait for receipts; `status` shows the oldest unacknowledged bulletin of each.")
                return false
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return false
    }

    // MARK: - Queries

    private func history(of node: NodeProcess) -> [FeedBulletin]? {
        let query = HistoryQuery(limit: 10_000, includeOwn: false)
        return try? ControlClient(directory: node.directory).send(ControlRequest(command: .history, query: query)).bulletins
    }

    private func receivedIDs(of node: NodeProcess) -> Set<String>? {
        history(of: node).map { Set($0.map(\.id)) }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        return String(format: "%.1f", Double(milliseconds) / 1000)
    }
}
