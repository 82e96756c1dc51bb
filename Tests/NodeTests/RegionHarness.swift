import Exchange
import Foundation
import NodeClient
import NodeSetup
import Region
import Testing
import Wire
import ZeroMQ

/// A small region of real `bordernet` processes for integration tests: a secretariat, nodes set
/// up with the CLI exactly as the README says, on 127.0.0.1 ports chosen by the test, in a
/// temporary folder. Every wait has a deadline.
final class RegionHarness {
    let root: URL
    let secretariat: URL
    let secretariatKey: String
    private(set) var nodes: [String: URL] = [:]
    private var processes: [String: Process] = [:]
    /// The umask every `bordernet` process of this region starts under (through `sh -c 'umask …'`),
    /// or `nil` for this test process's own; the test process's mask is never changed.
    let fileCreationMask: String?

    /// The `bordernet` executable built beside the test bundle.
    static let executable: URL = {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var candidates = [testBinary.deletingLastPathComponent().appendingPathComponent("bordernet")]
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repository.appendingPathComponent(".build/debug/bordernet"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    /// The repository's `Schemas/` folder.
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Schemas")

    init(fileCreationMask: String? = nil) throws {
        self.fileCreationMask = fileCreationMask
        root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        secretariat = root.appendingPathComponent("sec")
        let output = try Self.bordernet(["secretariat", "init", "--data", secretariat.path, "--json"], umask: fileCreationMask)
        let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: String]
        secretariatKey = try #require(object?["publicKey"])
    }

    deinit {
        for process in processes.values where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: root)
    }

    /// Creates a node for `state` with two free loopback ports.
    @discardableResult
    func addNode(_ state: String) throws -> URL {
        let data = root.appendingPathComponent(state.lowercased())
        let ports = try Self.freePorts(2)
        let publish = "tcp://127.0.0.1:\(ports)"
        let service = "tcp://127.0.0.1:\(ports + 1)"
        try Self.bordernet([
            "init", "--state", state, "--name", "\(state.lowercased())-1", "--data", data.path,
            "--secretariat-key", secretariatKey, "--advertise-publish", publish, "--advertise-service", service,
            "--bind-publish", publish, "--bind-service", service,
        ], umask: fileCreationMask)
        nodes[state] = data
        return data
    }

    /// Roles other than `member`, by state (e.g. `XS: secretariat`).
    var roles: [String: String] = [:]

    /// Adds every node's card, the given links, signs and installs the roster everywhere.
    func signRoster(links: [(String, String)]) throws {
        for (state, data) in nodes {
            try Self.bordernet(
                ["roster", "add", data.appendingPathComponent("card.json").path, "--role", roles[state] ?? "member", "--data", secretariat.path],
                umask: fileCreationMask)
        }
        for (origin, recipient) in links {
            try Self.bordernet(["roster", "link", origin, recipient, "--data", secretariat.path], umask: fileCreationMask)
        }
        let signed = root.appendingPathComponent("roster.signed").path
        try Self.bordernet(["roster", "sign", "--data", secretariat.path, "--out", signed], umask: fileCreationMask)
        for data in nodes.values {
            try Self.bordernet(["roster", "install", signed, "--data", data.path], umask: fileCreationMask)
        }
    }

    /// Changes the secretariat's draft (links added, states removed) and signs it as the next
    /// roster version into a file of its own, installed nowhere; returns the file.
    func signNextRoster(addLinks: [(String, String)] = [], remove: [String] = [], name: String) throws -> URL {
        for (origin, recipient) in addLinks {
            try Self.bordernet(["roster", "link", origin, recipient, "--data", secretariat.path], umask: fileCreationMask)
        }
        if !remove.isEmpty { try Self.bordernet(["roster", "remove"] + remove + ["--data", secretariat.path], umask: fileCreationMask) }
        let signed = root.appendingPathComponent(name)
        try Self.bordernet(["roster", "sign", "--data", secretariat.path, "--out", signed.path], umask: fileCreationMask)
        return signed
    }

    /// Starts `state`'s node process and waits (bounded) until it answers on its control socket.
    func start(_ state: String) throws {
        let data = try #require(nodes[state])
        let process = Process()
        Self.prepare(process, arguments: ["node", "run", "--data", data.path, "--log-level", "debug"], umask: fileCreationMask)
        process.environment = ProcessInfo.processInfo.environment.merging(["BORDERNET_SCHEMAS": Self.schemas.path]) { $1 }
        let log = FileManager.default.createFile(atPath: data.appendingPathComponent("node.log").path, contents: nil)
        #expect(log)
        process.standardError = try FileHandle(forWritingTo: data.appendingPathComponent("node.log"))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        processes[state] = process
        let ready = waitUntil(seconds: 30) { (try? self.status(state)) != nil }
        if !ready { Issue.record("node \(state) did not answer within 30 s; log:\n\(self.log(state))") }
    }

