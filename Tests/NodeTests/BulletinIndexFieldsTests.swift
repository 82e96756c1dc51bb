import BulletinSchema
import Exchange
import Foundation
import Store
import Testing

@testable import Node

/// The node passes a bulletin's indexed members (working group, handling, corrects, withdraws)
/// from the value it validated, so the store does not parse the body again. Both ways must store
/// the same columns: every example bulletin, and a correction with handling codes, is
/// stored once with the node's fields and once with none (the store reads its body), and the
/// console's reader must see the same summary from both stores.
@Suite("BulletinIndexFields from validation")
struct BulletinIndexFieldsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every example (a correction and a withdrawal among them), and the correction again with handling codes.
    static func bodies() throws -> [[UInt8]] {
        let folder = repository.appendingPathComponent("Schemas/examples")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        var bodies = try files.map { [UInt8](try Data(contentsOf: $0)) }
        let correction = try Data(contentsOf: folder.appendingPathComponent("drug-trafficking.correction.json"))
        var object = try #require(try JSONSerialization.jsonObject(with: correction) as? [String: Any])
        object["handling"] = ["law-enforcement-use-only", "no-further-dissemination"]
        object["id"] = "DZ-01J85Q09T9DKY4RAAGSKSNAR3T"
        bodies.append([UInt8](try JSONSerialization.data(withJSONObject: object)))
        return bodies
    }

    @Test("the node's fields and the store's own reading of the body give the same columns")
    func sameColumnsBothWays() throws {
        let catalog = try SchemaCatalog.load(from: Self.repository.appendingPathComponent("Schemas"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bn-index-fields-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let withFields = try BulletinStore(path: folder.appendingPathComponent("with.sqlite").path)
        let fromBody = try BulletinStore(path: folder.appendingPathComponent("from-body.sqlite").path)

        var sawHandling = false, sawCorrects = false, sawWithdraws = false, sawGroup = false
        let bodies = try Self.bodies()
        for (index, body) in bodies.enumerated() {
            let validated = try catalog.validate(body, stage: .issued)
            let reference = try BulletinReference(try #require(validated.id))
            let fields = BulletinIndexFields(validated: validated)
            sawHandling = sawHandling || !fields.handling.isEmpty
            sawCorrects = sawCorrects || fields.corrects != nil
            sawWithdraws = sawWithdraws || fields.withdraws != nil
            sawGroup = sawGroup || fields.workingGroup != nil
            for (store, indexFields) in [(withFields, Optional(fields)), (fromBody, nil)] {
                let bulletin = StoredBulletin(
                    reference: reference, incidentType: validated.incidentType, tlp: try TLP(label: validated.tlp),
                    createdAt: Timestamp(millisecondsSinceEpoch: 1_000), storedAt: Timestamp(millisecondsSinceEpoch: UInt64(index + 1) * 1_000), body: body,
                    indexFields: indexFields)
                _ = try store.recordPost(bulletin, recipients: [try StateCode("TN")]) { recipient, last in
                    OutgoingEnvelope(
                        recipient: recipient, sequence: last.sequence + 1, bulletin: reference,
                        hash: try EnvelopeHash(bytes: [UInt8](repeating: UInt8(index), count: 32)), bytes: [1], createdAt: bulletin.storedAt)
                }
            }
        }
        #expect(sawHandling && sawCorrects && sawWithdraws && sawGroup, "the bodies exercise every indexed member")

        // Working group and the chain are columns of the summary; handling codes are found through
        // their own table by the filter.
        let expected = try BulletinReader(storeFile: folder.appendingPathComponent("from-body.sqlite"))
        let actual = try BulletinReader(storeFile: folder.appendingPathComponent("with.sqlite"))
        let all = BulletinQuery(limit: 200)
        #expect(try actual.page(all).items.count == bodies.count)
        #expect(try actual.page(all).items == expected.page(all).items)
        let handled = BulletinQuery(handlingCode: "no-further-dissemination", limit: 200)
        #expect(try !actual.page(handled).items.isEmpty)
        #expect(try actual.page(handled).items == expected.page(handled).items)
    }
}
