import Foundation
import Testing
import ZeroMQ

@Suite("PUB/SUB and XPUB")
struct PublishSubscribeTests {
    @Test("PUB/SUB over TCP delivers only the subscribed topic")
    func topicFiltering() throws {
        let context = try Context()
        let publisher = try Socket(context, type: .publisher)
        let endpoint = try publisher.bind("tcp://127.0.0.1:*")
        let subscriber = try Socket(context, type: .subscriber)
        try subscriber.subscribe("DZ".bytes)
        try subscriber.connect(endpoint)

        // A subscription travels to the publisher asynchronously ("slow joiner"): publish a probe
        // until the subscriber sees one, within a deadline.
        var joined = false
        for _ in 0..<50 where !joined {
            try publisher.send(["DZ".bytes, "probe".bytes])
            joined = try receive(from: subscriber, within: 0.1) != nil
        }
        #expect(joined)
        while try subscriber.receive(dontWait: true) != nil {}

        try publisher.send(["TN".bytes, "for Tunisia".bytes])
        try publisher.send(["DZ".bytes, "for Algeria".bytes])
        try publisher.send(["TN".bytes, "for Tunisia again".bytes])
        try publisher.send(["DZ".bytes, "last".bytes])

        let first = try #require(try receive(from: subscriber, within: 30))
        let second = try #require(try receive(from: subscriber, within: 30))
        #expect(first.frames == ["DZ".bytes, "for Algeria".bytes])
        #expect(second.frames == ["DZ".bytes, "last".bytes])
        #expect(try subscriber.receive(dontWait: true) == nil)
    }

    @Test("XPUB in manual mode sees each subscription and applies only the ones it allows")
    func manualSubscriptions() throws {
        let context = try Context()
        let publisher = try Socket(context, type: .extendedPublisher)
        try publisher.setOption(.extendedPublisherManual(true))
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let endpoint = try publisher.bind("ipc://\(directory.path)/pub.sock")

        let honest = try Socket(context, type: .subscriber)
        try honest.subscribe("DZ".bytes)
        try honest.connect(endpoint)
        let curious = try Socket(context, type: .subscriber)
        try curious.subscribe("TN".bytes)
        try curious.connect(endpoint)

        var seen: [[UInt8]] = []
        for _ in 0..<2 {
            let subscription = try #require(try receive(from: publisher, within: 30))
            seen.append(subscription.frames[0])
            // Allow only Algeria's topic; the request for TN is never applied.
            if subscription.frames[0] == [1] + "DZ".bytes {
                try publisher.subscribe("DZ".bytes)
            }
        }
        #expect(Set(seen) == [[1] + "DZ".bytes, [1] + "TN".bytes])

        try publisher.send(["TN".bytes, "secret for Tunisia".bytes])
        try publisher.send(["DZ".bytes, "for Algeria".bytes])
        let delivered = try #require(try receive(from: honest, within: 30))
        #expect(delivered.frames[1] == "for Algeria".bytes)
        #expect(try receive(from: curious, within: 0.3) == nil)
    }
}
