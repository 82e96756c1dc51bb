import Sodium

/// A node's own keys and card: the Ed25519 key that signs its envelopes and receipts, the X25519
/// key that opens envelope bodies addressed to its state, and the X25519 CURVE key of its
/// sockets. Three separate keys, so that each can be rotated (by a new roster) and a leak of one
/// does not give away the others.
///
/// The private halves stay in ``SecretBytes``; `description` names the public card only. Storing
/// the keys (files with mode 0600) is the node's job: it exports ``signingKey``'s seed and the
/// two X25519 scalars and reloads them with ``init(card:signingSeed:encryptionSecret:transportSecret:)``.
public struct NodeIdentity: Sendable, CustomStringConvertible {
    /// The public card that goes into the roster.
    public let card: IdentityCard
    /// Signs envelopes and receipts.
    public let signingKey: Ed25519.PrivateKey
    /// Opens envelope bodies addressed to this node's state.
    public let encryptionKey: X25519.PrivateKey
    /// The CURVE secret key of the node's ZeroMQ sockets.
    public let transportKey: X25519.PrivateKey

    /// A new identity with three fresh random keys.
    public init(state: StateCode, nodeName: String, endpoints: NodeEndpoints) throws(FormatError) {
        try self.init(
            state: state, nodeName: nodeName, endpoints: endpoints, signingKey: Ed25519.PrivateKey(),
            encryptionKey: X25519.PrivateKey(), transportKey: X25519.PrivateKey())
    }

    /// The identity made of the given keys (e.g. reloaded from key files, or fixed for vectors).
    public init(
        state: StateCode, nodeName: String, endpoints: NodeEndpoints, signingKey: Ed25519.PrivateKey,
        encryptionKey: X25519.PrivateKey, transportKey: X25519.PrivateKey
    ) throws(FormatError) {
        card = try IdentityCard(
            state: state, nodeName: nodeName, signingKey: signingKey.publicKey,
            encryptionKey: encryptionKey.publicKey, transportKey: transportKey.publicKey, endpoints: endpoints)
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
        self.transportKey = transportKey
    }

    /// Reloads stored secrets and checks that they match `card` (a key file mixed up with another
    /// node's card is refused rather than producing signatures nobody can verify).
    public init(
        card: IdentityCard, signingSeed: SecretBytes, encryptionSecret: SecretBytes, transportSecret: SecretBytes
    ) throws(IdentityError) {
        let signing: Ed25519.PrivateKey
        let encryption: X25519.PrivateKey
        let transport: X25519.PrivateKey
        do {
            signing = try Ed25519.PrivateKey(seed: signingSeed)
            encryption = try X25519.PrivateKey(rawRepresentation: encryptionSecret)
            transport = try X25519.PrivateKey(rawRepresentation: transportSecret)
        } catch {
            throw IdentityError.invalidSecret(error)
        }
        guard signing.publicKey == card.signingKey else { throw IdentityError.keyDoesNotMatchCard(key: "signing") }
        guard encryption.publicKey == card.encryptionKey else { throw IdentityError.keyDoesNotMatchCard(key: "encryption") }
        guard transport.publicKey == card.transportKey else { throw IdentityError.keyDoesNotMatchCard(key: "transport") }
        self.card = card
        signingKey = signing
        encryptionKey = encryption
        transportKey = transport
    }

    /// The state this node speaks for.
    public var state: StateCode { card.state }

    /// The public card only; never a secret.
    public var description: String { "NodeIdentity(\(card))" }
}
