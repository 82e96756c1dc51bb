/// The media types of TAXII 2.1 (§1.6.8) and the negotiation of `Accept`.
public enum TAXIIMediaType {
    /// Every TAXII response's `Content-Type`.
    public static let taxii = "application/taxii+json;version=2.1"
    /// The media type of a STIX 2.1 object, as a manifest names it.
    public static let stix = "application/stix+json;version=2.1"
    /// The longest `Accept` header read; a longer one is refused (406).
    public static let maximumAcceptLength = 1_024

    /// Whether an `Accept` header allows the TAXII 2.1 media type: `application/taxii+json` with
    /// `version=2.1` or no version (TAXII §1.6.8.1: no version means the latest), or a wildcard
    /// (`*/*`, `application/*`), with a quality above zero. A missing header is read as `*/*`.
    /// Anything else — `application/json`, `text/html`, another TAXII version — is refused.
    public static func accepts(_ header: String?) -> Bool {
        guard let header else { return true }
        guard header.utf8.count <= maximumAcceptLength else { return false }
        for range in header.split(separator: ",", omittingEmptySubsequences: true).prefix(32) {
            let parts = range.split(separator: ";").map { $0.trimmingSpaces.lowercased() }
            guard let type = parts.first else { continue }
            var version: String?
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
                guard pair.count == 2 else { continue }
                if pair[0] == "version" { version = pair[1] }
                if pair[0] == "q" { quality = Double(pair[1]) ?? 0 }
            }
            guard quality > 0 else { continue }
            switch type {
            case "*/*", "application/*": return true
            case "application/taxii+json" where version == nil || version == "2.1": return true
            default: continue
            }
        }
        return false
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
