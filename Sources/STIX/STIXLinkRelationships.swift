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

    /// The id of the relationship of one correlation link: a UUIDv5 of
    /// `link/<later>/<earlier>/<kind>/<confidence>/<reason>` — directional (the later bulletin,
    /// whose arrival made the link and whose report is the source, first) and content-addressed:
    /// the link's reason and confidence are part of the name, so a link that changes (a search
    /// index rebuilt with another matcher) is another relationship, never the same id with other
    /// content. Deterministic on one node for one link's content; it makes no claim about another
    /// node, which may have received the two bulletins in the other order.
    ///
    /// Made of the link alone (no store read), so the TAXII object index can name it without
    /// resolving the earlier bulletin's chain. The reason comes last: the other parts hold no `/`.
    public static func linkRelationshipID(
        later: String, earlier: String, kind: String, confidence: Int64, reason: String
    ) -> String {
        STIXIdentifier.make(type: "relationship", name: "link/\(later)/\(earlier)/\(kind)/\(confidence)/\(reason)")
    }

    /// The `confidence` of a link of `score` (0…1): round(score × 100), clamped to 0…100; `nil`
    /// for a score that is not a number (such a link gives no relationship).
    public static func linkConfidence(score: Double) -> Int64? {
        guard score.isFinite else { return nil }
        return Int64(min(100, max(0, (score * 100).rounded())))
    }

    /// `related-to` relationships from the report of `objects` (the objects ``objects(for:lineage:)``
    /// gave the bulletin `bulletinID`, the later bulletin of each link) to each linked earlier
    /// bulletin's report, one per link, at most ``maximumLinksPerBulletin``, in the order of the
    /// earlier bulletins' ids (then kind, reason, score); preceded by the TLP marking-definition they use when it is not
    /// already among `objects`.
    ///
    /// Each relationship has the link's reason as `description` and its score as `confidence`
    /// (round(score × 100), 0…100); a link whose ends are the same report (two versions of one
    /// chain) or whose score is not a number gives nothing, and so does a revoked report (a
    /// withdrawal). It is created by BorderNet's identity (identity_class `system`): the node's
    /// software made the link, not the state that posted either bulletin. Its `created` and
    /// `modified` are the later bulletin's `reportedAt` (its report's `published`): a value of
    /// the bulletin alone, the same whatever earlier versions of its chain the recipient may
    /// read. The relationship is never versioned: its id names its content
    /// (``linkRelationshipID(later:earlier:kind:confidence:reason:)``).
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
        // The later bulletin's reportedAt: its report's `published` (always set by the mapper).
        let created = report.content["published"]?.stringValue ?? report.modified
        let present = Set(objects.map(\.id))
        var markings: [STIXObject] = []
        var relationships: [STIXObject] = []
        var ids: Set<String> = []
        // A total order (the same links in any order give the same bytes).
        let ordered = links.sorted {
            ($0.earlierBulletinID, $0.kind, $0.reason, $0.score) < ($1.earlierBulletinID, $1.kind, $1.reason, $1.score)
        }
        for link in ordered.prefix(maximumLinksPerBulletin) {
            guard link.earlierReportID != report.id, link.earlierBulletinID != bulletinID,
                let confidence = linkConfidence(score: link.score)
            else { continue }
            let id = linkRelationshipID(
                later: bulletinID, earlier: link.earlierBulletinID, kind: link.kind, confidence: confidence,
                reason: link.reason)
            guard ids.insert(id).inserted else { continue }
            let tlp = TLPMarking.moreRestrictive(ownTLP, link.earlierTLP)
            if !present.contains(tlp.id), !markings.contains(where: { $0.id == tlp.id }) { markings.append(tlp.object) }
            relationships.append(
                STIXObject(
                    id: id, modified: created,
                    content: .object([
                        "type": .string("relationship"), "spec_version": .string("2.1"), "id": .string(id),
                        "created": .string(created), "modified": .string(created),
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
