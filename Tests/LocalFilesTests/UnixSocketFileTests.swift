import Foundation
import Glibc
import LocalFiles
import Testing
import ZeroMQ

/// `UnixSocketFile.probe` tells at once what is behind an `ipc://` socket file, with real sockets:
/// a ZeroMQ listener, a socket file left by a process that is gone, no file, a file that is not a
/// socket (ZeroMQ only stands up the listener). Permission denied needs another user: root
/// bypasses file permissions on Unix sockets, so it is tested with a real unprivileged process in
/// NodeTests/ControlSocketStateTests.
@Suite("Unix socket file probe")
struct UnixSocketFileTests {
    @Test("a bound ZeroMQ socket is listening; after it closes its file stays, stale (libzmq does not remove it)")
    func listening() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("control.sock").path
        do {
            let context = try Context()
            let router = try Socket(context, type: .router)
            try router.bind("ipc://" + path)
            #expect(UnixSocketFile.probe(path: path) == .listening)
            // The probe's connection, dropped without a greeting, leaves the listener usable.
            let dealer = try Socket(context, type: .dealer)
            try dealer.connect("ipc://" + path)
            try dealer.send(["ping".bytes])
            #expect(try receive(from: router, within: 5)?.frames.last == "ping".bytes)
        }
        // Why the node removes its socket files itself when it stops (NodeRuntime).
        #expect(UnixSocketFile.probe(path: path) == .stale)
    }

    /// The probe is one non-blocking connect, so "at once" is by construction; what is checked is
    /// the answer (a timing bound here would only measure the machine).
    @Test("a socket file nobody listens on is stale")
    func stale() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("control.sock").path
        try Self.bindAndAbandon(path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(UnixSocketFile.probe(path: path) == .stale)
    }

    @Test("no file, a missing folder, and a regular file are told apart")
    func missingAndNotASocket() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(UnixSocketFile.probe(path: folder.appendingPathComponent("control.sock").path) == .missing)
        #expect(UnixSocketFile.probe(path: folder.appendingPathComponent("nowhere/control.sock").path) == .missing)
        let file = folder.appendingPathComponent("plain")
        try Data("x".utf8).write(to: file)
        #expect(UnixSocketFile.probe(path: file.path) == .notASocket)
        #expect(UnixSocketFile.probe(path: file.appendingPathComponent("below").path) == .missing)
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

/// Receives from `socket` until `seconds` pass (bounded: never waits forever).
func receive(from socket: Socket, within seconds: Double) throws -> Message? {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    var poller = Poller()
    poller.register(socket)
    while ContinuousClock.now < deadline {
        if try !poller.poll(timeoutMilliseconds: 100).isEmpty, let message = try socket.receive(dontWait: true) {
            return message
        }
    }
    return nil
}

/// A fresh temporary folder, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bordernet-files-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
