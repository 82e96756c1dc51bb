import Clearance
import Exchange
import Foundation
import Observables
import SearchIndex
import Store

/// A temporary folder with a search index, and bulletins made from small numbers.
final class IndexFixture {
    let folder: URL
    let index: SearchIndex
    var path: String { folder.appendingPathComponent("search.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("bn-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        index = try SearchIndex(path: folder.appendingPathComponent("search.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func reader() throws -> SearchReader { try SearchReader(path: path) }

    static func state(_ text: String) -> StateCode {
        // Test literals are two capital letters.
        try! StateCode(text)
    }

    /// The reference of bulletin `number` posted by `origin`.
    static func reference(_ number: Int, origin: String = "MA") -> BulletinReference {
        let high = UInt8(number >> 8), low = UInt8(number & 0xFF)
        return BulletinReference(origin: state(origin), id: try! BulletinID(bytes: [UInt8](repeating: 0, count: 14) + [high, low]))
    }

    /// A bulletin stored at `number` seconds, with its facts.
    static func bulletin(
        _ number: Int, origin: String = "MA", type: String = "migrant-smuggling", tlp: TLP = .green,
        workingGroup: String? = "security", handling: [String] = []
    ) -> StoredBulletin {
        StoredBulletin(
            reference: reference(number, origin: origin), incidentType: type, tlp: tlp,
            createdAt: Timestamp(millisecondsSinceEpoch: UInt64(number) * 1_000),
            storedAt: Timestamp(millisecondsSinceEpoch: UInt64(number) * 1_000), body: Array("{}".utf8),
            indexFields: BulletinIndexFields(workingGroup: workingGroup, handling: handling, corrects: nil, withdraws: nil))
    }

    /// Indexes `items` (a bulletin and what its body names), all received.
    @discardableResult
    func add(_ items: [(StoredBulletin, BulletinObservables)]) throws -> [IndexedBulletin] {
        let byID = Dictionary(items.map { ($0.0.reference, $0.1) }, uniquingKeysWith: { a, _ in a })
        return try index.index(items.map(\.0), own: { _ in false }) { byID[$0.reference] ?? BulletinObservables() }
    }

    /// Observables with a title (folded as the index folds it).
    static func titled(_ title: String, persons: [ObservedPerson] = [], identifiers: [ObservableIdentifier] = [], crossingPoints: [String] = [], occurredAt: Int64? = nil) -> BulletinObservables {
        BulletinObservables(
            title: SearchFolding.fold(title), identifiers: identifiers, persons: persons, crossingPoints: crossingPoints,
            occurredAtMilliseconds: occurredAt)
    }
}
