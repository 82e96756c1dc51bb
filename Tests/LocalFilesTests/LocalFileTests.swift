import Foundation
import LocalFiles
import Testing

/// Files created with their mode, refusals that name the file and the system's reason, removal,
/// and the data folder's lock. (The same under a permissive umask, end to end, is
/// NodeTests/DataFolderModeTests.)
@Suite("Local files")
struct LocalFileTests {
    @Test("a new file has exactly the permissions asked for; an existing one is refused, or replaced when asked")
    func writeAndReplace() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("key").path
        try LocalFile.write(Array("one".utf8), to: path, permissions: .ownerReadWrite)
        #expect(LocalFile.permissions(of: path) == .ownerReadWrite)
        #expect(throws: LocalFileError.alreadyExists(path: path)) {
            try LocalFile.write(Array("two".utf8), to: path, permissions: .ownerReadWrite)
        }
        try LocalFile.write(Array("three".utf8), to: path, permissions: 0o640, replacing: true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "three")
        #expect(LocalFile.permissions(of: path) == 0o640)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["key"], "the temporary file stayed")
    }

    @Test("createEmpty creates once, then leaves the file alone; permissions are read and narrowed")
    func createEmptyAndNarrow() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("store.sqlite").path
        #expect(try LocalFile.createEmpty(at: path, permissions: .ownerReadWrite))
        #expect(try !LocalFile.createEmpty(at: path, permissions: 0o644))
        #expect(LocalFile.permissions(of: path) == .ownerReadWrite)
        try LocalFile.setPermissions(0o644, of: path)
        #expect(LocalFile.permissions(of: path)?.grantsGroupOrOthers == true)
        #expect(LocalFile.permissions(of: path)?.description == "0644")
        #expect(LocalFile.permissions(of: folder.appendingPathComponent("none").path) == nil)
    }

    @Test("errors name the file and give the system's reason")
    func errorsNamePathAndReason() throws {
        let path = "/nonexistent-\(UUID().uuidString.prefix(8))/key"
        #expect(throws: LocalFileError.cannotCreate(path: path, reason: "No such file or directory")) {
            try LocalFile.write([1], to: path, permissions: .ownerReadWrite)
        }
        #expect(
            throws: LocalFileError.cannotSetPermissions(
                path: path, permissions: 0o600, reason: "No such file or directory")
        ) {
            try LocalFile.setPermissions(.ownerReadWrite, of: path)
        }
        #expect(
            "\(LocalFileError.cannotCreate(path: path, reason: "No such file or directory"))"
                == "cannot create \(path): No such file or directory")
    }

    @Test("removing a file that is not there is not an error")
    func remove() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("control.sock").path
        try LocalFile.write([], to: path, permissions: .ownerReadWrite)
        try LocalFile.removeIfPresent(at: path)
        #expect(!FileManager.default.fileExists(atPath: path))
        try LocalFile.removeIfPresent(at: path)
    }

    @Test("a held lock is refused to a second holder until released")
    func lock() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("node.lock").path
        let first = try #require(try FileLock.acquire(at: path, permissions: .ownerReadWrite))
        #expect(try FileLock.acquire(at: path, permissions: .ownerReadWrite) == nil)
        first.release()
        let second = try #require(try FileLock.acquire(at: path, permissions: .ownerReadWrite))
        second.release()
    }
}
