import STIX
import Store

extension StoredBulletinBodies {
    /// The links of `correlated` the recipient may read, as STIX values: each earlier bulletin is
    /// read from the store (its summary, no body), kept only when `receivable` admits it (the
    /// export's TLP and handling filter, the TAXII collection's policy) and it is not a withdrawal,
    /// and given the report id of its correction chain (``STIXLineage/rootID(of:naming:corrects:)``
    /// over the store's summaries), the id the recipient holds its objects under. A link to a
    /// bulletin the recipient may not read gives nothing, not even its id.
    public func stixLinks(_ correlated: [CorrelatedBulletin], receivable: (BulletinSummary) -> Bool) throws
        -> [STIXLink]
    {
        var out: [STIXLink] = []
        for link in correlated.prefix(STIXMapper.maximumLinksPerBulletin) {
            guard let summary = try reader.summary(id: link.earlierID), receivable(summary), summary.withdrawsID == nil,
                let tlp = TLPMarking(bulletinValue: summary.tlp.label)
            else { continue }
            let root = STIXLineage.rootID(
                of: link.earlierID, naming: summary.correctsID?.description,
                corrects: { id in
                    guard let earlier = try? reader.summary(id: id) else { return nil }
                    return .some(earlier.correctsID?.description)
                })
            out.append(
                STIXLink(
                    earlierBulletinID: link.earlierID, earlierReportID: STIXMapper.reportID(chainRoot: root),
                    earlierTLP: tlp, kind: link.kind, reason: link.reason, score: link.score))
        }
        return out
    }
}
