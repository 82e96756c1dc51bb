import Foundation

/// A moment in time as milliseconds since the Unix epoch (UTC): `created-at` of envelopes,
/// `received-at` of receipts, the validity of rosters.
///
/// On the wire a `u64` big-endian; in JSON a number of milliseconds. Milliseconds before 1970 are
/// not representable, and need not be.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let millisecondsSinceEpoch: UInt64

    /// The moment `millisecondsSinceEpoch` ms after the epoch.
    public init(millisecondsSinceEpoch: UInt64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// `date`, rounded to the nearest millisecond (dates before 1970 become the epoch).
    public init(_ date: Date) {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        millisecondsSinceEpoch = milliseconds > 0 ? UInt64(milliseconds) : 0
    }

    /// The current time of this machine's clock.
    public static var now: Timestamp { Timestamp(Date()) }

    /// The same moment as a Foundation `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000) }

    /// The moment `milliseconds` later (saturating at the largest representable time).
    public func adding(milliseconds: UInt64) -> Timestamp {
        let (sum, overflow) = millisecondsSinceEpoch.addingReportingOverflow(milliseconds)
        return Timestamp(millisecondsSinceEpoch: overflow ? .max : sum)
    }

    /// ISO 8601 in UTC with milliseconds, e.g. `2025-03-01T08:30:00.000Z`.
    public var description: String {
        // Whole seconds through Foundation, milliseconds by integer arithmetic (no rounding drift).
        let seconds = Date(timeIntervalSince1970: Double(millisecondsSinceEpoch / 1000)).formatted(.iso8601)
        let milliseconds = String(millisecondsSinceEpoch % 1000)
        let fraction = String(repeating: "0", count: 3 - milliseconds.count) + milliseconds
        return seconds.dropLast() + "." + fraction + "Z"
    }

    /// The canonical order: that of the wire bytes.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// Decodes the JSON form (docs/PROTOCOL.md §3) with the same checks as the binary form.
    public init(from decoder: any Decoder) throws {
        millisecondsSinceEpoch = try decoder.singleValueContainer().decode(UInt64.self)
    }

    /// Encodes the JSON form (docs/PROTOCOL.md §3).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(millisecondsSinceEpoch)
    }
}
