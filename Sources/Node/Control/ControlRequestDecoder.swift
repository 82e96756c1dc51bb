import BulletinSchema
import Foundation

/// Reads a ``ControlRequest`` from its JSON frame.
///
/// A post — the request a node receives thousands of times in a crisis — is read with the
/// schema module's JSON parser, which costs a fraction of `JSONDecoder` for the draft it
/// carries; any other request, or a post with members this reader does not know, goes through
/// `JSONDecoder`, so both readers accept exactly the same requests.
enum ControlRequestDecoder {
    static func decode(_ bytes: [UInt8]) throws -> ControlRequest {
        if let post = fastPost(bytes) { return post }
        return try JSONDecoder().decode(ControlRequest.self, from: Data(bytes))
    }

    /// The post in `bytes` when it has only `command`, `bulletin` and `recipients` of the
    /// expected types; `nil` for anything else (the general decoder then decides).
    static func fastPost(_ bytes: [UInt8]) -> ControlRequest? {
        guard case .object(let members)? = try? JSONParser(maximumDepth: 4).parse(bytes),
            members["command"] == .string(ControlRequest.Command.post.rawValue),
            members.keys.allSatisfy({ ["command", "bulletin", "recipients"].contains($0) })
        else { return nil }
        var bulletin: String?
        switch members["bulletin"] {
        case .string(let text)?: bulletin = text
        case .null?, nil: bulletin = nil
        default: return nil
        }
        var recipients: [String]?
        switch members["recipients"] {
        case .array(let elements)?:
            var states: [String] = []
            for element in elements {
                guard case .string(let state) = element else { return nil }
                states.append(state)
            }
            recipients = states
        case .null?, nil: recipients = nil
        default: return nil
        }
        return ControlRequest(command: .post, bulletin: bulletin, recipients: recipients)
    }
}
