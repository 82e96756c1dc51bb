import Exchange
import Observables

/// A correlation: two bulletins that name the same identifier or, by score, the same person.
public struct BulletinLink: Sendable, Hashable {
    /// What they share.
    public enum Kind: Sendable, Hashable {
        /// The same identifier (exact, after normalisation).
        case identifier(IdentifierKind)
        /// A person matched by name, birth date or year and nationality (scored).
        case person

        /// The kind as `search.sqlite` stores it (`identifier:passport`, `person`): stable, so
        /// that a STIX relationship's id can be made of it.
        public var storedName: String { IndexWriter.kindText(self) }
    }

    /// The other bulletin (the earlier one when read from the later, and the reverse).
    public var other: BulletinReference
    /// What they share.
    public var kind: Kind
    /// Why, in words a person reads (`"document MA:AB123456"`, `"name 0.93, same birth date"`).
    public var reason: String
    /// 1 for an identifier; the person score otherwise.
    public var score: Double

    /// A link.
    public init(other: BulletinReference, kind: Kind, reason: String, score: Double) {
        self.other = other
        self.kind = kind
        self.reason = reason
        self.score = score
    }
}
