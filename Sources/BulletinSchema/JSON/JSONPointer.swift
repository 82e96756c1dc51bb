import Foundation

/// An RFC 6901 JSON pointer such as `/details/weapons/0/serialNumbers`, naming one value in a
/// document. The empty pointer names the whole document.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The reference tokens, unescaped.
    public private(set) var tokens: [String]

    /// The pointer to the whole document.
    public static let root = JSONPointer(tokens: [])

    /// A pointer made of `tokens` (unescaped member names and array indices).
    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses the textual form (`/a/b~1c` → `["a", "b/c"]`); `nil` when it does not start with `/`.
    public init?(_ text: String) {
        if text.isEmpty {
            self.tokens = []
            return
        }
        guard text.hasPrefix("/") else { return nil }
        self.tokens = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    /// This pointer extended by a member name.
    public func appending(_ member: String) -> JSONPointer {
        JSONPointer(tokens: tokens + [member])
    }

    /// This pointer extended by an array index.
    public func appending(_ index: Int) -> JSONPointer {
        JSONPointer(tokens: tokens + [String(index)])
    }

    /// The textual form, with `~` and `/` escaped as `~0` and `~1`.
    public var description: String {
        tokens.map {
            "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }.joined()
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let pointer = JSONPointer(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a JSON pointer: \(text)"))
        }
        self = pointer
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
