import Foundation
import Region
import Testing

/// Paths and process helpers shared by the deployment tests: the repository, the debug
/// `bordernet` built beside the tests, and commands run with their output in files (no pipe to
/// fill up) and a deadline.
enum Deploy {
    /// The repository's root folder.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `bordernet` executable built beside the test bundle (debug).
    static let bordernet: URL = {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        let candidates = [
            testBinary.deletingLastPathComponent().appendingPathComponent("bordernet"),
            repository.appendingPathComponent(".build/debug/bordernet"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    /// The repository's `Schemas/`.
    static let schemas = repository.appendingPathComponent("Schemas")

    /// The version in Sources/bordernet/BorderNetVersion.swift.
    static func version() throws -> String {
        let source = try String(contentsOf: repository.appendingPathComponent("Sources/bordernet/BorderNetVersion.swift"), encoding: .utf8)
        let line = try #require(source.split(separator: "\n").first { $0.contains("static let current") })
        return try #require(line.split(separator: "\"").dropFirst().first.map(String.init))
    }

    /// A new temporary folder.
    static func temporaryFolder(_ prefix: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// What a finished command did.
    struct Outcome: CustomStringConvertible {
        let command: String
        let status: Int32
        let output: String
        let errors: String
        let seconds: Double
        var succeeded: Bool { status == 0 }
        var description: String { "\(command) exited \(status) after \(Int(seconds)) s\n--- stdout\n\(output.suffix(6_000))\n--- stderr\n\(errors.suffix(6_000))" }
    }

    /// Runs `executable` with `arguments`, killing it (SIGKILL, by its pid) after `seconds`.
    @discardableResult
    static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        removing removed: [String] = [], seconds: Double = 120
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        for name in removed { merged[name] = nil }
        process.environment = merged
        let folder = try temporaryFolder("bn-run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out"), err = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        let deadline = start.addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return Outcome(
            command: ([executable] + arguments).joined(separator: " "), status: process.terminationStatus,
            output: (try? String(contentsOf: out, encoding: .utf8)) ?? "", errors: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
            seconds: Date().timeIntervalSince(start))
    }
}

extension Deploy {
    /// The first of `count` consecutive loopback ports between 10000 and 20000, free and claimed
    /// by no other test of this process: below the kernel's ephemeral range (32768–60999), from
    /// which other tests' "port 0" binds and every outgoing connection take theirs, and below
    /// the demo tests' range (from 20000).
    static func freePorts(_ count: Int) throws -> Int {
        try #require(LoopbackPort.claimRange(count: count, in: 10_000..<20_000))
    }

    /// Runs `body` on a thread of its own and awaits it, so that a command lasting minutes (the
    /// release build) does not hold one of the few threads that run every test concurrently.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
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
