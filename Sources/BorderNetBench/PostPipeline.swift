import Foundation
import NodeSetup
import Synchronization
import Wire
import ZeroMQ

/// Posts many bulletins to a node over its control socket without waiting for each answer (up
/// to `window` in flight), as a busy liaison office or a gateway would, optionally paced.
/// Records when each post was accepted (answered) and its envelope's link sequence.
struct PostPipeline {
    struct Accepted {
        var id: String
        var sequence: UInt64
        var acceptedAtMicroseconds: Int64
    }

    let directory: NodeDirectory
    let draft: String
    let recipients: [String]
    var window = 512
    /// Drafts posted in turn instead of `draft` (the console benchmark's mix of markings).
    var mix: [String] = []

    /// Posts `count` bulletins, at most `rate` per second when given. Returns them in answer order.
    func run(count: Int, rate: Double? = nil) throws -> [Accepted] {
        let context = try Context()
        let socket = try Socket(context, type: .dealer)
        try socket.setOption(.sendHighWaterMark(0))
        try socket.setOption(.receiveHighWaterMark(0))
        try socket.connect(directory.controlEndpoint)
        let requests = try (mix.isEmpty ? [draft] : mix).map {
            try ControlRequest(command: .post, draft: Array($0.utf8), recipients: recipients).frames()
        }
        var poller = Poller()
        poller.register(socket)
        var accepted: [Accepted] = []
        accepted.reserveCapacity(count)
        var sent = 0
        let start = Date()
        let deadline = start.addingTimeInterval(Double(count) / max(rate ?? 200, 200) + 120)
        while accepted.count < count {
            guard Date() < deadline else { throw BenchError("posting timed out at \(accepted.count)/\(count)") }
            let due = rate.map { min(count, Int(Date().timeIntervalSince(start) * $0) + 1) } ?? count
            while sent < due, sent - accepted.count < window {
                try socket.send(requests[sent % requests.count])
                sent += 1
            }
            let timeout = rate == nil ? 100 : 1
            guard try !poller.poll(timeoutMilliseconds: timeout).isEmpty else { continue }
            while let message = try socket.receive(dontWait: true) {
                let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
                guard let frame = message.frames.last else { continue }
                let response = try ControlResponse(frame: frame)
                guard let posted = response.posted, let envelope = posted.envelopes.first else {
                    throw BenchError("post refused: \(response.error ?? "?") \(response.failures ?? [])")
                }
                accepted.append(Accepted(id: posted.id, sequence: envelope.sequence, acceptedAtMicroseconds: now))
            }
        }
        return accepted
    }
}

/// Records when each bulletin appears on a node's local feed (published right after its
/// durable commit): the time it was stored at the recipient.
final class FeedRecorder: Sendable {
    private let arrivals = Mutex<[String: Int64]>([:])
    private let stopped = DispatchSemaphore(value: 0)
    private let stopFlag = StopSignal()

    init(endpoint: String) throws {
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            defer { stopped.signal() }
            guard let context = try? Context(), let socket = try? Socket(context, type: .subscriber) else { ready.signal(); return }
            try? socket.setOption(.receiveHighWaterMark(0))
            try? socket.subscribe([])
            try? socket.connect(endpoint)
            ready.signal()
            var poller = Poller()
            poller.register(socket)
            while !stopFlag.isSet {
                guard (try? poller.poll(timeoutMilliseconds: 50))?.isEmpty == false else { continue }
                while let message = try? socket.receive(dontWait: true), message.frames.count == 3 {
                    let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
                    // The node writes the id as the body's first member: {"id":"MA-01…",
                    let body = message.frames[2]
                    if body.count > 36, body.starts(with: Array(#"{"id":""#.utf8)) {
                        arrivals.withLock { $0[String(decoding: body[7..<36], as: UTF8.self)] = now }
                    }
                }
            }
        }
        thread.start()
        ready.wait()
    }

    /// Stops recording and returns arrival times by bulletin id (Unix microseconds).
    func stop() -> [String: Int64] {
        stopFlag.set()
        stopped.wait()
        return arrivals.withLock { $0 }
    }
}

/// A flag set once from one thread and read by another.
final class StopSignal: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
