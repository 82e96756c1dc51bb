import Foundation
import Names

/// What a watch-list entry watches for (issue 18, item 4).
public enum WatchKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A person's name, matched across scripts and spellings (``NameMatcher``).
    case name
    /// A document number, with its issuing state when given (`MA:AB123456` or `AB123456`).
    case document
    /// A registration plate, with its country when given.
    case plate
    /// A vessel: IMO number, MMSI or name.
    case vessel
    /// A phone number or IMEI.
    case phone
    /// An incident type of the schemas (`migrant-smuggling`).
    case incidentType = "incident-type"
    /// A crossing-point code.
    case crossingPoint = "crossing-point"
}

/// Why a bulletin matched a watch-list entry, and how strongly (1 for an exact identifier).
public struct WatchMatch: Sendable, Hashable {
    /// 0…1: 1 for an exact identifier, type or crossing point; the name score for a name.
    public var score: Double
    /// In English words a person reads (`"document MA:AB123456"`, `"name 0.91 (محمد بن يوسف)"`).
    public var reason: String

    /// A match with its score and reason.
    public init(score: Double, reason: String) {
        self.score = score
        self.reason = reason
    }
}

/// Why a watch-list value is refused.
public enum WatchCriterionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The value is empty after normalisation, or too long.
    case invalidValue(kind: WatchKind, reason: String)

    public var description: String {
        switch self {
        case .invalidValue(let kind, let reason): "the \(kind.rawValue) value cannot be watched: \(reason)"
        }
    }
}

/// One thing to watch for: a kind and a value, normalised when made, with the lookup keys a
/// store finds candidate entries by and the exact test of a bulletin.
public struct WatchCriterion: Sendable, Hashable {
    /// The longest value accepted, in Unicode scalars.
    public static let maximumValueLength = 200

    /// What is watched.
    public let kind: WatchKind
    /// The value as the user gave it (trimmed).
    public let value: String

    /// A criterion, refused when the value is empty, too long or not of its kind.
    public init(kind: WatchKind, value: String) throws(WatchCriterionError) {
        // SKELETON: the Observables helper adds the per-kind normalisation and checks.
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= Self.maximumValueLength else {
            throw .invalidValue(kind: kind, reason: "give 1 to \(Self.maximumValueLength) characters")
        }
        self.kind = kind
        self.value = trimmed
    }

    /// Keys under which a store files this criterion; a bulletin is tested against the entries
    /// that share one of its ``BulletinObservables/watchKeys(incidentType:)``.
    public var lookupKeys: Set<String> {
        // SKELETON
        []
    }

    /// Whether a bulletin of `incidentType` with `observables` matches, and why.
    public func match(_ observables: BulletinObservables, incidentType: String, matcher: NameMatcher = NameMatcher()) -> WatchMatch? {
        // SKELETON
        nil
    }
}

extension BulletinObservables {
    /// The keys a bulletin is looked up under to find candidate watch-list entries (the same
    /// namespace as ``WatchCriterion/lookupKeys``).
    public func watchKeys(incidentType: String) -> Set<String> {
        // SKELETON
        []
    }
}