    /// Stops `state`'s node with SIGTERM and waits for it.
    func stop(_ state: String) {
        guard let process = processes[state] else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// For a failure message: every node of the region that is no longer running (and was not
    /// stopped by the test), with its exit status and the end of its log.
    func exitedNodes() -> String {
        processes.keys.sorted().compactMap { state -> String? in
            guard let process = processes[state], !process.isRunning else { return nil }
            return "\(state) exited with \(process.terminationStatus) (\(process.terminationReason == .uncaughtSignal ? "signal" : "exit")); its log ends:\n\(log(state).suffix(4_000))"
        }.joined(separator: "\n")
    }

    /// The process id of `state`'s running node.
    func pid(_ state: String) -> Int32? {
        processes[state].flatMap { $0.isRunning ? $0.processIdentifier : nil }
    }

    /// The resident memory of `state`'s node in MiB (`VmRSS` of /proc), or `nil`.
    func residentMiB(_ state: String) -> Double? {
        guard let pid = pid(state), let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes / 1_024
    }

    /// Kills `state`'s node with SIGKILL.
    func kill(_ state: String) {
        guard let process = processes[state] else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func log(_ state: String) -> String {
        guard let data = nodes[state] else { return "" }
        return (try? String(contentsOf: data.appendingPathComponent("node.log"), encoding: .utf8)) ?? ""
    }

    /// `bordernet status --json` of a node.
    func status(_ state: String) throws -> NodeStatus {
        let data = try #require(nodes[state])
        let output = try Self.bordernet(["status", "--data", data.path, "--json"], umask: fileCreationMask)
        return try JSONDecoder().decode(NodeStatus.self, from: Data(output.utf8))
    }

    /// The ids in a node's feed history (`bordernet feed --json`), in order.
    func feedIDs(_ state: String, includeOwn: Bool = false) throws -> [String] {
        let data = try #require(nodes[state])
        let output = try Self.bordernet(
            ["feed", "--data", data.path, "--json", "--limit", "10000"] + (includeOwn ? ["--include-own"] : []), umask: fileCreationMask)
        return output.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        }
    }

    /// Posts an example bulletin from `state` (its `id` and test marker removed); returns the
    /// posted id and the raw output.
    func post(from state: String, example: String, to recipients: [String]? = nil) throws -> PostedBulletin {
        let data = try #require(nodes[state])
        let file = try Self.draft(of: Self.schemas.appendingPathComponent("examples/\(example).json"), in: root)
        var arguments = ["post", "--data", data.path, "--file", file.path, "--json"]
        if let recipients { arguments += ["--to", recipients.joined(separator: ",")] }
        let output = try Self.bordernet(arguments, umask: fileCreationMask)
        return try JSONDecoder().decode(PostedBulletin.self, from: Data(output.utf8))
    }

    /// Posts `count` copies of an example draft from `state` through its control socket (no
    /// process per post), returning the ids in the order the node accepted them.
    func postMany(from state: String, count: Int, example: String = "migrant-smuggling", to recipients: [String]? = nil) throws -> [String] {
        let data = try #require(nodes[state])
        let draft = try String(contentsOf: Self.draft(of: Self.schemas.appendingPathComponent("examples/\(example).json"), in: root), encoding: .utf8)
        let client = ControlClient(directory: NodeDirectory(path: data.path), timeoutMilliseconds: 30_000)
        var ids: [String] = []
        for _ in 0..<count {
            let response = try client.send(ControlRequest(command: .post, draft: Array(draft.utf8), recipients: recipients))
            let posted = try #require(response.posted, "\(response.error ?? "post refused")")
            ids.append(posted.id)
        }
        return ids
    }

    /// Sets `key = value` in a node's node.toml (before it starts).
    func configure(_ state: String, table: String, key: String, value: String) throws {
        let file = try #require(nodes[state]).appendingPathComponent("node.toml")
        var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var table_ = ""
        for index in lines.indices {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") { table_ = String(line.dropFirst().dropLast()) }
            if table_ == table, line.hasPrefix("\(key) =") { lines[index] = "\(key) = \(value)" }
        }
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    }

    /// Sends `signal` (SIGSTOP, SIGCONT…) to a node process.
    func signal(_ state: String, _ number: Int32) {
        if let process = processes[state] { Foundation.kill(process.processIdentifier, number) }
    }

    /// The incoming link status of `recipient` from `origin`.
    func incoming(_ recipient: String, from origin: String) -> IncomingLinkStatus? {
        (try? status(recipient))?.incoming.first { $0.origin == origin }
    }

    /// The outgoing link status of `origin` to `recipient`.
    func outgoing(_ origin: String, to recipient: String) -> OutgoingLinkStatus? {
        (try? status(origin))?.outgoing.first { $0.recipient == recipient }
    }

    /// A draft of an example file: without `id` and `x-expected-error`.
    static func draft(of example: URL, in folder: URL) throws -> URL {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any])
        object["id"] = nil
        object["x-expected-error"] = nil
        let file = folder.appendingPathComponent("draft-\(UUID().uuidString.prefix(6)).json")
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        return file
    }

    /// Sets `process` to run `bordernet` with `arguments`, under `umask` (e.g. `"022"`) when given:
    /// `sh -c 'umask 022; exec "$0" "$@"' bordernet ARGUMENTS…`.
    static func prepare(_ process: Process, arguments: [String], umask: String? = nil) {
        if let umask {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = Array(umaskPrefix(umask).dropFirst()) + [executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
    }

    /// `/bin/sh -c 'umask MASK; exec "$0" "$@"'`: put before a command to run it under `mask`.
    static func umaskPrefix(_ mask: String) -> [String] {
        ["/bin/sh", "-c", "umask \(mask); exec \"$0\" \"$@\""]
    }

    /// Runs `bordernet` with `arguments` (under `umask` when given); returns standard output, or
    /// throws with both outputs.
    @discardableResult
    static func bordernet(_ arguments: [String], expectFailure: Bool = false, umask: String? = nil) throws -> String {
        let process = Process()
        prepare(process, arguments: arguments, umask: umask)
        process.environment = ProcessInfo.processInfo.environment.merging(["BORDERNET_SCHEMAS": schemas.path]) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: out, as: UTF8.self)
        if (process.terminationStatus == 0) == expectFailure {
            throw CommandFailure(arguments: arguments, status: process.terminationStatus, output: text, errors: String(decoding: err, as: UTF8.self))
        }
        return expectFailure ? text + String(decoding: err, as: UTF8.self) : text
    }

    struct CommandFailure: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let output: String
        let errors: String
        var description: String { "bordernet \(arguments.joined(separator: " ")) exited \(status)\n\(output)\n\(errors)" }
    }

    /// A lone node of MA under `root` (`sec/` the secretariat, with its own node XS; `ma/` the
    /// node) on free loopback ports, its roster signed and installed: the library calls of
    /// `secretariat init`, `init` and `roster sign/install`, for tests of one node's files.
    static func loneNode(in root: URL) throws -> (node: NodeDirectory, identity: NodeIdentity) {
        let secretariat = SecretariatDirectory(path: root.appendingPathComponent("sec").path)
        let rosterKey = try secretariat.create()
        try secretariat.createNode(state: StateCode("XS"), nodeName: "secretariat-1")
        let node = NodeDirectory(path: root.appendingPathComponent("ma").path)
        let port = try RegionHarness.freePorts(2)
        var configuration = NodeConfiguration()
        configuration.publishBind = "tcp://127.0.0.1:\(port)"
        configuration.serviceBind = "tcp://127.0.0.1:\(port + 1)"
        configuration.schemasPath = RegionHarness.schemas.path
        let identity = try node.create(
            state: StateCode("MA"), nodeName: "ma-1",
            endpoints: NodeEndpoints(publish: configuration.publishBind, service: configuration.serviceBind), secretariatKey: rosterKey,
            configuration: configuration)
        var draft = try secretariat.loadDraft()
        draft.add(RosterMember(card: identity.card, role: .member))
        try secretariat.saveDraft(draft)
        let (_, signed) = try secretariat.signDraft(validityDays: 30)
        _ = try node.installRoster(signed)
        return (node, identity)
    }

    /// `count` consecutive loopback ports, free now and claimed by no other test of this process,
    /// between 26000 and 32700: below the kernel's ephemeral range (32768–60999), where an
    /// outgoing connection could take one before the node binds it, and apart from the demo's
    /// and the deployment tests' ranges.
    static func freePorts(_ count: Int) throws -> Int {
        guard let base = LoopbackPort.claimRange(count: count, in: 26_000..<32_700) else {
            throw CommandFailure(arguments: ["free port"], status: -1, output: "", errors: "no free loopback ports in 26000–32700")
        }
        return base
    }
}

/// Polls `condition` every 100 ms until it holds or `seconds` pass.
@discardableResult
func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return condition()
}
