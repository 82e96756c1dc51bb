import Exchange
import Foundation

/// The members of a bulletin's JSON that the store keeps in columns of their own for the console's
/// queries (``BulletinIndexFields``) and that a summary shows (its title), read from a stored body:
/// by migration v3, by the console's reader, and by an insert whose caller did not pass them.
/// Read with `JSONSerialization`: the body was validated before it reached the store, so a member
/// that is missing or not of its form is simply absent here.
struct BulletinBodyFields {
    var indexFields = BulletinIndexFields(workingGroup: nil, handling: [], corrects: nil, withdraws: nil)
    var title: [String: String] = [:]

    init(body: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return }
        indexFields = BulletinIndexFields(
            workingGroup: object["workingGroup"] as? String,
            handling: (object["handling"] as? [Any])?.compactMap { $0 as? String } ?? [],
            corrects: (object["corrects"] as? String).flatMap { try? BulletinReference($0) },
            withdraws: (object["withdraws"] as? String).flatMap { try? BulletinReference($0) })
        if let title = object["title"] as? [String: Any] {
            self.title = title.compactMapValues { $0 as? String }
        }
    }
}
