import Exchange
import Foundation
import LocalFiles
import Logging
import Node
import NodeSetup
import Store
import Synchronization
import Testing

/// Issue 13, defect 9: files in the data folder were created world-readable (0644), and the store
/// holds decrypted bulletins. Every file must be 0600 and every folder 0700 whatever the umask.
///
/// The umask is process-wide, and other suites run in this process at the same time, so only one
/// test here changes it. The CLI test leaves this process's mask alone: its `bordernet`
/// processes start under `sh -c 'umask 022; exec …'` (RegionHarness's `fileCreationMask`). The
/// library test must run the node in this process, so it sets 022 for its own duration and
/// restores the mask after. That is safe for the suites running beside it: 022 is the usual
/// default (most often the mask `swift test` inherits, and then nothing changes); no other test
/// changes the mask or asserts a mode that depends on it (files whose mode matters are given an
/// explicit one); the `bordernet` processes they start set their own mask (077) first thing. A
/// new test that changes the umask belongs in this serialized suite.
@Suite("Data folder: files 0600, folders 0700, whatever the umask", .serialized)
struct DataFolderModeTests {
    /// Every file and folder under `root` whose mode is not 0600 (files, sockets) or 0700
    /// (folders), as `path mode`; `except` names files the test itself created.
    static func openEntries(under root: URL, except: Set<String> = []) throws -> [String] {
        var found: [String] = []
        var pending = [root]
        var visited = 0
        while let folder = pending.popLast(), visited < 10_000 {
            visited += 1
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !except.contains(name) {
                let url = folder.appendingPathComponent(name)
                let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
                let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
                let isFolder = attributes[.type] as? FileAttributeType == .typeDirectory
                if isFolder { pending.append(url) }
                if mode != (isFolder ? 0o700 : 0o600) {
                    found.append("\(url.path.dropFirst(root.path.count)) \(String(mode, radix: 8))")
                }
            }
        }
        return found.sorted()
    }

    @Test("the library under umask 022: node and secretariat folders, roster, store, audit log, metrics, sockets while running")
    func libraryUnderPermissiveUmask() throws {
        let previous = FileCreationMask.set(0o022)
        defer { FileCreationMask.set(previous) }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-modes-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }

        let (node, _) = try RegionHarness.loneNode(in: root)

        // The node runs on a thread of its own, started here: a Task would need one of the few
        // cooperative threads, which other suites' blocking waits can hold for a long time.
        let runtime = NodeRuntime(directory: node, softwareVersion: "test", logger: Logger(label: "test"))
        let stopped = DispatchSemaphore(value: 0)
        let failure = Mutex<NodeError?>(nil)
        let thread = Thread {
            do throws(NodeError) {
                try runtime.run()
            } catch {
                failure.withLock { $0 = error }
            }
            stopped.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        let metrics = node.root.appendingPathComponent("metrics.prom").path
        let control = node.root.appendingPathComponent("control.sock").path
        let ready = waitUntil(seconds: 60) {
            UnixSocketFile.probe(path: control) == .listening && FileManager.default.fileExists(atPath: metrics)
        }
        #expect(ready, "the node did not start and write metrics.prom within 60 s")
        let whileRunning = try Self.openEntries(under: root)
        let store = try BulletinStore(path: node.root.appendingPathComponent("other.sqlite").path)
        _ = store
        runtime.stop()
        #expect(stopped.wait(timeout: .now() + 60) == .success, "the node did not stop within 60 s of stop()")
        if let error = failure.withLock({ $0 }) { Issue.record("the node failed: \(error)") }

        #expect(whileRunning == [], "while running: \(whileRunning)")
        let afterStop = try Self.openEntries(under: root)
        #expect(afterStop == [], "after the stop: \(afterStop)")
        let names = try Set(FileManager.default.contentsOfDirectory(atPath: node.root.path))
        for expected in ["store.sqlite", "audit.sqlite", "metrics.prom", "node.toml", "card.json", "roster.signed", "secretariat.pub", "keys", "other.sqlite"] {
            #expect(names.contains(expected), "\(expected) was not created: \(names.sorted())")
        }
    }

    @Test("existing databases readable by others, and their -wal and -shm, are narrowed to 0600 when opened")
    func existingDatabaseNarrowed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-narrow-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("store.sqlite").path
        for suffix in ["", "-wal", "-shm"] {
            #expect(FileManager.default.createFile(atPath: path + suffix, contents: nil))
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path + suffix)
        }
        #expect(try Self.openEntries(under: root).count == 3, "the files did not start readable by others")
        try PrivateDatabaseFile.prepare(path: path)
        #expect(try Self.openEntries(under: root) == [])
    }

    @Test("the CLI under umask 022: init, secretariat init, roster, node run and stop, audit collect")
    func commandLineUnderPermissiveUmask() throws {
        // The wrapper itself: a shell started through it reports 022.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = Array(RegionHarness.umaskPrefix("022").dropFirst()) + ["/bin/sh", "-c", "umask"]
        let printed = Pipe()
        shell.standardOutput = printed
        try shell.run()
        let mask = String(decoding: printed.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(mask.trimmingCharacters(in: .whitespacesAndNewlines) == "0022", "the umask wrapper does not work: \(mask)")

        let region = try RegionHarness(fileCreationMask: "022")
        let data = try region.addNode("MA")
        try region.signRoster(links: [])
        try region.start("MA")
        let whileRunning = try Self.openEntries(under: data, except: ["node.log"])
        let collect = try ControlSocketStateTests.run(
            ["audit", "collect", "--data", region.secretariat.path, "--timeout-ms", "10000"], prefix: RegionHarness.umaskPrefix("022"))
        region.stop("MA")
        // node.log is created by the test harness itself (it redirects the node's standard error).
        #expect(whileRunning == [], "while running: \(whileRunning)")
        #expect(try Self.openEntries(under: data, except: ["node.log"]) == [])
        #expect(
            FileManager.default.fileExists(atPath: region.secretariat.appendingPathComponent("collected.sqlite").path),
            "audit collect did not create collected.sqlite: \(collect.output)")
        #expect(try Self.openEntries(under: region.secretariat) == [])
        let rosterFile = try FileManager.default.attributesOfItem(atPath: region.root.appendingPathComponent("roster.signed").path)
        #expect((rosterFile[.posixPermissions] as? NSNumber)?.intValue == 0o600, "roster sign --out")
    }
}
