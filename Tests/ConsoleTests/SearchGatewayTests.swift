import Clearance
import Exchange
import Foundation
import SearchIndex
import Store
import StoredSTIX
import Testing

@testable import Console

@Suite("The console's search gateway: searches bounded at once, a rebuilt index opened again")
struct SearchGatewayTests {
    static func bulletin(_ number: Int) -> StoredBulletin {
        let reference = BulletinReference(
            origin: try! StateCode("MA"), id: try! BulletinID(bytes: [UInt8](repeating: 0, count: 15) + [UInt8(number)]))
        return StoredBulletin(
            reference: reference, incidentType: "migrant-smuggling", tlp: .green,
            createdAt: Timestamp(millisecondsSinceEpoch: UInt64(number) * 1_000),
            storedAt: Timestamp(millisecondsSinceEpoch: UInt64(number) * 1_000), body: Array("{}".utf8),
            indexFields: BulletinIndexFields(workingGroup: "security", handling: [], corrects: nil, withdraws: nil))
    }

    @Test("a fourth search while three run is refused (Busy) and counted; after one ends another runs")
    func concurrencyBound() async throws {
        let gateway = SearchGateway(file: URL(fileURLWithPath: "/nonexistent/search.sqlite"))
        #expect(SearchGateway.maximumConcurrentSearches == 3)
        var entered: [AsyncStream<Void>] = []
        var releases: [AsyncStream<Void>.Continuation] = []
        var tasks: [Task<Void, any Error>] = []
        for _ in 0..<3 {
            let (enteredStream, enteredContinuation) = AsyncStream.makeStream(of: Void.self)
            let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
            entered.append(enteredStream)
            releases.append(releaseContinuation)
            tasks.append(
                Task {
                    try await gateway.bounded {
                        enteredContinuation.yield()
                        for await _ in release { break }
                    }
                })
        }
        // All three are running.
        for stream in entered { for await _ in stream { break } }
        await #expect(throws: SearchGateway.Busy.self) { try await gateway.bounded { () } }
        #expect(gateway.refusedSearches.load(ordering: .relaxed) == 1)
        releases[0].yield()
        try await tasks[0].value
        try await gateway.bounded { () }
        for release in releases.dropFirst() { release.yield() }
        for task in tasks.dropFirst() { try await task.value }
        try await gateway.bounded { () }
        #expect(gateway.refusedSearches.load(ordering: .relaxed) == 1)
    }

    @Test("the node rebuilding search.sqlite (a new file at the path) is read, not the removed file")
    func reopensARebuiltIndex() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bn-gateway-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("search.sqlite")
        do {
            let first = try SearchIndex(path: file.path)
            _ = try first.index([Self.bulletin(1)], own: { _ in false })
        }
        let gateway = SearchGateway(file: file)
        let query = SearchQuery(scope: .everything)
        guard case .value(let before) = try await gateway.search(query) else { Issue.record("no index"); return }
        #expect(before.hits.count == 1)
        // Removed and rebuilt, as the node does: a new file at the path (another inode).
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
        do {
            let second = try SearchIndex(path: file.path)
            _ = try second.index([Self.bulletin(1), Self.bulletin(2)], own: { _ in false })
        }
        guard case .value(let after) = try await gateway.search(query) else { Issue.record("no index"); return }
        #expect(after.hits.count == 2)
    }

    @Test("links for TAXII: no file is no index; a file that cannot be read is not indexed yet (held back), never no index")
    func linkAnswers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bn-gateway-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("search.sqlite")
        let gateway = SearchGateway(file: file)
        let id = Self.bulletin(1).reference.description
        #expect(try gateway.earlierLinks(of: id) == .noIndex)
        // A file that does not read as an index (as a read that fails: SQLITE_BUSY, a file half
        // replaced): unreadable, so the TAXII engine holds the bulletin back from this failure.
        try Data(repeating: 0x5A, count: 8_192).write(to: file)
        #expect(try gateway.earlierLinks(of: id) == .unreadable)
        // A real index: opened again, and read.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
        do {
            let index = try SearchIndex(path: file.path)
            _ = try index.index([Self.bulletin(1)], own: { _ in false })
        }
        #expect(try gateway.earlierLinks(of: id) == .links([]))
        #expect(try gateway.earlierLinks(of: Self.bulletin(2).reference.description) == .notIndexedYet)
    }
}
