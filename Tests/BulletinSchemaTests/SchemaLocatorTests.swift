import BulletinSchema
import Foundation
import Testing

@Suite("schema directory search order")
struct SchemaLocatorTests {
    let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("bordernet-nowhere-\(UUID().uuidString)")

    @Test("an explicit directory wins, and a wrong one is an error rather than a fallback")
    func explicit() throws {
        let found = try SchemaLocator.locate(explicit: Repository.schemas.path, environment: [:], executable: nil, currentDirectory: elsewhere)
        #expect(found.standardizedFileURL.path == Repository.schemas.standardizedFileURL.path)
        #expect(throws: SchemaLoadError.self) {
            try SchemaLocator.locate(explicit: "/nonexistent", environment: [SchemaLocator.environmentVariable: Repository.schemas.path], executable: nil, currentDirectory: Repository.root)
        }
    }

    @Test("BORDERNET_SCHEMAS comes next")
    func environment() throws {
        let found = try SchemaLocator.locate(explicit: nil, environment: [SchemaLocator.environmentVariable: Repository.schemas.path], executable: nil, currentDirectory: elsewhere)
        #expect(found.path == Repository.schemas.standardizedFileURL.path)
    }

    @Test("walking up from the current directory finds Schemas/")
    func walkUp() throws {
        let deep = Repository.root.appendingPathComponent("Sources/BulletinSchema/Catalog")
        let found = try SchemaLocator.locate(explicit: nil, environment: [:], executable: nil, currentDirectory: deep)
        #expect(found.path == Repository.schemas.standardizedFileURL.path)
    }

    @Test("walking up from the executable finds Schemas/ (a .build/debug binary)")
    func fromExecutable() throws {
        let executable = Repository.root.appendingPathComponent(".build/debug/bordernet")
        let found = try SchemaLocator.locate(explicit: nil, environment: [:], executable: executable, currentDirectory: elsewhere)
        #expect(found.path == Repository.schemas.standardizedFileURL.path)
    }

    @Test("nothing found lists where it looked")
    func notFound() {
        do {
            _ = try SchemaLocator.locate(explicit: nil, environment: [:], executable: nil, currentDirectory: URL(fileURLWithPath: "/proc"))
            Issue.record("found something under /proc")
        } catch {
            guard case .notFound(let searched) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(!searched.isEmpty)
        }
    }
}
