/// The frames of the secretariat's audit requests on a node's service ROUTER (docs/AUDIT.md §12.1):
/// a verb, then `u64` big-endian numbers, one ZeroMQ frame each.
///
/// ```
/// ["audit-head"]                         → ["audit-head", signed tree head (151 bytes)]
/// ["audit-consistency", from, to]        → ["audit-consistency", BNCP proof]
/// ["audit-entries", from, count ≤ 1000]  → ["audit-entries", from, entry bytes…]
/// ["audit-inclusion", index, size]       → ["audit-inclusion", BNIP proof]
/// any failure, or a peer that is not the roster's secretariat → ["audit-refused", reason (UTF-8)]
/// ```
public enum AuditWire {
    /// Ask for a fresh signed tree head of the log's current size.
    public static let headVerb: [UInt8] = Array("audit-head".utf8)
    /// Ask for the consistency proof between two sizes.
    public static let consistencyVerb: [UInt8] = Array("audit-consistency".utf8)
    /// Ask for a run of entries.
    public static let entriesVerb: [UInt8] = Array("audit-entries".utf8)
    /// Ask for the inclusion proof of one entry in the tree of a size.
    public static let inclusionVerb: [UInt8] = Array("audit-inclusion".utf8)
    /// The node's answer when it will not or cannot answer; the second frame says why.
    public static let refusedVerb: [UInt8] = Array("audit-refused".utf8)
    /// The most entries a node sends in one `audit-entries` answer.
    public static let maximumEntriesPerRequest: UInt64 = 1_000

    /// `value` as 8 big-endian bytes.
    public static func encode(_ value: UInt64) -> [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) }
    }

    /// The value of an 8-byte big-endian frame, or `nil` for any other length.
    public static func decode(_ frame: [UInt8]) -> UInt64? {
        guard frame.count == 8 else { return nil }
        return frame.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
