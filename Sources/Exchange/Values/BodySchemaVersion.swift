/// The bulletin schema version a body was written against, as carried in the envelope header:
/// `major.minor` of the schemas' `MAJOR.MINOR.PATCH` (docs/SCHEMAS.md §6). The patch is left out
/// because patches only fix labels and texts; major and minor are what a recipient needs to refuse
/// a bulletin it cannot validate, without decrypting it.
///
/// On the wire two bytes (major, minor); in JSON the string `"1.0"`. Named apart from
/// `BulletinSchema.SchemaVersion` (the full three-part version) so that a target can import both.
public struct BodySchemaVersion: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Incompatible changes.
    public let major: UInt8
    /// Compatible additions.
    public let minor: UInt8

    /// Version `major.minor`.
    public init(major: UInt8, minor: UInt8) {
        self.major = major
        self.minor = minor
    }

    /// The version written as `major.minor`, each part 0…255 in decimal without leading zeros.
    public init(_ text: String) throws(FormatError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = BodySchemaVersion.part(parts[0]), let minor = BodySchemaVersion.part(parts[1]) else {
            throw FormatError.invalidField(field: "schema version", reason: "“\(text)” is not major.minor (0…255 each)")
        }
        self.init(major: major, minor: minor)
    }

    /// Whether a node whose schemas are of this version reads a bulletin of `bulletin`'s: the
    /// same major version and a minor version no higher (docs/SCHEMAS.md §6; a 1.1 node reads
    /// 1.0 and 1.1, a 1.0 node refuses 1.1 and any 2.x).
    public func reads(_ bulletin: BodySchemaVersion) -> Bool {
        bulletin.major == major && bulletin.minor <= minor
    }

    /// `major.minor`.
    public var description: String { "\(major).\(minor)" }

    /// The canonical order: that of the wire bytes.
    public static func < (lhs: BodySchemaVersion, rhs: BodySchemaVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    /// Decodes the JSON form (docs/PROTOCOL.md §3) with the same checks as the binary form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the JSON form (docs/PROTOCOL.md §3).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func part(_ text: Substring) -> UInt8? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }),
            text == "0" || !text.hasPrefix("0")
        else { return nil }
        return UInt8(text)
    }
}
