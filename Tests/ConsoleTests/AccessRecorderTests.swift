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

    @Test("agency records: a delivery keeps each well-formed reference once (at most 100), a refusal names no agency unless given; a batch holds at most 64 console and 8 agency records, in order")
    func agencyRecords() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bn-recorder-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorder = AccessRecorder(
            control: ControlClient(directory: NodeDirectory(path: folder.path), timeoutMilliseconds: 1_000),
            logger: Logger(label: "test"), capacity: 16)
        let a = "DZ-01JN8SMHN0F25SPHBKNXW0JX05"
        let b = "MA-01JN8SMHN0F25SPHBKNXW0JX06"
        recorder.recordAgencyDelivery(agency: 4, bulletins: [b, a, "../../etc/passwd", b])
        recorder.recordAgencyRefusal()
        recorder.recordAgencyRefusal(agency: 9)
        recorder.recordAgencyDelivery(agency: 0, bulletins: [a])
        recorder.recordAgencyDelivery(agency: 5, bulletins: Array(repeating: a, count: 150))
        let queued = recorder.queued
        #expect(queued.count == 5)
        #expect(queued.first == .agency(AgencyAccessRecord(agency: 4, outcome: .delivered, bulletins: [a, b])))
        #expect(queued[1] == .agency(AgencyAccessRecord(agency: 0, outcome: .refused)))
        #expect(queued[2] == .agency(AgencyAccessRecord(agency: 9, outcome: .refused)))
        // A delivery that names no credential cannot be written as one: recorded as a refusal.
        #expect(queued[3] == .agency(AgencyAccessRecord(agency: 0, outcome: .refused)))
        #expect(queued[4] == .agency(AgencyAccessRecord(agency: 5, outcome: .delivered, bulletins: [a])))
        #expect(recorder.finish(within: .milliseconds(500)) == 5)

        let agency = AccessRecorder.Queued.agency(AgencyAccessRecord(agency: 1, outcome: .refused))
        let console = AccessRecorder.Queued.console(Self.record)
        #expect(AccessRecorder.nextBatch(Array(repeating: agency, count: 20)).count == 8)
        #expect(AccessRecorder.nextBatch(Array(repeating: console, count: 100)).count == 64)
        let mixed = Array(repeating: console, count: 10) + Array(repeating: agency, count: 9) + [console]
        #expect(AccessRecorder.nextBatch(mixed) == Array(mixed.prefix(18)))
        #expect(AccessRecorder.nextBatch([console, agency]) == [console, agency])
        #expect(AccessRecorder.nextBatch([]).isEmpty)
    }
}
