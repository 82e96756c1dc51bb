import Exchange
import Foundation

/// The members of a bulletin's JSON that the store keeps in columns of their own for the console's
/// queries (working group, handling codes, the bulletin it corrects or withdraws) and that a
/// summary shows (its title). Read with `JSONSerialization`: the body was validated before it
/// reached the store, so a member that is missing or not of its form is simply absent here.
struct BulletinBodyFields {
    var workingGroup: String?
    var handling: [String] = []
    var corrects: BulletinReference?
    var withdraws: BulletinReference?
    var title: [String: String] = [:]

    init(body: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return }
        workingGroup = object["workingGroup"] as? String
        handling = (object["handling"] as? [Any])?.compactMap { $0 as? String } ?? []
        corrects = (object["corrects"] as? String).flatMap { try? BulletinReference($0) }
        withdraws = (object["withdraws"] as? String).flatMap { try? BulletinReference($0) }
        if let title = object["title"] as? [String: Any] {
            self.title = title.compactMapValues { $0 as? String }
        }
    }
}
