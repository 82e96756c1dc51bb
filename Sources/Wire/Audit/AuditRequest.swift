/// The secretariat's requests on a node's service socket (docs/AUDIT.md §12.1): a verb, then
/// `u64` big-endian numbers, one frame each.
///
/// ```
/// ["audit-head"]                         → ["audit-head", signed tree head (151 bytes)]
/// ["audit-consistency", from, to]        → ["audit-consistency", BNCP proof]
/// ["audit-entries", from, count ≤ 1000]  → ["audit-entries", from, entry bytes…]
/// ["audit-inclusion", index, size]       → ["audit-inclusion", BNIP proof]
/// any failure, or a peer that is not the roster's secretariat → ["audit-refused", reason (UTF-8)]
/// ```
public enum AuditRequest: Sendable, Equatable {
    /// A fresh signed tree head of the log's current size.
    case head
    /// The consistency proof between the trees of two sizes.
    case consistency(from: UInt64, to: UInt64)
    /// A run of at most `count` entries (a node sends ≤ ``maximumEntriesPerRequest``) from `from`.
    case entries(from: UInt64, count: UInt64)
    /// The inclusion proof of entry `index` in the tree of `treeSize` entries.
    case inclusion(index: UInt64, treeSize: UInt64)

    /// The most entries a node sends in one `audit-entries` answer.
    public static let maximumEntriesPerRequest: UInt64 = 1_000
    /// What every audit verb starts with.
    public static let verbPrefix: [UInt8] = Array("audit-".utf8)
    static let headVerb: [UInt8] = Array("audit-head".utf8)
    static let consistencyVerb: [UInt8] = Array("audit-consistency".utf8)
    static let entriesVerb: [UInt8] = Array("audit-entries".utf8)
    static let inclusionVerb: [UInt8] = Array("audit-inclusion".utf8)

    /// The verb frame, which the answer repeats.
    public var verb: [UInt8] {
        switch self {
        case .head: Self.headVerb
        case .consistency: Self.consistencyVerb
        case .entries: Self.entriesVerb
        case .inclusion: Self.inclusionVerb
        }
    }

    /// The verb as text, for logs.
    public var name: String { String(decoding: verb, as: UTF8.self) }

    /// The request's frames.
    public var frames: [[UInt8]] {
        switch self {
        case .head: [verb]
        case .consistency(let a, let b), .entries(let a, let b), .inclusion(let a, let b):
            [verb, WireNumber.encode(a), WireNumber.encode(b)]
        }
    }

    /// Reads a request; anything but the four shapes above throws
    /// ``WireError/malformedAuditRequest(verb:)``.
    public init(frames: [[UInt8]]) throws(WireError) {
        let verb = frames.first ?? []
        let numbers = frames.dropFirst().compactMap { WireNumber.decode($0) }
        let malformed = WireError.malformedAuditRequest(verb: String(decoding: verb.prefix(32), as: UTF8.self))
        guard numbers.count == frames.count - 1 else { throw malformed }
        switch (verb, numbers.count) {
        case (Self.headVerb, 0): self = .head
        case (Self.consistencyVerb, 2): self = .consistency(from: numbers[0], to: numbers[1])
        case (Self.entriesVerb, 2): self = .entries(from: numbers[0], count: numbers[1])
        case (Self.inclusionVerb, 2): self = .inclusion(index: numbers[0], treeSize: numbers[1])
        default: throw malformed
        }
    }
}
