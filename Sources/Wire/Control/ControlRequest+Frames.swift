import BulletinSchema
import Foundation

extension ControlRequest {
    /// The most bytes the JSON frame of a request may have (a post's draft is not in it).
    public static let maximumRequestBytes = 64 * 1_024
    /// The most files a post may attach (the schema's `attachments` holds at most 16).
    public static let maximumAttachments = 16

    /// The request as it travels: `[JSON]`, `[JSON, draft]` for a post with a draft, or
    /// `[JSON, signed roster]` for `rosterInstall`.
    public func frames() throws(ControlRequestError) -> [[UInt8]] {
        let json: Data
        do {
            json = try JSONEncoder().encode(self)
        } catch {
            throw ControlRequestError(description: "cannot encode the request: \(error)")
        }
        return [Array(json)] + ((command == .rosterInstall ? signedRoster : draft).map { [$0] } ?? [])
            + (command == .post ? files : [])
    }

    /// Reads a request from its frames (without the ROUTER's routing id). The JSON frame is read
    /// strictly (UTF-8, depth, an object: ``JSONObjectInput``), then for its shape; a second
    /// frame is allowed only for `post` and is its draft, as bytes (the node validates it); a
    /// post's further frames are its attached files, one per entry of ``attachments``.
    public init(frames: [[UInt8]]) throws(ControlRequestError) {
        guard (1...2 + Self.maximumAttachments).contains(frames.count) else {
            throw ControlRequestError(
                description:
                    "a control request is 1 frame (2 for a post with its draft, or rosterInstall with the roster; a post's attached files follow its draft, at most \(Self.maximumAttachments)); got \(frames.count)"
            )
        }
        let json = frames[0]
        guard json.count <= Self.maximumRequestBytes else {
            throw ControlRequestError(
                description: "the request's JSON frame has \(json.count) bytes (at most \(Self.maximumRequestBytes))")
        }
        let members: [String: JSONValue]
        do {
            members = try JSONObjectInput.parse(json, source: "the request")
        } catch {
            throw ControlRequestError(description: error.description)
        }
        // Strict: a member this version does not read is refused, not ignored. `bulletin` is what
        // a client older than the draft frame sends.
        if members["bulletin"] != nil {
            throw ControlRequestError(
                description:
                    "'bulletin' is not read any more: a post's draft travels as the request's second frame (update the client)"
            )
        }
        if let unknown = members.keys.filter({ !Self.memberNames.contains($0) }).sorted().first {
            throw ControlRequestError(
                description:
                    "'\(unknown)' is not a member of a control request (\(Self.memberNames.joined(separator: ", ")))")
        }
        if let simple = Self.simple(members) {
            self = simple
        } else {
            self = try ControlRequestError.decoding(ControlRequest.self, from: json)
        }
        try takeFrames(frames)
    }

    /// The request when it is only a command, with a post's recipients as strings: what every
    /// post without files sends, read from the members already parsed instead of parsing the
    /// frame a second time with `JSONDecoder`. `nil` for anything else, which `JSONDecoder`
    /// then reads (and explains when it is wrong).
    private static func simple(_ members: [String: JSONValue]) -> ControlRequest? {
        guard let name = members["command"]?.stringValue, let command = Command(rawValue: name) else { return nil }
        switch members.count {
        case 1: return ControlRequest(command: command)
        case 2:
            guard let list = members["recipients"]?.arrayValue else { return nil }
            var recipients: [String] = []
            recipients.reserveCapacity(list.count)
            for element in list {
                guard let state = element.stringValue else { return nil }
                recipients.append(state)
            }
            return ControlRequest(command: command, recipients: recipients)
        default: return nil
        }
    }

    /// Takes the frames after the JSON: a post's draft and files, or the roster to install.
    private mutating func takeFrames(_ frames: [[UInt8]]) throws(ControlRequestError) {
        if frames.count > 2 {
            guard command == .post else {
                throw ControlRequestError(
                    description: "only post carries attached files after its draft; \(command.rawValue) does not")
            }
            files = Array(frames.dropFirst(2))
        }
        guard (attachments?.count ?? 0) == files.count else {
            throw ControlRequestError(
                description:
                    "'attachments' describes \(attachments?.count ?? 0) files but \(files.count) file frames follow the draft"
            )
        }
        if frames.count >= 2 {
            switch command {
            case .post: draft = frames[1]
            case .rosterInstall: signedRoster = frames[1]
            default:
                throw ControlRequestError(
                    description:
                        "only post (its draft) and rosterInstall (the roster) carry a second frame; \(command.rawValue) does not"
                )
            }
        }
    }
}

/// A control request that cannot be read: not 1–2 frames, not JSON, or a JSON object of the
/// wrong shape (a member of the wrong type, a missing one, an unknown command). The description
/// names the member or the place.
public struct ControlRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    init(description: String) {
        self.description = description
    }

    /// `bytes` decoded by `JSONDecoder` as a `T`; its failure as a ``ControlRequestError`` naming
    /// the member or place.
    static func decoding<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(ControlRequestError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw ControlRequestError(error)
        } catch {
            throw ControlRequestError(description: "\(error)")
        }
    }

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

extension ControlResponse {
    /// The answer as it travels: one frame of JSON.
    public func frame() throws(ControlRequestError) -> [UInt8] {
        if let posted = postedFrame() { return posted }
        do {
            return Array(try JSONEncoder().encode(self))
        } catch {
            throw ControlRequestError(description: "cannot encode the answer: \(error)")
        }
    }

    /// A post's answer (`ok` and `posted`, nothing else), written directly: a node answers every
    /// post, and `JSONEncoder` took as long as a tenth of the node's other work on it. The same
    /// value as `JSONEncoder` writes (member order and escapes may differ); `nil` for any other
    /// answer. A member added to ``ControlResponse`` must be added to the guard below
    /// (`ControlFrameTests` lists the members to make sure).
    func postedFrame() -> [UInt8]? {
        guard ok, let posted, error == nil, failures == nil, unreadable == nil, status == nil, bulletins == nil,
            metrics == nil,
            watchEntries == nil, roster == nil
        else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(64 + posted.id.utf8.count + posted.envelopes.count * 40)
        out.append(contentsOf: #"{"ok":true,"posted":{"id":"#.utf8)
        JSONWriter.appendString(posted.id, to: &out)
        out.append(contentsOf: #","envelopes":["#.utf8)
        for (position, envelope) in posted.envelopes.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"recipient":"#.utf8)
            JSONWriter.appendString(envelope.recipient, to: &out)
            out.append(contentsOf: #","sequence":"#.utf8)
            out.append(contentsOf: String(envelope.sequence).utf8)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}}".utf8)
        return out
    }

    /// Reads an answer from its frame.
    public init(frame: [UInt8]) throws(ControlRequestError) {
        self = try ControlRequestError.decoding(ControlResponse.self, from: frame)
    }
}
