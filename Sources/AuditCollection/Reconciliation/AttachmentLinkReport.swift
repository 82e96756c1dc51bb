import Exchange

/// The reconciliation of the attachments of one link (origin → recipient), docs/AUDIT.md §12.3:
/// per file of each bulletin the origin sent on the link, the origin's `attachmentStored` against
/// the recipient's `attachmentReceived` and the origin's `attachmentAcknowledged`.
///
/// Metadata only, as the logs hold it: bulletin references, file numbers, SHA-256s, sizes and
/// times — never a file's name, content or key. Counts are exact (saturating); the lists of files
/// keep at most ``FileList/listedAtMost`` each, so a hostile log cannot make a report grow with it.
public struct AttachmentLinkReport: Hashable, Sendable, Codable {
    /// One file: its bulletin's reference (`MA-<ULID>`) and its number (from 1).
    public struct File: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
        /// `<origin>-<ULID>`.
        public let bulletin: String
        /// The file's number in the bulletin, from 1.
        public let number: UInt16

        /// A file.
        public init(bulletin: String, number: UInt16) {
            self.bulletin = bulletin
            self.number = number
        }

        /// `MA-01JQ…#2`.
        public var description: String { "\(bulletin)#\(number)" }

        public static func < (lhs: File, rhs: File) -> Bool { (lhs.bulletin, lhs.number) < (rhs.bulletin, rhs.number) }
    }

    /// Files of one category: how many, and the first ones in file order.
    public struct FileList: Hashable, Sendable, Codable {
        /// At most this many files are listed per category (``count`` counts them all).
        public static let listedAtMost = 100

        /// Files in the category.
        public let count: UInt64
        /// The first ``listedAtMost`` of them.
        public let listed: [File]

        /// A list of `count` files, `listed` the first of them.
        public init(count: UInt64, listed: [File]) {
            self.count = count
            self.listed = listed
        }

        /// No file.
        public static let empty = FileList(count: 0, listed: [])

        /// Whether the category is empty.
        public var isEmpty: Bool { count == 0 }

        /// `MA-01J…#1, MA-01J…#2` (at most 20 shown, then the count).
        public var text: String {
            listed.prefix(20).map(\.description).joined(separator: ", ") + (count > 20 ? " … (\(count))" : "")
        }
    }

    /// One file that two statements describe differently.
    public struct Mismatch: Hashable, Sendable, Codable {
        /// The file.
        public let file: File
        /// What differs: `sha256`, `size` or `held`.
        public let field: String
        /// The value the first statement gives: the origin's `attachmentStored` (`sha256`, `size`)
        /// or the recipient's `attachmentReceived` (`held`).
        public let expected: String
        /// The other value.
        public let other: String
        /// Where the other value was seen: `received` (the recipient's `attachmentReceived`) or
        /// `receipt` (the origin's `attachmentAcknowledged`).
        public let seenIn: String

        /// A mismatch.
        public init(file: File, field: String, expected: String, other: String, seenIn: String) {
            self.file = file
            self.field = field
            self.expected = expected
            self.other = other
            self.seenIn = seenIn
        }
    }

    /// Files the link should carry: every file the origin stored of every bulletin it sent on the link.
    public let files: UInt64
    /// Of them, those the recipient logged as held.
    public let received: UInt64
    /// Of them, those the origin logged a holding receipt for.
    public let acknowledged: UInt64
    /// Of them, those both held and acknowledged, with the stored SHA-256 and size on every side.
    public let complete: UInt64
    /// Held by the recipient, no receipt in the origin's log yet.
    public let unacknowledged: FileList
    /// Not in the recipient's log yet, stored less than the grace period before its last accepted
    /// head (or its log is not collected): still being pulled. Not a finding.
    public let inTransfer: FileList
    /// Not in the recipient's log, stored more than the grace period before its last accepted head.
    public let overdue: FileList
    /// Refused by the recipient (over its limits, or not the file the bulletin describes), as its
    /// `attachmentReceived` or its receipt says.
    public let refused: FileList
    /// The same file with another SHA-256, size or outcome on two sides.
    public let mismatches: [Mismatch]
    /// Mismatches in all (``mismatches`` lists at most ``FileList/listedAtMost``).
    public let mismatchCount: UInt64
    /// Received by the recipient, or acknowledged by the origin, but not a file the origin's log
    /// records as stored for a bulletin it sent on this link (received: when the origin's head is
    /// later than the arrival).
    public let neverStored: FileList
    /// Acknowledged at the origin, but absent from the recipient's log although its head is later
    /// than the receipt.
    public let acknowledgedNeverReceived: FileList

    /// A report.
    public init(
        files: UInt64, received: UInt64, acknowledged: UInt64, complete: UInt64, unacknowledged: FileList,
        inTransfer: FileList,
        overdue: FileList, refused: FileList, mismatches: [Mismatch], mismatchCount: UInt64, neverStored: FileList,
        acknowledgedNeverReceived: FileList
    ) {
        self.files = files
        self.received = received
        self.acknowledged = acknowledged
        self.complete = complete
        self.unacknowledged = unacknowledged
        self.inTransfer = inTransfer
        self.overdue = overdue
        self.refused = refused
        self.mismatches = mismatches
        self.mismatchCount = mismatchCount
        self.neverStored = neverStored
        self.acknowledgedNeverReceived = acknowledgedNeverReceived
    }

    /// Whether a statement contradicts another: a mismatch, a file never stored, a receipt without
    /// an arrival. Tampering or a bug: the link is red.
    public var hasDiscrepancy: Bool { mismatchCount > 0 || !neverStored.isEmpty || !acknowledgedNeverReceived.isEmpty }

    /// Whether something needs watching: files overdue, refused or not acknowledged. The link is amber.
    public var needsWatching: Bool { !overdue.isEmpty || !refused.isEmpty || !unacknowledged.isEmpty }
}
