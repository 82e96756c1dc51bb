import BulletinSchema
import Exchange
import Store

extension BulletinIndexFields {
    /// The store's indexed members of a bulletin the node has just validated, read from the value
    /// validation parsed, so that storing it does not parse the body again (docs/PERFORMANCE.md).
    /// Validation has checked each member's form; one that is absent stays absent.
    init(validated: ValidatedBulletin) {
        let body = validated.value
        self.init(
            workingGroup: body["workingGroup"]?.stringValue,
            handling: body["handling"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            corrects: body["corrects"]?.stringValue.flatMap { try? BulletinReference($0) },
            withdraws: body["withdraws"]?.stringValue.flatMap { try? BulletinReference($0) })
    }
}
