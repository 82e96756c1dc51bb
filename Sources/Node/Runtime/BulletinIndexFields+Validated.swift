import BulletinSchema
import Exchange
import Store

extension BulletinIndexFields {
    /// The store's indexed members of a bulletin the node has just validated, read from the value
    /// validation parsed, so that storing it does not parse the body again (docs/PERFORMANCE.md).
    /// Validation has checked each member's form; one that is absent stays absent.
    init(validated: ValidatedBulletin) {
        self.init(
            workingGroup: validated.string("workingGroup"),
            handling: validated.strings("handling"),
            corrects: validated.string("corrects").flatMap { try? BulletinReference($0) },
            withdraws: validated.string("withdraws").flatMap { try? BulletinReference($0) })
    }
}
