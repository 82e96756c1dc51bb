import Foundation
import Observables

/// How an identifier a person types is looked up in the index, normalised as the index's keys are
/// (``ObservableIdentifier/normalizedKey(kind:value:country:)``).
enum IdentifierLookup {
    /// The longest value read.
    static let maximumLength = 100

    /// The `observable` kind under which documents and plates are also filed by their number alone.
    static func numberKind(_ kind: IdentifierKind) -> String? {
        switch kind {
        case .document, .plate: "\(kind.rawValue)-number"
        default: nil
        }
    }

    /// The `observable` kind and key `value` is looked up under, or `nil` when it is not an
    /// identifier of `kind`. A document or plate written with its state or country first
    /// (`MAR:AB123456`, `EG:…`) is looked up exactly; without it, by its number alone, so that
    /// every bulletin naming that number is found whatever state it gives.
    static func lookup(kind: IdentifierKind, value: String) -> (kind: String, key: String)? {
        let bounded = String(String.UnicodeScalarView(value.unicodeScalars.prefix(maximumLength)))
        if let numberKind = numberKind(kind) {
            let parts = bounded.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 {
                let country = parts[0].trimmingCharacters(in: .whitespaces)
                guard let key = ObservableIdentifier.normalizedKey(kind: kind, value: String(parts[1]), country: country) else { return nil }
                // A country that is not 2 or 3 Latin letters is left out of the key: a number alone.
                return key.contains(":") ? (kind.rawValue, key) : (numberKind, key)
            }
            guard let key = ObservableIdentifier.normalizedKey(kind: kind, value: bounded) else { return nil }
            return (numberKind, key)
        }
        guard let key = ObservableIdentifier.normalizedKey(kind: kind, value: bounded) else { return nil }
        return (kind.rawValue, key)
    }
}
