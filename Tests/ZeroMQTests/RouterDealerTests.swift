import Foundation
import Testing
import ZeroMQ

@Suite("ROUTER/DEALER, PAIR and the poller")
struct RouterDealerTests {
    @Test("ROUTER/DEALER round trip over ipc:// with routing ids")
    func roundTrip() throws {
        let context = try Context()
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let router = try Socket(context, type: .router)
        try router.setOption(.routerMandatory(true))
        let endpoint = try router.bind("ipc://\(directory.path)/service.sock")

        let dealer = try Socket(context, type: .dealer)
        try dealer.setOption(.routingID("node-MA".bytes))
        try dealer.connect(endpoint)
        try dealer.send(["replay".bytes, "after 41".bytes])

        let request = try #require(try receive(from: router, within: 30))
        #expect(request.frames == ["node-MA".bytes, "replay".bytes, "after 41".bytes])
        try router.send([request.frames[0], "batch".bytes, "42".bytes])
        let reply = try #require(try receive(from: dealer, within: 30))
        #expect(reply.frames == ["batch".bytes, "42".bytes])

        #expect(throws: ZeroMQError.hostUnreachable(operation: "zmq_send")) {
            try router.send(["nobody".bytes, "x".bytes])
        }
    }

    @Test("PAIR over inproc:// and a poller over two sockets")
    func pollerOverSeveralSockets() throws {
        let context = try Context()
        let left = try Socket(context, type: .pair)
        try left.bind("inproc://left")
        let leftPeer = try Socket(context, type: .pair)
        try leftPeer.connect("inproc://left")
        let right = try Socket(context, type: .pair)
        try right.bind("inproc://right")
        let rightPeer = try Socket(context, type: .pair)
        try rightPeer.connect("inproc://right")

        var poller = Poller()
        let leftIndex = poller.register(left)
        let rightIndex = poller.register(right)
        #expect(try poller.poll(timeoutMilliseconds: 20).isEmpty)

        try rightPeer.send(["to the right".bytes])
        #expect(try poller.poll(timeoutMilliseconds: 5_000) == [rightIndex])
        #expect(try right.receive()?.frames == ["to the right".bytes])

        try leftPeer.send(["to the left".bytes])
        try rightPeer.send(["again".bytes])
        var ready: Set<Int> = []
        let deadline = Date().addingTimeInterval(5)
        while ready.count < 2, Date() < deadline {
            ready.formUnion(try poller.poll(timeoutMilliseconds: 100))
        }
        #expect(ready == [leftIndex, rightIndex])
        #expect(try left.receive(dontWait: true)?.frames == ["to the left".bytes])
    }

    @Test("receive without waiting, receive timeout and send without waiting")
    func nonBlocking() throws {
        let context = try Context()
        let socket = try Socket(context, type: .dealer)
        try socket.setOption(.receiveTimeout(milliseconds: 10))
        #expect(try socket.receive(dontWait: true) == nil)
        #expect(try socket.receive() == nil)
        // A DEALER with no peer cannot queue anything.
        #expect(try socket.send(["nowhere".bytes], dontWait: true) == false)
    }

    @Test("errors name their errno")
    func errors() throws {
        let context = try Context()
        let first = try Socket(context, type: .router)
        let endpoint = try first.bind("tcp://127.0.0.1:*")
        let second = try Socket(context, type: .router)
        #expect(throws: ZeroMQError.addressInUse(endpoint: endpoint)) { try second.bind(endpoint) }
        do {
            try second.connect("carrier-pigeon://rabat")
            Issue.record("an unknown transport must be refused")
        } catch {
            #expect(error.errnoName == "EPROTONOSUPPORT")
            #expect(error.description.contains("carrier-pigeon://rabat"))
        }
        second.close()
        #expect(throws: ZeroMQError.self) { try second.send(["closed".bytes]) }
    }
}
