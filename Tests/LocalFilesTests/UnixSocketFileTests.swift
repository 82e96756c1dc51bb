import Foundation
import Glibc
import Testing
import ZeroMQ

/// `IPCEndpoint.probe` tells at once what is behind an `ipc://` socket file, with real sockets:
/// a ZeroMQ listener, a socket file left by a process that is gone, no file, a file that is not a
/// socket. (Permission denied needs another user: root bypasses file permissions on Unix
/// sockets, so it is tested with a real unprivileged process in NodeTests/ControlSocketStateTests.)
@Suite("ipc:// endpoint probe")
struct IPCEndpointProbeTests {
    @Test("a bound ZeroMQ socket is listening; after it closes its file stays, stale (libzmq does not remove it)")
    func listening() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("control.sock").path
        do {
            let context = try Context()
            let router = try Socket(context, type: .router)
            try router.bind("ipc://" + path)
            #expect(IPCEndpoint.probe(path: path) == .listening)
            // The probe's connection, dropped without a greeting, leaves the listener usable.
            let dealer = try Socket(context, type: .dealer)
            try dealer.connect("ipc://" + path)
            try dealer.send(["ping".bytes])
            #expect(try receive(from: router, within: 5)?.frames.last == "ping".bytes)
        }
        // Why the node removes its socket files itself when it stops (NodeRuntime).
        #expect(IPCEndpoint.probe(path: path) == .stale)
    }

    @Test("a socket file nobody listens on is stale, found at once")
    func stale() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("control.sock").path
        try Self.bindAndAbandon(path)
        #expect(FileManager.default.fileExists(atPath: path))
        let started = ContinuousClock.now
        #expect(IPCEndpoint.probe(path: path) == .stale)
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test("no file, a missing folder, and a regular file are told apart")
    func missingAndNotASocket() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(IPCEndpoint.probe(path: folder.appendingPathComponent("control.sock").path) == .missing)
        #expect(IPCEndpoint.probe(path: folder.appendingPathComponent("nowhere/control.sock").path) == .missing)
        let file = folder.appendingPathComponent("plain")
        try Data("x".utf8).write(to: file)
        #expect(IPCEndpoint.probe(path: file.path) == .notASocket)
        #expect(IPCEndpoint.probe(path: file.appendingPathComponent("below").path) == .missing)
    }

    /// Binds a Unix socket at `path` and closes it without listening: the file stays, as after a
    /// process that was killed.
    static func bindAndAbandon(_ path: String) throws {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        try #require(bytes.count < MemoryLayout.size(ofValue: address.sun_path))
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
    }
}
