import Exchange

/// A position in the feed's order (newest first: by time stored, then by id): a page starts
/// after it. Keyset pagination, so a page does not shift when newer bulletins arrive.
public struct BulletinCursor: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    /// When the last bulletin of the previous page was stored.
    public var storedAt: Timestamp
    /// Its id.
    public var id: BulletinReference

    /// The position of the bulletin `id` stored at `storedAt`.
    public init(storedAt: Timestamp, id: BulletinReference) {
        self.storedAt = storedAt
        self.id = id
    }

    /// `<milliseconds>.<id>`, for a URL's query (letters, digits, `.` and `-` only).
    public var description: String { "\(storedAt.millisecondsSinceEpoch).\(id)" }

    /// The cursor of a text ``description`` wrote; `nil` for anything else (a URL a person edited).
    public init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].allSatisfy(\.isASCII), let milliseconds = UInt64(parts[0]),
            let id = try? BulletinReference(String(parts[1]))
        else { return nil }
        self.init(storedAt: Timestamp(millisecondsSinceEpoch: milliseconds), id: id)
    }
}
