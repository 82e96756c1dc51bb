/// The permission bits of a file (`0600`, `0700`, …), without the C `mode_t`.
public struct FilePermissions: Sendable, Hashable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// The bits, at most `0o7777` (set-user-id, set-group-id and sticky bits included).
    public let rawValue: UInt16

    /// Permissions from their bits; bits above `0o7777` are dropped.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue & 0o7777
    }

    public init(integerLiteral value: UInt16) {
        self.init(rawValue: value)
    }

    /// Read and write for the owner only: every file BorderNet writes.
    public static let ownerReadWrite: FilePermissions = 0o600

    /// Whether the group or others have any permission at all.
    public var grantsGroupOrOthers: Bool { rawValue & 0o077 != 0 }

    /// Only the bits present in both.
    public func intersection(_ other: FilePermissions) -> FilePermissions {
        FilePermissions(rawValue: rawValue & other.rawValue)
    }

    /// Four octal digits, as `ls` and `chmod` write them: `0600`.
    public var description: String {
        let digits = String(rawValue, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
