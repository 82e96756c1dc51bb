import BulletinSchema

extension STIXMapper {
    /// The most link relationships one bulletin gives (the search index returns at most as many
    /// links of a bulletin: `SearchReader.maximumLinks`).
    public static let maximumLinksPerBulletin = 100

    /// The id of the report of a correction chain whose first bulletin is `chainRoot`
    /// (``STIXLineage/rootID(of:naming:corrects:)``): the id every version of the chain gives its
    /// report, so the one a relationship to any bulletin of the chain must point at. (A chain whose
    /// report was revoked by a withdrawal and then filled again has another id; a withdrawn
    /// bulletin names nothing and is never linked.)
    public static func reportID(chainRoot: String) -> String {
        STIXIdentifier.make(type: "report", name: "\(chainRoot)/report")
    }

    /// The id of the relationship of one correlation link: a UUIDv5 of the two bulletin ids
    /// (sorted, so either end gives it) and the link's kind. The same link exported twice, from
    /// either bulletin or by another node that made it, has the same id.
    public static func linkRelationshipID(between first: String, and second: String, kind: String) -> String {
        let pair = [first, second].sorted()
        return STIXIdentifier.make(type: "relationship", name: "link/\(pair[0])/\(pair[1])/\(kind)")
    }

    /// `related-to` relationships from the report of `objects` (the objects ``objects(for:lineage:)``
    /// gave the bulletin `bulletinID`, the later bulletin of each link) to each linked earlier
    /// bulletin's report, one per link, at most ``maximumLinksPerBulletin``, in the order of the
    /// earlier bulletins' ids; preceded by the TLP marking-definition they use when it is not
    /// already among `objects`.
    ///
    /// Each relationship has the link's reason as `description` and its score as `confidence`
    /// (round(score × 100), 0…100); a link whose ends are the same report (two versions of one
    /// chain) or whose score is not a number gives nothing, and so does a revoked report (a
    /// withdrawal). It is created by BorderNet's identity (identity_class `system`): the node's
    /// software made the link, not the state that posted either bulletin. Its `created` and
    /// `modified` are the later bulletin's report version: a link is made once, at that
    /// bulletin's arrival, and never changes, so the relationship is never versioned.
    ///
    /// Its marking is the more restrictive TLP of the two bulletins: the reason repeats what both
    /// of them say (a document number, a name's score), so it may go no further than either.
    public static func linkRelationships(_ links: [STIXLink], of objects: [STIXObject], bulletinID: String)
        -> [STIXObject]
    {
        guard
            let report = objects.first(where: {
                $0.type == "report" && $0.content["revoked"] != .bool(true)
                    && $0.content["external_references"]?.arrayValue?.first?["external_id"]?.stringValue == bulletinID
            }),
            let marking = report.content["object_marking_refs"]?.arrayValue?.first?.stringValue,
            let ownTLP = TLPMarking.allCases.first(where: { $0.id == marking })
        else { return [] }
        let present = Set(objects.map(\.id))
        var markings: [STIXObject] = []
        var relationships: [STIXObject] = []
        var ids: Set<String> = []
        let ordered = links.sorted { ($0.earlierBulletinID, $0.kind) < ($1.earlierBulletinID, $1.kind) }
        for link in ordered.prefix(maximumLinksPerBulletin) {
            guard link.earlierReportID != report.id, link.earlierBulletinID != bulletinID, link.score.isFinite else {
                continue
            }
            let id = linkRelationshipID(between: bulletinID, and: link.earlierBulletinID, kind: link.kind)
            guard ids.insert(id).inserted else { continue }
            let tlp = TLPMarking.moreRestrictive(ownTLP, link.earlierTLP)
            if !present.contains(tlp.id), !markings.contains(where: { $0.id == tlp.id }) { markings.append(tlp.object) }
            let confidence = Int64(min(100, max(0, (link.score * 100).rounded())))
            relationships.append(
                STIXObject(
                    id: id, modified: report.modified,
                    content: .object([
                        "type": .string("relationship"), "spec_version": .string("2.1"), "id": .string(id),
                        "created": .string(report.modified), "modified": .string(report.modified),
                        "created_by_ref": .string(BorderNetExtension.creatorID),
                        "object_marking_refs": .array([.string(tlp.id)]),
                        "relationship_type": .string("related-to"), "source_ref": .string(report.id),
                        "target_ref": .string(link.earlierReportID), "description": .string(link.reason),
                        "confidence": .integer(confidence),
                    ])))
        }
        return markings + relationships
    }
}
