import BulletinSchema
import STIX
import Testing

/// Correlation links as `related-to` relationships (``STIXMapper/linkRelationships(_:of:bulletinID:)``):
/// pure, over the example bulletins.
@Suite("STIX relationships of correlation links")
struct STIXLinkRelationshipTests {
    let mapper = Repository.mapper
    static let earlierID = "MA-01J7333A92ZFM27JTCY0000001"
    static let earlierReport = STIXMapper.reportID(chainRoot: earlierID)

    /// The wanted-person example (TLP:AMBER) with `tlp`, and its objects.
    func later(tlp: String = "AMBER") throws -> (id: String, objects: [STIXObject]) {
        let bulletin = try #require(Repository.examplesByName["wanted-person"]).setting("tlp", .string(tlp))
        return (try #require(bulletin["id"]?.stringValue), try mapper.objects(for: bulletin))
    }

    static func link(
        score: Double = 1, tlp: TLPMarking = .amber, reason: String = "passport DZA:196540312",
        kind: String = "identifier:passport", earlier: String = earlierID, report: String = earlierReport
    ) -> STIXLink {
        STIXLink(
            earlierBulletinID: earlier, earlierReportID: report, earlierTLP: tlp, kind: kind, reason: reason,
            score: score)
    }

    @Test func aLinkIsARelatedToRelationshipFromTheLaterReportToTheEarlier() throws {
        let (id, objects) = try later()
        let report = try #require(objects.first { $0.type == "report" })
        let out = STIXMapper.linkRelationships([Self.link()], of: objects, bulletinID: id)
        #expect(out.count == 1)
        let relationship = try #require(out.first)
        let content = relationship.content
        #expect(relationship.type == "relationship")
        #expect(content["relationship_type"] == .string("related-to"))
        #expect(content["source_ref"] == .string(report.id))
        #expect(content["target_ref"] == .string(Self.earlierReport))
        #expect(content["description"] == .string("passport DZA:196540312"))
        #expect(content["confidence"] == .integer(100))
        #expect(content["spec_version"] == .string("2.1"))
        #expect(content["created_by_ref"] == .string(BorderNetExtension.creatorID))
        #expect(content["object_marking_refs"] == .array([.string(TLPMarking.amber.id)]))
        // Never versioned: the later bulletin's reportedAt (its report's published), made once.
        let published = try #require(report.content["published"]?.stringValue)
        #expect(content["created"] == .string(published) && content["modified"] == .string(published))
        #expect(relationship.modified == published)
    }

    @Test func theIdIsDirectionalAndNamesTheLinksContent() throws {
        let (id, objects) = try later()
        let first = STIXMapper.linkRelationships([Self.link()], of: objects, bulletinID: id)
        let again = STIXMapper.linkRelationships([Self.link()], of: try later().objects, bulletinID: id)
        #expect(first == again)
        let expected = STIXMapper.linkRelationshipID(
            later: id, earlier: Self.earlierID, kind: "identifier:passport", confidence: 100,
            reason: "passport DZA:196540312")
        #expect(first.first?.id == expected)
        // Directional: the same pair the other way round (another node that received them in the
        // other order) is another relationship, so one id never has two sets of ends.
        #expect(
            STIXMapper.linkRelationshipID(later: "A", earlier: "B", kind: "person", confidence: 90, reason: "r")
                != STIXMapper.linkRelationshipID(later: "B", earlier: "A", kind: "person", confidence: 90, reason: "r"))
        #expect(
            STIXMapper.linkRelationshipID(later: "A", earlier: "B", kind: "person", confidence: 90, reason: "r")
                != STIXMapper.linkRelationshipID(
                    later: "A", earlier: "B", kind: "identifier:passport", confidence: 90, reason: "r"))
        // Content-addressed: a link whose reason or confidence changed (an index rebuilt with
        // another matcher) is a new relationship, never new content under the old id.
        let otherReason = STIXMapper.linkRelationships(
            [Self.link(reason: "passport DZA:196540312, same name")], of: objects, bulletinID: id)
        let otherScore = STIXMapper.linkRelationships([Self.link(score: 0.9)], of: objects, bulletinID: id)
        #expect(otherReason.first?.id != expected && otherScore.first?.id != expected)
        #expect(otherReason.first?.id != otherScore.first?.id)
        // The confidence, not the score, is named: scores that round alike give one id.
        #expect(
            STIXMapper.linkRelationships([Self.link(score: 0.901)], of: objects, bulletinID: id).first?.id
                == otherScore.first?.id)
        // One link given twice gives one relationship; two reasons for one pair give two.
        #expect(STIXMapper.linkRelationships([Self.link(), Self.link()], of: objects, bulletinID: id).count == 1)
        #expect(
            STIXMapper.linkRelationships(
                [Self.link(), Self.link(reason: "name 0.93")], of: objects, bulletinID: id
            ).count == 2)
        // The order the links come in does not matter.
        let links = [Self.link(reason: "b"), Self.link(reason: "a"), Self.link(earlier: "MA-01J7333A92ZFM27JTCY0000000")]
        #expect(
            STIXMapper.linkRelationships(links, of: objects, bulletinID: id)
                == STIXMapper.linkRelationships(links.reversed(), of: objects, bulletinID: id))
    }

    @Test(arguments: [
        (1.0, Int64(100)), (0.874, 87), (0.876, 88), (0.5, 50), (0.0, 0), (1.7, 100), (-0.2, 0),
    ])
    func confidenceIsTheScoreRoundedToAHundredth(score: Double, confidence: Int64) throws {
        let (id, objects) = try later()
        let out = STIXMapper.linkRelationships([Self.link(score: score)], of: objects, bulletinID: id)
        #expect(out.first?.content["confidence"] == .integer(confidence))
    }

    @Test func aScoreThatIsNotANumberGivesNothing() throws {
        let (id, objects) = try later()
        #expect(STIXMapper.linkRelationships([Self.link(score: .nan)], of: objects, bulletinID: id).isEmpty)
    }

    @Test func theMarkingIsTheMoreRestrictiveOfTheTwo() throws {
        let (id, objects) = try later(tlp: "AMBER")
        // An earlier TLP:RED bulletin: RED, with its marking-definition (not among the later's objects).
        let red = STIXMapper.linkRelationships([Self.link(tlp: .red)], of: objects, bulletinID: id)
        #expect(red.map(\.id) == [TLPMarking.red.id, red.last?.id ?? ""])
        #expect(red.last?.content["object_marking_refs"] == .array([.string(TLPMarking.red.id)]))
        // An earlier TLP:GREEN one: the later's AMBER, whose marking the bulletin's objects bring.
        let green = STIXMapper.linkRelationships([Self.link(tlp: .green)], of: objects, bulletinID: id)
        #expect(green.count == 1 && green[0].content["object_marking_refs"] == .array([.string(TLPMarking.amber.id)]))
        // AMBER+STRICT is above AMBER and below RED.
        #expect(TLPMarking.moreRestrictive(.amber, .amberStrict) == .amberStrict)
        #expect(TLPMarking.moreRestrictive(.red, .amberStrict) == .red)
        #expect(TLPMarking.moreRestrictive(.clear, .green) == .green)
    }

    @Test func twoVersionsOfOneChainOrAWithdrawalGiveNothing() throws {
        let (id, objects) = try later()
        let report = try #require(objects.first { $0.type == "report" })
        // The earlier bulletin's report is the later's own: a correction linked to what it corrects.
        #expect(STIXMapper.linkRelationships([Self.link(report: report.id)], of: objects, bulletinID: id).isEmpty)
        // A withdrawal's report is revoked.
        let withdrawal = Repository.workedExample("fuel-smuggling.withdrawal")
        let withdrawn = try mapper.objects(
            for: withdrawal[1],
            lineage: STIXLineage.resolve(withdrawal[1]) { $0 == withdrawal[0]["id"]?.stringValue ? withdrawal[0] : nil }
        )
        let withdrawalID = try #require(withdrawal[1]["id"]?.stringValue)
        #expect(STIXMapper.linkRelationships([Self.link()], of: withdrawn, bulletinID: withdrawalID).isEmpty)
    }

    @Test func theChainRootFromIdsIsTheLineagesRoot() throws {
        let pair = Repository.workedExample("drug-trafficking.correction")
        let root = try #require(pair[0]["id"]?.stringValue)
        let correction = try #require(pair[1]["id"]?.stringValue)
        let found = STIXLineage.rootID(
            of: correction, naming: root, corrects: { $0 == root ? .some(nil) : nil })
        #expect(found == root)
        #expect(found == STIXLineage.resolve(pair[1]) { $0 == root ? pair[0] : nil }?.rootID)
        // The report id it gives is the one the mapper gives the correction's objects.
        let objects = try mapper.objects(
            for: pair[1], lineage: STIXLineage.resolve(pair[1]) { $0 == root ? pair[0] : nil })
        #expect(objects.contains { $0.type == "report" && $0.id == STIXMapper.reportID(chainRoot: found) })
        // A bulletin that names none, or another state's, begins its own chain.
        #expect(STIXLineage.rootID(of: correction, naming: nil, corrects: { _ in nil }) == correction)
        #expect(
            STIXLineage.rootID(of: correction, naming: "TN-01J7333A92ZFM27JTCY0000001", corrects: { _ in nil })
                == correction)
        // A chain of three, the middle one known, the first not: the walk stops at the first.
        let middle = "DZ-01J7333A92ZFM27JTCY0000002"
        #expect(
            STIXLineage.rootID(of: correction, naming: middle, corrects: { $0 == middle ? .some(root) : nil }) == root)
    }
}
