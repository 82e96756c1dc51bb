/// A semantic version of the schema files (`x-schema-version`, e.g. `1.0.0`).
///
/// Compatibility rule: within one major version, a minor version only adds optional fields or
/// enumeration values, and a patch only fixes texts; so a node knowing `1.3.0` accepts bulletins
/// written for `1.0.0`…`1.3.x` and refuses `1.4.0` (unknown additions) and any `2.x` (breaking).
public struct SchemaVersion: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Incremented for changes that make earlier bulletins or nodes incompatible.
    public let major: Int
    /// Incremented for backward-compatible additions.
    public let minor: Int
    /// Incremented for corrections of labels and descriptions.
    public let patch: Int

    /// The version `major.minor.patch`.
    public init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses `MAJOR.MINOR.PATCH` (digits only, no leading zeros); `nil` otherwise.
    public init?(_ text: String) {
        // Byte by byte: this runs for every bulletin validated.
        var numbers: [Int] = []
        var current: Int?
        var leadingZero = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if leadingZero { return nil }
                let digit = Int(byte - UInt8(ascii: "0"))
                if current == nil { leadingZero = digit == 0 }
                let (shifted, overflow) = (current ?? 0).multipliedReportingOverflow(by: 10)
                guard !overflow, shifted <= Int.max - digit else { return nil }
                current = shifted + digit
            case UInt8(ascii: "."):
                guard let number = current, numbers.count < 2 else { return nil }
                numbers.append(number)
                current = nil
                leadingZero = false
            default:
                return nil
            }
        }
        guard let last = current, numbers.count == 2 else { return nil }
        numbers.append(last)
        self.init(major: numbers[0], minor: numbers[1], patch: numbers[2])
    }

    /// Whether a bulletin written for `other` can be validated by schemas of this version.
    public func accepts(_ other: SchemaVersion) -> Bool {
        other.major == major && other.minor <= minor
    }

    public static func < (lhs: SchemaVersion, rhs: SchemaVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let version = SchemaVersion(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a schema version: \(text)"))
        }
        self = version
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
