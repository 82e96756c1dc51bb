import Foundation
import NodeSetup

import LocalFiles

/// One node of a local region (the demo's, the bench's) running as a child process (`bordernet node run --data DIR/xx`), its
/// standard error appended to `DIR/xx/node.log` and its pid in `DIR/xx/demo.pid` while it runs.
///
/// Not `Sendable`: the demo starts, watches and stops its nodes from one thread.
public final class NodeProcess {
    /// The node's state.
    public let state: String
    /// The node's data folder.
    public let directory: NodeDirectory
    private let process = Process()
    /// Where the log of this run starts in `node.log`, so that a failure shows this run's lines.
    private var logStart: UInt64 = 0

    /// A node of `state` in `directory`, not started yet.
    public init(state: String, directory: NodeDirectory) {
        self.state = state
        self.directory = directory
    }

    /// The node's log file.
    public var logFile: URL { directory.root.appendingPathComponent("node.log") }
    var pidFile: URL { directory.root.appendingPathComponent("demo.pid") }

    /// The child's process id (0 before it starts).
    public var processIdentifier: Int32 { process.processIdentifier }
    /// Whether the child is running.
    public var isRunning: Bool { process.isRunning }
    /// The child's exit status (or the signal that ended it), once it has ended.
    public var terminationStatus: Int32 { process.terminationStatus }

    /// Launches `executable node run --data DIR` with `BORDERNET_SCHEMAS` set to `schemas`.
    public func launch(executable: URL, schemas: URL) throws(RegionError) {
        let manager = FileManager.default
        if !manager.fileExists(atPath: logFile.path) { _ = manager.createFile(atPath: logFile.path, contents: nil) }
        let log: FileHandle
        do {
            log = try FileHandle(forWritingTo: logFile)
            logStart = try log.seekToEnd()
            let banner = "---- demo started this node at \(Date().formatted(.iso8601)) ----\n"
            try log.write(contentsOf: Data(banner.utf8))
        } catch {
            throw RegionError.cannotLaunch(state: state, reason: "cannot open \(logFile.path): \(error.localizedDescription)")
        }
        defer { try? log.close() }
        process.executableURL = executable
        process.arguments = ["node", "run", "--data", directory.root.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["BORDERNET_SCHEMAS": schemas.path]) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            throw RegionError.cannotLaunch(state: state, reason: "\(executable.path): \(error.localizedDescription)")
        }
        try? Data("\(process.processIdentifier)\n".utf8).write(to: pidFile, options: .atomic)
    }

    /// Sends SIGTERM (the node finishes the message in hand and closes its sockets).
    public func terminate() {
        if process.isRunning { ChildProcessSignal.askToStop(process.processIdentifier) }
    }

    /// Sends SIGKILL, for a node that ignored SIGTERM past its deadline.
    public func forceKill() {
        if process.isRunning { ChildProcessSignal.forceStop(process.processIdentifier) }
    }

    /// Waits for the child to end and removes its pid file.
    public func reap() {
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: pidFile)
    }

    /// The last `lines` lines this run wrote to the log, indented for an error message.
    public func logTail(lines: Int = 15) -> String {
        guard let handle = try? FileHandle(forReadingFrom: logFile) else { return "    (no log)" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: logStart)
        let text = String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
        let tail = text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines)
        return tail.isEmpty ? "    (the log is empty)" : tail.map { "    " + $0 }.joined(separator: "\n")
    }

    /// The pid recorded by a demo whose node may still be running in `directory`, if any.
    public static func recordedProcessIdentifier(in directory: NodeDirectory) -> Int32? {
        let file = directory.root.appendingPathComponent("demo.pid")
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return Int32(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
