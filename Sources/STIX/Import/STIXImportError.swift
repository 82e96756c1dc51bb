import BulletinSchema

/// Why a file is refused as a whole by ``STIXImporter``: nothing is mapped and no draft written.
/// Each description says what is wrong and what to do.
public enum STIXImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file is larger than the size bound.
    case tooLarge(bytes: Int, limit: Int)
    /// A byte sequence that is not UTF-8, at this offset.
    case invalidUTF8(offset: Int)
    /// Not JSON; `reason` says why, `offset` where (bytes from 0).
    case invalidJSON(reason: String, offset: Int)
    /// Nested deeper than `limit`.
    case tooDeep(limit: Int)
    /// The top value is not a STIX bundle (`type` "bundle" with an `objects` array).
    case notABundle(found: String)
    /// More objects than the bound.
    case tooManyObjects(count: Int, limit: Int)

    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit):
            "the file has \(bytes) bytes, more than the \(limit) read: split the bundle, or raise --max-bytes if it is trusted"
        case .invalidUTF8(let offset):
            "byte \(offset + 1) is not UTF-8: a STIX bundle is UTF-8 JSON"
        case .invalidJSON(let reason, let offset):
            "not JSON at byte \(offset + 1): \(reason)"
        case .tooDeep(let limit):
            "values nested deeper than \(limit) levels: no STIX bundle needs that many"
        case .notABundle(let found):
            "not a STIX 2.1 bundle (\(found)): give a file whose top object has \"type\": \"bundle\" and an \"objects\" array"
        case .tooManyObjects(let count, let limit):
            "the bundle has \(count) objects, more than the \(limit) read: split it, or raise --max-objects if it is trusted"
        }
    }

    init(_ error: JSONParseError) {
        switch error.reason {
        case .tooDeep(let limit): self = .tooDeep(limit: limit)
        case .invalidUTF8: self = .invalidUTF8(offset: error.offset)
        default:
            // The parser's own wording, without its "at byte N" (said once, from 1).
            let text = error.description
            let reason = text.range(of: " at byte ", options: .backwards).map { String(text[..<$0.lowerBound]) } ?? text
            self = .invalidJSON(reason: reason, offset: error.offset)
        }
    }
}
