import Foundation
import SearchIndex
import Testing

@Suite struct SearchIndexOpeningTests {
    @Test func opensAnEmptyIndex() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bn-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let index = try SearchIndex(path: folder.appendingPathComponent("search.sqlite").path)
        #expect(try index.position() == nil)
    }
}
