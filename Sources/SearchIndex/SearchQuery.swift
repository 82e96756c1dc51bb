import Clearance
import Exchange

/// One search: words and names, structured filters, the reader's scope, a page.
public struct SearchQuery: Sendable, Equatable {
    /// The most results a page gives.
    public static let maximumLimit = 100
    /// The longest text read, in Unicode scalars.
    public static let maximumTextLength = 500

    /// Words to find in the bulletins' text (folded, every word must appear) and, as a person's
    /// name, among the persons they name in any script.
    public var text: String?
    /// Only this incident type.
    public var incidentType: String?
    /// Only bulletins of this origin.
    public var origin: StateCode?
    /// Only bulletins that occurred (else were stored) at or after / before, milliseconds.
    public var since: Int64?
    public var until: Int64?
    /// Only these working groups / TLPs (nil: any).
    public var workingGroups: Set<String>?
    public var tlps: Set<TLP>?
    /// Only bulletins naming this crossing point.
    public var crossingPoint: String?
    /// Only bulletins naming this identifier: its kind (`IdentifierKind.rawValue`) and the value as
    /// a person writes it (normalised as the index's keys are).
    public var identifierKind: String?
    public var identifierValue: String?
    /// What the reader may read (ClearancePolicy.readableScope): nothing else is ever returned.
    public var scope: ReadableScope
    /// Results after this cursor (the previous page's `next`).
    public var after: SearchCursor?
    /// Results per page, 1…``maximumLimit``.
    public var limit: Int

    /// A query that returns nothing outside `scope`.
    public init(scope: ReadableScope, text: String? = nil, limit: Int = 20) {
        self.scope = scope
        self.text = text
        self.limit = max(1, min(limit, Self.maximumLimit))
    }
}

/// Where a page of results ended (newest first): opaque to callers, strictly read.
public struct SearchCursor: Sendable, Hashable {
    /// The index row of the last result given.
    public var row: Int64

    /// A cursor after `row`.
    public init(row: Int64) { self.row = row }
}

/// One result.
public struct SearchHit: Sendable, Hashable {
    /// The bulletin (its summary is read from the store).
    public var reference: BulletinReference
    /// Its incident type, origin, TLP and when it was stored.
    public var incidentType: String
    public var tlp: TLP
    public var storedAtMilliseconds: Int64
    /// Why it matched (`"text"`, `"name 0.93: محمد بن يوسف"`, `"document MA:AB123456"`).
    public var reasons: [String]

    /// A hit.
    public init(reference: BulletinReference, incidentType: String, tlp: TLP, storedAtMilliseconds: Int64, reasons: [String]) {
        self.reference = reference
        self.incidentType = incidentType
        self.tlp = tlp
        self.storedAtMilliseconds = storedAtMilliseconds
        self.reasons = reasons
    }
}

/// A page of results, newest first.
public struct SearchPage: Sendable, Hashable {
    /// The results.
    public var hits: [SearchHit]
    /// The cursor of the next page, `nil` on the last.
    public var next: SearchCursor?

    /// A page.
    public init(hits: [SearchHit], next: SearchCursor?) {
        self.hits = hits
        self.next = next
    }
}
