import Foundation
import Logging
import NodeClient
import NodeSetup
import Testing
import Wire

@testable import Console

@Suite("the console's queue of access records to the node")
struct AccessRecorderTests {
    static let record = ConsoleAccessRecord(account: 1, role: "officer", action: .signIn, outcome: .succeeded)

    @Test("with no node to take them, records wait in a bounded queue: beyond its capacity each is dropped and counted, and recording never blocks")
    func boundedQueue() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bn-recorder-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // No node runs on the folder: every send fails at once (no control socket) and is retried.
        let recorder = AccessRecorder(
            control: ControlClient(directory: NodeDirectory(path: folder.path), timeoutMilliseconds: 1_000),
            logger: Logger(label: "test"), capacity: 4)
        for _ in 0..<10 { recorder.record(Self.record) }
        #expect(recorder.dropped == 6)
        #expect(recorder.sent == 0)
        for _ in 0..<1_000 { recorder.record(Self.record) }
        #expect(recorder.dropped == 1_006)
        #expect(AccessRecorder(control: ControlClient(directory: NodeDirectory(path: folder.path)), logger: Logger(label: "test"), capacity: 0).capacity == 1)
    }

    @Test("at the console's stop, one last attempt within the bound, then the records left are counted as not delivered")
    func finishBounded() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bn-recorder-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorder = AccessRecorder(
            control: ControlClient(directory: NodeDirectory(path: folder.path), timeoutMilliseconds: 1_000),
            logger: Logger(label: "test"), capacity: 16)
        for _ in 0..<5 { recorder.record(Self.record) }
        // No node: the last attempt fails, and all 5 are reported as not delivered.
        #expect(recorder.finish(within: .seconds(2)) == 5)
        #expect(recorder.sent == 0)
        // An empty queue has nothing left.
        let idle = AccessRecorder(control: ControlClient(directory: NodeDirectory(path: folder.path)), logger: Logger(label: "test"))
        #expect(idle.finish(within: .milliseconds(100)) == 0)
    }
}
