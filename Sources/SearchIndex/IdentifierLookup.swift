import Foundation
import Observables

/// The key an identifier a person types is looked up under, normalised as the index's keys are
/// (``ObservableIdentifier/key``): `nil` when nothing of it remains.
enum IdentifierLookup {
    /// The longest value read.
    static let maximumLength = 100

    static func key(kind: IdentifierKind, value: String) -> String? {
        let bounded = String(String.UnicodeScalarView(value.unicodeScalars.prefix(maximumLength)))
        // Until Observables gives its normalising constructors: letters and digits upper-cased,
        // the issuing state kept before a colon.
        let kept = bounded.uppercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == ":" }
        let key = String(String.UnicodeScalarView(kept))
        return key.isEmpty ? nil : key
    }
}
