import Foundation
import Sodium
import Synchronization
import Testing
import ZeroMQ

@Suite("CURVE, Z85 and the ZAP authenticator")
struct CurveTests {
    @Test("Z85 encodes the RFC 32 example and refuses bad input")
    func z85() throws {
        #expect(try Z85.encode([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]) == "HelloWorld")
        #expect(try Z85.decode("HelloWorld") == [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])
        #expect(throws: ZeroMQError.self) { try Z85.encode([1, 2, 3]) }
        #expect(throws: ZeroMQError.self) { try Z85.decode("Hello~orld") }
        let key = CurveKeyPair.generate().publicKey
        #expect(try CurvePublicKey(z85: key.z85) == key)
        #expect(key.z85.count == 40)
    }

    @Test("a key pair reloads from its secret key and never prints it")
    func keyPair() throws {
        #expect(Context.supportsCurve)
        let pair = CurveKeyPair.generate()
        let reloaded = try CurveKeyPair(secretKey: pair.secretKey)
        #expect(reloaded.publicKey == pair.publicKey)
        #expect(!"\(pair)".contains(Hex.encode(pair.secretKey.exportedBytes())))
    }

    /// A CURVE ROUTER server guarded by a ZAP authenticator that knows only `allowed`.
    struct GuardedServer {
        let context: Context
        let authenticator: ZAPAuthenticator
        let router: Socket
        let endpoint: String
        let serverKey: CurvePublicKey
        let decisions: Decisions
    }

    final class Decisions: Sendable {
        let list = Mutex<[ZAPAuthenticator.Decision]>([])
        var all: [ZAPAuthenticator.Decision] { list.withLock { $0 } }
    }

    func guardedServer(allowing allowed: [CurvePublicKey: String], type: SocketType = .router) throws -> GuardedServer {
        let context = try Context()
        let decisions = Decisions()
        let authenticator = try ZAPAuthenticator(context: context, allowList: allowed) { decision in
            decisions.list.withLock { $0.append(decision) }
        }
        let serverKeys = CurveKeyPair.generate()
        let router = try Socket(context, type: type)
        try router.makeCurveServer(secretKey: serverKeys.secretKey)
        try router.setOption(.maxMessageSize(bytes: 1_024))
        let endpoint = try router.bind("tcp://127.0.0.1:*")
        return GuardedServer(
            context: context, authenticator: authenticator, router: router, endpoint: endpoint,
            serverKey: serverKeys.publicKey, decisions: decisions)
    }

    func client(of server: GuardedServer, keys: CurveKeyPair, type: SocketType = .dealer) throws -> Socket {
        let socket = try Socket(server.context, type: type)
        try socket.makeCurveClient(serverKey: server.serverKey, keyPair: keys)
        try socket.connect(server.endpoint)
        return socket
    }

    @Test("an allowed CURVE client is served and its User-Id is the name the allow-list gives it")
    func allowedClient() throws {
        let morocco = CurveKeyPair.generate()
        let server = try guardedServer(allowing: [morocco.publicKey: "MA"])
        let dealer = try client(of: server, keys: morocco)
        try dealer.send(["receipt".bytes])
        let request = try #require(try receive(from: server.router, within: 30))
        #expect(request.userID == "MA")
        #expect(request.peerAddress == "127.0.0.1")
        #expect(request.frames.last == "receipt".bytes)
        try server.router.send([request.frames[0], "ok".bytes])
        #expect(try receive(from: dealer, within: 30)?.frames == ["ok".bytes])
        // The ZAP handler records its decision on its own thread after it answered libzmq: the
        // message can come first. Waited for, bounded.
        var recorded = false
        for _ in 0..<500 where !recorded {
            recorded = server.decisions.all.contains { $0.accepted && $0.clientKey == morocco.publicKey && $0.mechanism == "CURVE" }
            if !recorded { Thread.sleep(forTimeInterval: 0.01) }
        }
        #expect(recorded)
    }

    @Test("a CURVE client with an unknown key is refused and never receives anything")
    func unknownClient() throws {
        let algeria = CurveKeyPair.generate()
        let stranger = CurveKeyPair.generate()
        let server = try guardedServer(allowing: [algeria.publicKey: "DZ"], type: .publisher)
        let member = try client(of: server, keys: algeria, type: .subscriber)
        try member.subscribe([])
        let intruder = try client(of: server, keys: stranger, type: .subscriber)
        try intruder.subscribe([])

        // Publish until the member hears it (bounded), then keep publishing for a while.
        var memberHeard = false
        for _ in 0..<50 where !memberHeard {
            try server.router.send(["DZ".bytes, "bulletin".bytes])
            memberHeard = try receive(from: member, within: 0.1) != nil
        }
        #expect(memberHeard)
        for _ in 0..<10 { try server.router.send(["DZ".bytes, "bulletin".bytes]) }
        #expect(try receive(from: intruder, within: 0.5) == nil)
        #expect(server.decisions.all.contains { !$0.accepted && $0.clientKey == stranger.publicKey })
    }

    @Test("an XPUB in manual mode sees who asked for each subscription (its User-Id)")
    func subscriptionCarriesUserID() throws {
        let algeria = CurveKeyPair.generate()
        let server = try guardedServer(allowing: [algeria.publicKey: "DZ"], type: .extendedPublisher)
        try server.router.setOption(.extendedPublisherManual(true))
        let subscriber = try client(of: server, keys: algeria, type: .subscriber)
        try subscriber.subscribe("TN".bytes)
        let subscription = try #require(try receive(from: server.router, within: 30))
        #expect(subscription.frames == [[1] + "TN".bytes])
        #expect(subscription.userID == "DZ")
    }

    @Test("an allow-list update admits a key it refused before")
    func allowListUpdate() throws {
        let tunisia = CurveKeyPair.generate()
        let server = try guardedServer(allowing: [:])
        server.authenticator.updateAllowList([tunisia.publicKey: "TN"])
        let dealer = try client(of: server, keys: tunisia)
        try dealer.send(["hello".bytes])
        #expect(try receive(from: server.router, within: 30)?.userID == "TN")
    }

    @Test("a frame above the maximum message size is dropped and the server keeps serving")
    func oversizedFrame() throws {
        let libya = CurveKeyPair.generate()
        let egypt = CurveKeyPair.generate()
        let server = try guardedServer(allowing: [libya.publicKey: "LY", egypt.publicKey: "EG"])
        let offender = try client(of: server, keys: libya)
        try offender.send([[UInt8](repeating: 0x41, count: 4_096)])
        #expect(try receive(from: server.router, within: 0.5) == nil)

        let honest = try client(of: server, keys: egypt)
        try honest.send(["small".bytes])
        let request = try #require(try receive(from: server.router, within: 30))
        #expect(request.userID == "EG")
        #expect(request.frames.last == "small".bytes)
    }

    @Test("a second authenticator in the same context is refused with EADDRINUSE")
    func oneAuthenticatorPerContext() throws {
        let context = try Context()
        let first = try ZAPAuthenticator(context: context, allowList: [:])
        #expect(throws: ZeroMQError.self) { try ZAPAuthenticator(context: context, allowList: [:]) }
        first.stop()
        first.stop()
    }
}
