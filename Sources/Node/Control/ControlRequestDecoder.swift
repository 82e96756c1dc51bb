import BulletinSchema
import Foundation

/// Reads a ``ControlRequest`` from its JSON frame.
///
/// A post — the request a node receives thousands of times in a crisis — is read with the
/// schema module's JSON parser, which costs a fraction of `JSONDecoder` for the draft it
/// carries; any other request, or a post with members this reader does not know, goes through
/// `JSONDecoder`, so both readers accept exactly the same requests.
enum ControlRequestDecoder {
    /// The request in `bytes`; a frame that is not UTF-8, not JSON, too deep or not an object is
    /// refused with a ``JSONInputError`` that says where, a request of the wrong shape with a
    /// ``ControlRequestShapeError`` that names the member.
    static func decode(_ bytes: [UInt8]) throws -> ControlRequest {
        let members = try JSONObjectInput.parse(bytes, source: "the request")
        if let post = fastPost(members) { return post }
        do {
            return try JSONDecoder().decode(ControlRequest.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw ControlRequestShapeError(error)
        }
    }

    /// The post in `bytes` when it has only `command`, `bulletin` and `recipients` of the
    /// expected types; `nil` for anything else (the general decoder then decides).
    static func fastPost(_ bytes: [UInt8]) -> ControlRequest? {
        guard case .object(let members)? = try? JSONParser(maximumDepth: 4).parse(bytes) else { return nil }
        return fastPost(members)
    }

    /// The post whose members are `members`, under the same conditions.
    static func fastPost(_ members: [String: JSONValue]) -> ControlRequest? {
        guard members["command"] == .string(ControlRequest.Command.post.rawValue),
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

/// A control request that is a JSON object of the wrong shape: a member of the wrong type, a
/// missing one, an unknown command. The description names the member.
struct ControlRequestShapeError: Error, CustomStringConvertible {
    let description: String

    init(_ error: DecodingError) {
        func path(_ context: DecodingError.Context, _ last: CodingKey? = nil) -> String {
            let keys = context.codingPath + (last.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "the request" : "'\(text)'"
        }
        switch error {
        case .typeMismatch(let type, let context):
            description = "\(path(context)) has the wrong type (expected \(type)): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            description = "\(path(context)) is null where \(type) is needed"
        case .keyNotFound(let key, let context):
            description = "\(path(context, key)) is missing"
        case .dataCorrupted(let context):
            description = "\(path(context)): \(context.debugDescription)"
        @unknown default:
            description = "\(error)"
        }
    }
}
