import Foundation
import Glibc
import LocalFiles
import NodeClient
import Testing
import ZeroMQ

/// Issue 13, defect 9: after a clean stop the socket files stayed and the next command waited
/// 10 s before saying that no node runs; a permission problem said "no node is running". Real
/// `bordernet` processes, real sockets.
///
/// No test here times anything (a loaded machine is not a failure). Instead the node's control
/// timeout is 60 s (`[limits] control_timeout_ms`), so a command that waited for an answer
/// instead of probing the socket would end with "did not answer within 60000 ms", not with the
/// message the test expects; every command is killed after ``deadline`` so such a regression still
/// ends, showing the wrong message.
@Suite("Control socket: stale files, clean stops and permissions", .serialized)
struct ControlSocketStateTests {
    /// Longer than the control timeout, so that a command that waits prints why.
    static let deadline: Double = 90

    /// A region with one node, MA, whose commands wait 60 s for an answer.
    static func region() throws -> (RegionHarness, URL) {
        let region = try RegionHarness()
        let data = try region.addNode("MA")
        try region.configure("MA", table: "limits", key: "control_timeout_ms", value: "60000")
        try region.signRoster(links: [])
        return (region, data)
    }

    /// Runs `bordernet` (through `prefix`, e.g. setpriv) and returns its exit status and its
    /// standard output and error together; killed after ``deadline`` seconds.
    static func run(_ arguments: [String], prefix: [String] = []) throws -> (status: Int32, output: String) {
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
        try process.run()
        let overdue = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + deadline, execute: overdue)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        overdue.cancel()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("a clean stop removes control.sock and feed.sock; the next command says that no node runs, without waiting for an answer")
    func cleanStop() throws {
        let (region, data) = try Self.region()
        try region.start("MA")
        let control = data.appendingPathComponent("control.sock").path
        let feed = data.appendingPathComponent("feed.sock").path
        #expect(UnixSocketFile.probe(path: control) == .listening)
        #expect(UnixSocketFile.probe(path: feed) == .listening)
        region.stop("MA")
        #expect(!FileManager.default.fileExists(atPath: control), "control.sock stayed after SIGTERM")
        #expect(!FileManager.default.fileExists(atPath: feed), "feed.sock stayed after SIGTERM")

        let (status, output) = try Self.run(["status", "--data", data.path])
        #expect(status == 1)
        #expect(output.contains("no node is running (no control socket at \(control))"), "\(output)")
    }

    @Test("a killed node leaves a stale socket: the next command says so without waiting for an answer, and the node starts again over it")
    func staleSocket() throws {
        let (region, data) = try Self.region()
        try region.start("MA")
        region.kill("MA")
        let control = data.appendingPathComponent("control.sock").path
        #expect(UnixSocketFile.probe(path: control) == .stale)

        for command in [["status"], ["feed"], ["post", "--type", "drug-trafficking", "--title", "t", "--summary", "s"]] {
            let (status, output) = try Self.run(command + ["--data", data.path])
            #expect(status == 1)
            #expect(output.contains("no node is running: \(control) is left from a node that stopped uncleanly"), "\(command): \(output)")
        }

        try region.start("MA")
        #expect(UnixSocketFile.probe(path: control) == .listening)
        #expect(try region.status("MA").state == "MA")
        region.stop("MA")
    }

    /// Root bypasses file permissions on Unix sockets, so the refused user is a real process run
    /// as `nobody` with setpriv(1) (util-linux) when the tests run as root; as another user the
    /// command runs directly. Two refusals: the node's data folder (mode 0700, another owner), and
    /// a socket file of mode 000 in a folder anyone may enter (bound by this test). The refused
    /// user cannot read node.toml, so its commands wait the default 10 s: a regression still ends
    /// with "did not answer", not with "permission denied".
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
        let (region, data) = try Self.region()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: region.root.path)
        try region.start("MA")
        let folderRefusal = try Self.run(["status", "--data", data.path], prefix: prefix)
        region.stop("MA")
        #expect(folderRefusal.status == 1)
        #expect(folderRefusal.output.contains("cannot reach the node on \(data.path): permission denied; \(data.path) is owned by"), "\(folderRefusal.output)")
        #expect(folderRefusal.output.contains("with mode 0700, and this command runs as"), "\(folderRefusal.output)")
        #expect(!folderRefusal.output.contains("no node is running"))

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
    }

    @Test("the messages say what to do")
    func messages() {
        let access = AccessRefusal(path: "/var/lib/bordernet", owner: "bordernet:bordernet", mode: "0700", requester: "alice (uid 1000)")
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
