import Sodium

/// Stored secrets that cannot be loaded as a node identity.
public enum IdentityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A secret has the wrong length (the key file is damaged or is not a key). The wrapped
    /// error names lengths only, never secret bytes.
    case invalidSecret(SodiumError)
    /// The secret's public key is not the one on the card: `key` is `signing`, `encryption` or `transport`.
    case keyDoesNotMatchCard(key: String)

    /// What went wrong and what to do about it, for an operator; never contains a secret.
    public var description: String {
        switch self {
        case .invalidSecret(let error):
            "a stored node key cannot be loaded: \(error); check the key files"
        case .keyDoesNotMatchCard(let key):
            "the stored \(key) key does not match the identity card; the key files belong to another node or were replaced"
        }
    }
}
