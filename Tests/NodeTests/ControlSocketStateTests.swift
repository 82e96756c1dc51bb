import Foundation
import Glibc
import Node
import Testing
import ZeroMQ

/// Issue 13, defect 9: after a clean stop the socket files stayed and the next command waited
/// 10 s before saying that no node runs; a permission problem said "no node is running". Real
/// `bordernet` processes, real sockets; each refusal must come at once (a functional bound of
/// 3 s, against the 10 s control timeout, not a benchmark).
@Suite("Control socket: stale files, clean stops and permissions", .serialized)
struct ControlSocketStateTests {
    static let promptly: Duration = .seconds(3)

    /// Runs `bordernet` (through `prefix`, e.g. setpriv) and returns its exit status, standard
    /// output and error together, and how long it took.
    static func run(_ arguments: [String], prefix: [String] = []) throws -> (status: Int32, output: String, elapsed: Duration) {
        let process = Process()
        if let tool = prefix.first {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = Array(prefix.dropFirst()) + [RegionHarness.executable.path] + arguments
        } else {
            process.executableURL = RegionHarness.executable
            process.arguments = arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let started = ContinuousClock.now
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), ContinuousClock.now - started)
    }

    @Test("a clean stop removes control.sock and feed.sock; the next command says at once that no node runs")
    func cleanStop() throws {
        let region = try RegionHarness()
        let data = try region.addNode("MA")
        try region.signRoster(links: [])
        try region.start("MA")
        let control = data.appendingPathComponent("control.sock").path
        let feed = data.appendingPathComponent("feed.sock").path
        #expect(IPCEndpoint.probe(path: control) == .listening)
        #expect(IPCEndpoint.probe(path: feed) == .listening)
        region.stop("MA")
        #expect(!FileManager.default.fileExists(atPath: control), "control.sock stayed after SIGTERM")
        #expect(!FileManager.default.fileExists(atPath: feed), "feed.sock stayed after SIGTERM")

        let (status, output, elapsed) = try Self.run(["status", "--data", data.path])
        #expect(status == 1)
        #expect(output.contains("no node is running (no control socket at \(control))"), "\(output)")
        #expect(elapsed < Self.promptly, "status took \(elapsed)")
    }

    @Test("a killed node leaves a stale socket: the next command says so at once, and the node starts again over it")
    func staleSocket() throws {
        let region = try RegionHarness()
        let data = try region.addNode("MA")
        try region.signRoster(links: [])
        try region.start("MA")
        region.kill("MA")
        let control = data.appendingPathComponent("control.sock").path
        #expect(IPCEndpoint.probe(path: control) == .stale)

        for command in [["status"], ["feed"], ["post", "--type", "drug-trafficking", "--title", "t", "--summary", "s"]] {
            let (status, output, elapsed) = try Self.run(command + ["--data", data.path])
            #expect(status == 1)
            #expect(output.contains("no node is running: \(control) is left from a node that stopped uncleanly"), "\(command): \(output)")
            #expect(elapsed < Self.promptly, "\(command) took \(elapsed)")
        }

        try region.start("MA")
        #expect(IPCEndpoint.probe(path: control) == .listening)
        #expect(try region.status("MA").state == "MA")
        region.stop("MA")
    }

    /// Root bypasses file permissions on Unix sockets, so the refused user is a real process run
    /// as `nobody` with setpriv(1) (util-linux) when the tests run as root; as another user the
    /// command runs directly. Two refusals: the node's data folder (mode 0700, another owner), and
    /// a socket file of mode 000 in a folder anyone may enter (bound by this test).
    @Test("permission denied on the data folder or the socket names the file, its owner and mode, and the user")
    func permissionDenied() throws {
        let prefix: [String]
        if geteuid() == 0 {
            let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
            try #require(setpriv != nil, "setpriv(1) is needed to run a command as another user")
            prefix = [setpriv ?? "", "--reuid=65534", "--regid=65534", "--clear-groups"]
        } else {
            prefix = []
        }

        // 1. A running node's data folder, 0700 and owned by the test's user.
        let region = try RegionHarness()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: region.root.path)
        let data = try region.addNode("MA")
        try region.signRoster(links: [])
        try region.start("MA")
        let folderRefusal = try Self.run(["status", "--data", data.path], prefix: prefix)
        region.stop("MA")
        #expect(folderRefusal.status == 1)
        #expect(folderRefusal.output.contains("cannot reach the node on \(data.path): permission denied; \(data.path) is owned by"), "\(folderRefusal.output)")
        #expect(folderRefusal.output.contains("with mode 0700, and this command runs as"), "\(folderRefusal.output)")
        #expect(!folderRefusal.output.contains("no node is running"))
        #expect(folderRefusal.elapsed < Self.promptly)

        // 2. A listening socket of mode 000 in an open folder.
        let open = region.root.appendingPathComponent("open")
        try FileManager.default.createDirectory(at: open, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let control = open.appendingPathComponent("control.sock").path
        let context = try Context()
        let router = try Socket(context, type: .router)
        try router.bind("ipc://" + control)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: control)
        let socketRefusal = try Self.run(["status", "--data", open.path], prefix: prefix)
        #expect(socketRefusal.status == 1)
        #expect(
            socketRefusal.output.contains("permission denied; \(control) is owned by") && socketRefusal.output.contains("with mode 0000"),
            "\(socketRefusal.output)")
        #expect(socketRefusal.elapsed < Self.promptly)
    }

    @Test("the messages say what to do")
    func messages() {
        let access = IPCFileAccess(path: "/var/lib/bordernet", owner: "bordernet:bordernet", mode: "0700", requester: "alice (uid 1000)")
        #expect(
            "\(ControlClient.Failure.permissionDenied(dataPath: "/var/lib/bordernet", access: access))"
                == "cannot reach the node on /var/lib/bordernet: permission denied; /var/lib/bordernet is owned by bordernet:bordernet with mode 0700, and this command runs as alice (uid 1000). Run the command as the node's user, e.g. `sudo -u bordernet bordernet …`, or use an account that may enter the data folder"
        )
        #expect(
            "\(ControlClient.Failure.staleSocket(dataPath: "/d", socketPath: "/d/control.sock"))"
                == "no node is running: /d/control.sock is left from a node that stopped uncleanly (nothing listens on it); start the node with `bordernet node run --data /d`, which replaces the file"
        )
        #expect(
            "\(ControlClient.Failure.notRunning(dataPath: "/d", socketPath: "/d/control.sock"))"
                == "no node is running (no control socket at /d/control.sock); start it with `bordernet node run --data /d`")
    }
}
