import BulletinSchema
import STIX
import Testing

/// A chain's earlier versions the recipient may not have (``STIXLineage/Earlier``).
@Suite("STIX lineage for a recipient")
struct STIXLineageTests {
    let mapper = Repository.mapper

    /// The drug-trafficking pair, the first version TLP:RED and the correction AMBER without its
    /// second person.
    func pair() throws -> (first: JSONValue, correction: JSONValue) {
        let pair = Repository.workedExample("drug-trafficking.correction")
        let people = try #require(pair[1]["details"]?["people"]?.arrayValue)
        let details = try #require(pair[1]["details"]).setting("people", .array([people[0]]))
        return (
            pair[0].setting("tlp", .string("RED")), pair[1].setting("details", details).setting("tlp", .string("AMBER"))
        )
    }

    @Test func aVersionTheRecipientMayNotHaveGivesTheIdsButNoContent() throws {
        let (first, correction) = try pair()
        let root = try #require(first["id"]?.stringValue)
        let withheld = try #require(
            STIXLineage.resolveForRecipient(
                correction, earlier: { $0 == root ? STIXLineage.Earlier(bulletin: first, receivable: false) : nil }))
        let full = try #require(STIXLineage.resolve(correction) { $0 == root ? first : nil })
        #expect(withheld.rootID == root && withheld.created == full.created && withheld.versions.isEmpty)
        let objects = try mapper.objects(for: correction, lineage: withheld)
        let text = objects.map { String(decoding: CanonicalJSON.bytes($0.content), as: UTF8.self) }.joined()
        #expect(!text.contains("AG ALHASSANE") && !text.contains(TLPMarking.red.id))
        #expect(objects.allSatisfy { $0.content["revoked"] == nil })
        // The ids are those every recipient holds: the report is the first bulletin's.
        #expect(objects.contains { $0.id == STIXIdentifier.make(type: "report", name: "\(root)/report") })
        // With the version at hand, the person dropped is revoked.
        let revoked = try mapper.objects(for: correction, lineage: full).filter { $0.content["revoked"] == .bool(true) }
        #expect(revoked.contains { $0.content["name"]?.stringValue == "AG ALHASSANE Ibrahim" })
    }

    @Test func aWithheldVersionInTheMiddleIsPassedThrough() throws {
        let (first, correction) = try pair()
        let root = try #require(first["id"]?.stringValue)
        let middleID = STIXLineage.origin(of: root) + "-01JMIDDLE00000000000000000"
        let middle = correction.setting("id", .string(middleID)).setting("corrects", .string(root))
        let last = correction.setting("id", .string(STIXLineage.origin(of: root) + "-01JLAST0000000000000000000"))
            .setting("corrects", .string(middleID))
        let lineage = try #require(
            STIXLineage.resolveForRecipient(
                last,
                earlier: { id in
                    id == root
                        ? STIXLineage.Earlier(bulletin: first, receivable: true)
                        : id == middleID ? STIXLineage.Earlier(bulletin: middle, receivable: false) : nil
                }))
        #expect(lineage.rootID == root && lineage.versions == [first])
    }
}
