import Demo
import Exchange
import Foundation
import Region
import Testing
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// `bordernet demo` as `make run` and CI use it: the built executable, real node processes on
/// 127.0.0.1, a temporary region folder. Every wait has a deadline.
@Suite("bordernet demo", .serialized)
struct DemoTests {
    @Test("demo --once twice: created then reused, every sample reaches every land neighbour, no node left running")
    func runsTwice() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = try #require(Self.freeBasePort())

        let first = try Self.demo(["--once", "--json", "--dir", folder.path, "--base-port", "\(base)"])
        #expect(first.status == 0, "\(first.errors)")
        let created = try #require(first.report, "no report; stderr:\n\(first.errors)")
        #expect(created.created)
        Self.checkExchange(created)

        let second = try Self.demo(["--once", "--json", "--dir", folder.path, "--base-port", "\(base)"])
        #expect(second.status == 0, "\(second.errors)")
        let reused = try #require(second.report, "no report; stderr:\n\(second.errors)")
        #expect(!reused.created)
        Self.checkExchange(reused)
        // The stores persisted: link sequences go on from the first run, and the first run's
        // bulletins are still in every feed.
        #expect(Set(reused.samples.map(\.id)).isDisjoint(with: created.samples.map(\.id)))
        for status in reused.statuses {
            let before = created.statuses.first { $0.state == status.state }
            for link in status.outgoing {
                let earlier = before?.outgoing.first { $0.recipient == link.recipient }?.sent ?? 0
                #expect(link.sent == earlier * 2, "\(status.state)→\(link.recipient)")
            }
        }
        for feed in reused.feeds {
            let earlier = created.feeds.first { $0.state == feed.state }
            #expect(feed.earlier == (earlier?.earlier ?? 0) + (earlier?.received.count ?? 0), "\(feed.state)")
        }
        for report in [created, reused] { Self.expectStopped(report, in: folder) }
    }

    @Test("a second demo on a running region says so and touches nothing; SIGINT stops the first cleanly")
    func refusesARunningRegion() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = try #require(Self.freeBasePort())
        let output = folder.appendingPathComponent("report.json")
        let errors = folder.appendingPathComponent("progress.txt")
        let region = folder.appendingPathComponent("region")
        let running = try Self.launch(["--json", "--dir", region.path, "--base-port", "\(base)"], output: output, errors: errors)
        defer {
            if running.isRunning {
                kill(running.processIdentifier, SIGKILL)
                running.waitUntilExit()
            }
        }
        var report: DemoReport?
        let up = waitUntil(seconds: 60) {
            report = try? JSONDecoder().decode(DemoReport.self, from: Data(contentsOf: output))
            return report != nil || !running.isRunning
        }
        let started = try #require(report, "up: \(up); stderr:\n\(Self.text(errors))")

        let second = try Self.demo(["--once", "--dir", region.path, "--base-port", "\(base)"])
        #expect(second.status == 1)
        #expect(second.errors.contains("already running"), "\(second.errors)")
        #expect(second.errors.contains("kill \(started.nodes[0].pid)"), "\(second.errors)")

        kill(running.processIdentifier, SIGINT)
        let ended = waitUntil(seconds: 30) { !running.isRunning }
        #expect(ended, "the demo did not stop within 30 s of SIGINT")
        if ended { #expect(running.terminationStatus == 0) }
        #expect(Self.text(errors).contains("Stopped 10 nodes (each exited cleanly after SIGTERM)."), "\(Self.text(errors))")
        Self.expectStopped(started, in: region)
    }

    @Test("a taken port is named, with the way out (--base-port), and no region is created")
    func namesATakenPort() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = try #require(Self.freeBasePort())
        let context = try Context()
        let squatter = try Socket(context, type: .router)
        try squatter.bind("tcp://127.0.0.1:\(base + 5)")
        defer { squatter.close() }

        let region = folder.appendingPathComponent("region")
        let result = try Self.demo(["--once", "--dir", region.path, "--base-port", "\(base)"])
        #expect(result.status == 1)
        #expect(result.errors.contains("port \(base + 5)") && result.errors.contains("TN node"), "\(result.errors)")
        #expect(result.errors.contains("--base-port"), "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: region.path))
    }

    // MARK: - Checks

    /// Every sample went to exactly the origin's land neighbours among the demo's states, was
    /// stored by each of them, shows in their feeds, and was acknowledged.
    static func checkExchange(_ report: DemoReport) {
        let links = DemoRegion.landLinks()
        #expect(report.links == links.map(\.description))
        #expect(report.nodes.count == 10)
        #expect(report.samples.count >= 5)
        #expect(Set(report.samples.map(\.incidentType)).count >= 5)
        for sample in report.samples {
            let neighbours = links.filter { $0.origin.description == sample.origin }.map(\.recipient.description).sorted()
            #expect(sample.recipients == neighbours, "\(sample.example) from \(sample.origin)")
            #expect(sample.deliveredTo == sample.recipients, "\(sample.example) from \(sample.origin)")
            #expect(sample.id.hasPrefix(sample.origin + "-"))
            for recipient in sample.recipients {
                let feed = report.feeds.first { $0.state == recipient }
                #expect(feed?.received.contains { $0.id == sample.id } == true, "\(sample.id) not in \(recipient)'s feed")
            }
        }
        #expect(report.delivered)
        #expect(report.acknowledged)
        for status in report.statuses {
            for link in status.outgoing { #expect(link.acknowledged == link.sent, "\(status.state)→\(link.recipient)") }
            #expect(status.rejections.isEmpty, "\(status.state): \(status.rejections)")
        }
    }

    /// No node process of `report` is alive and every data folder's lock is free.
    static func expectStopped(_ report: DemoReport, in folder: URL) {
        for node in report.nodes {
            errno = 0
            #expect(kill(node.pid, 0) == -1 && errno == ESRCH, "the \(node.state) node (pid \(node.pid)) is still running")
            let descriptor = open(URL(fileURLWithPath: node.data).appendingPathComponent("node.lock").path, O_RDWR)
            defer { if descriptor >= 0 { close(descriptor) } }
            #expect(descriptor >= 0 && flock(descriptor, LOCK_EX | LOCK_NB) == 0, "\(node.state)'s lock is held")
        }
    }

    // MARK: - Running the executable

    struct Result {
        let status: Int32
        let report: DemoReport?
        let errors: String
    }

    /// Runs `bordernet demo ARGUMENTS` to its end (at most 90 s), outputs through files so that
    /// a large report never blocks on a pipe.
    static func demo(_ arguments: [String]) throws -> Result {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out")
        let errors = folder.appendingPathComponent("err")
        let process = try launch(arguments, output: output, errors: errors)
        if !waitUntil(seconds: 90, { !process.isRunning }) {
            kill(process.processIdentifier, SIGINT)
            _ = waitUntil(seconds: 20) { !process.isRunning }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            Issue.record("bordernet demo \(arguments) did not end within 90 s")
        }
        process.waitUntilExit()
        let report = try? JSONDecoder().decode(DemoReport.self, from: Data(contentsOf: output))
        return Result(status: process.terminationStatus, report: report, errors: text(errors) + text(output))
    }

    static func launch(_ arguments: [String], output: URL, errors: URL) throws -> Process {
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = RegionHarness.executable
        process.arguments = ["demo"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["BORDERNET_SCHEMAS": RegionHarness.schemas.path]) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        return process
    }

    static func text(_ file: URL) -> String {
        (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bn-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// 20 consecutive loopback ports between 20000 and 26000, free and claimed by no other test
    /// of this process: below the kernel's ephemeral range (32768–60999), where an outgoing
    /// connection could take a port between this check and the node's bind, and apart from the
    /// ranges of the other integration tests (RegionHarness, DeployTests).
    static func freeBasePort() -> Int? {
        LoopbackPort.claimRange(count: DemoRegion.members.count * DemoRegion.portsPerNode, in: 20_000..<26_000)
    }
}
