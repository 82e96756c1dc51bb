import Exchange
import Foundation
import NodeClient
import NodeSetup
import Region
import SearchIndex
import Store
import Wire

/// A throwaway region for one benchmark, made by the same ``RegionGenerator`` as `region generate`
/// and the demo (a secretariat, nodes set up as `bordernet init` would, loopback ports, a signed
/// roster installed everywhere), and node processes started from the release `bordernet` binary.
final class BenchRegion {
    let root: URL
    let executable: URL
    let schemas: URL
    private(set) var nodes: [String: NodeDirectory] = [:]
    private var processes: [String: NodeProcess] = [:]

    init(executable: URL, schemas: URL) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        self.executable = executable
        self.schemas = schemas
    }

    deinit {
        for process in processes.values where process.isRunning {
            process.terminate()
            process.reap()
        }
        try? FileManager.default.removeItem(at: root)
    }

    /// Creates `states` and `links` with the one region builder (``RegionGenerator``) on a free
    /// range of loopback ports; `configure` adjusts every node.toml.
    func create(
        states: [String], links: [(String, String)], configure: @escaping @Sendable (inout NodeConfiguration) -> Void = { _ in }
    ) throws {
        // Every node loads `schemas`: the roster declares what they read, so that posts of their version go out.
        let reads = try NodeSchemas.reads(schemasIn: schemas)
        let nodes = try states.map {
            RegionPlan.Node(state: try StateCode($0), name: "\($0.lowercased())-bench", role: .member, readsSchema: reads)
        }
        let oneWay = try links.map { Link(origin: try StateCode($0.0), recipient: try StateCode($0.1)) }
        let plan = RegionPlan(name: "bench", rosterValidDays: 1, nodes: nodes, neighbourhoods: [], oneWayLinks: oneWay)
        guard let base = LoopbackPort.freeRange(count: 2 * nodes.count, from: 20_000 + Int.random(in: 0..<30_000)) else {
            throw BenchError("no free loopback ports")
        }
        let generator = RegionGenerator(plan: plan, basePort: base) { _, configuration in
            configuration.logLevel = "warning"
            configure(&configuration)
        }
        let generated = try generator.generate(into: root.appendingPathComponent("region"))
        for node in generated.nodes { self.nodes[node.state] = NodeDirectory(path: node.data) }
    }

    /// The data folder of `state`'s node.
    func node(_ state: String) throws -> NodeDirectory {
        guard let directory = nodes[state] else { throw BenchError("no node \(state)") }
        return directory
    }

    /// Starts `state`'s node and waits (bounded) until it answers.
    func start(_ state: String) throws {
        guard let directory = nodes[state] else { throw BenchError("no node \(state)") }
        let process = NodeProcess(state: state, directory: directory)
        try process.launch(executable: executable, schemas: schemas)
        processes[state] = process
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if (try? ControlClient(directory: directory, timeoutMilliseconds: 500).send(ControlRequest(command: .ping)))?.ok == true {
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw BenchError("node \(state) did not start: \(process.logTail())")
    }

    /// Stops `state`'s node (SIGTERM) and returns its peak resident memory in bytes.
    @discardableResult
    func stop(_ state: String) -> Int? {
        guard let process = processes[state] else { return nil }
        let peak = peakResidentBytes(state)
        process.terminate()
        process.reap()
        processes[state] = nil
        return peak
    }

    /// Peak resident set (VmHWM) of a running node.
    func peakResidentBytes(_ state: String) -> Int? {
        guard let pid = processes[state]?.processIdentifier,
            let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
    }

    /// User + system CPU seconds used so far by a running node.
    func cpuSeconds(_ state: String) -> Double? {
        processes[state].flatMap { Self.cpuSeconds(pid: $0.processIdentifier) }
    }

    /// User + system CPU seconds used so far by the running process `pid`.
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14, stime 15 (1-based over the whole line).
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Bytes of a node's store file (the write-ahead log, a reused buffer of bounded size, is
    /// not counted: its pages are copied into the file by the checkpoints).
    func storeFileBytes(_ state: String) throws -> Int64 {
        let path = try node(state).root.appendingPathComponent("store.sqlite").path
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Whether `state`'s search index has reached the newest bulletin of its store (both read
    /// read-only, as the console reads them).
    func indexHoldsNewestBulletin(_ state: String) throws -> Bool {
        let root = try node(state).root
        let newest = try BulletinReader(storeFile: root.appendingPathComponent("store.sqlite")).page(BulletinQuery(limit: 1)).items.first
        guard let newest else { return true }
        let index = root.appendingPathComponent("search.sqlite").path
        guard FileManager.default.fileExists(atPath: index) else { return false }
        return try SearchReader(path: index).position()?.id == newest.id.description
    }

    /// A node's status.
    func status(_ state: String) throws -> NodeStatus {
        guard let directory = nodes[state] else { throw BenchError("no node \(state)") }
        let response = try ControlClient(directory: directory, timeoutMilliseconds: 30_000).send(ControlRequest(command: .status))
        guard let status = response.status else { throw BenchError(response.error ?? "no status") }
        return status
    }

    /// Waits (bounded) until `condition` holds, polling every 20 ms.
    func wait(seconds: Double, _ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw BenchError("timed out after \(Int(seconds)) s waiting for \(what)")
    }
}

/// A benchmark that could not run.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
