/// A bulletin as its JSON names it: the state that posted it and the id it got,
/// written `<origin>-<ULID>` (e.g. `MA-01JQ3M8K2Z9V4T6R5W7X8Y9A0B`).
///
/// The reference is the bulletin JSON's `id` member and the key under which nodes store a
/// bulletin; as a value it cannot name an id without its origin, or hold a malformed text.
public struct BulletinReference: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The state that posted the bulletin.
    public let origin: StateCode
    /// The id the origin's node gave it.
    public let id: BulletinID

    /// The bulletin `id` posted by `origin`.
    public init(origin: StateCode, id: BulletinID) {
        self.origin = origin
        self.id = id
    }

    /// Reads `<origin>-<ULID>` with the checks of ``StateCode/init(_:)`` and ``BulletinID/init(ulid:)``.
    public init(_ text: String) throws(FormatError) {
        let (origin, id) = try BulletinID.parse(reference: text)
        self.init(origin: origin, id: id)
    }

    /// `<origin>-<ULID>`.
    public var description: String { id.reference(origin: origin) }

    /// By origin, then by id (the order of the text).
    public static func < (lhs: BulletinReference, rhs: BulletinReference) -> Bool {
        (lhs.origin, lhs.id) < (rhs.origin, rhs.id)
    }
}
