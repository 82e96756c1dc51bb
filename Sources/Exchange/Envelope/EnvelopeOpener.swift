import Sodium

/// Checks envelopes addressed to one node against the roster it has installed, in the order of
/// docs/PROTOCOL.md §8: size, version, framing, recipient, origin and link, signature, sequence,
/// previous hash — and only then, through ``VerifiedEnvelope/decrypt(with:cache:)``, the body.
///
/// Opening is staged so that decryption cannot run before verification: the only way to reach
/// the decryption is a ``VerifiedEnvelope``, which only ``verify(_:after:)`` makes.
/// An opener holds no secret; make a new one when a new roster is installed.
public struct EnvelopeOpener: Sendable {
    /// This node's state: envelopes to any other state are refused.
    public let recipient: StateCode
    /// The roster envelopes are checked against.
    public let roster: Roster
    /// Size limits.
    public let limits: EnvelopeLimits
    /// Counters of what this opener verified, refused and decrypted.
    public let statistics: OpeningStatistics

    /// An opener for envelopes addressed to `recipient` under `roster`.
    public init(
        recipient: StateCode, roster: Roster, limits: EnvelopeLimits = .standard,
        statistics: OpeningStatistics = OpeningStatistics()
    ) {
        self.recipient = recipient
        self.roster = roster
        self.limits = limits
        self.statistics = statistics
    }

    /// Checks everything but the body: the envelope is well-formed, addressed to this node, from
    /// a roster member linked to it, signed with that member's key in force at the envelope's
    /// created-at (``Roster/signingKeys(of:at:)``), and is the next one on the
    /// link after `position` (this node's last accepted envelope on the link of the envelope's
    /// origin). No decryption happens here.
    public func verify(_ bytes: [UInt8], after position: ChainPosition) throws(EnvelopeError) -> VerifiedEnvelope {
        let envelope: Envelope
        do throws(EnvelopeError) {
            envelope = try Envelope(bytes: bytes, limits: limits)
        } catch {
            statistics.recordRejection(error.reason)
            throw error
        }
        return try verify(envelope, after: position)
    }

    /// ``verify(_:after:)`` for an envelope already parsed (by ``Envelope/init(bytes:limits:)``):
    /// the same checks and counters, without parsing and hashing the bytes again. An envelope
    /// larger than this opener's limit is refused as ``EnvelopeError/oversized(size:limit:)``.
    public func verify(_ envelope: Envelope, after position: ChainPosition) throws(EnvelopeError) -> VerifiedEnvelope {
        do throws(EnvelopeError) {
            guard envelope.bytes.count <= limits.maximumEnvelopeByteCount else {
                throw EnvelopeError.oversized(size: envelope.bytes.count, limit: limits.maximumEnvelopeByteCount)
            }
            let (signingKey, revokedSince) = try check(envelope, after: position)
            statistics.recordVerified()
            return VerifiedEnvelope(envelope: envelope, statistics: statistics, signingKey: signingKey, revokedSince: revokedSince)
        } catch {
            statistics.recordRejection(error.reason)
            throw error
        }
    }

    /// ``verify(_:after:)`` then ``VerifiedEnvelope/decrypt(with:cache:)``: the whole opening.
    public func open(
        _ bytes: [UInt8], after position: ChainPosition, decryptingWith key: X25519.PrivateKey
    ) throws(EnvelopeError) -> OpenedEnvelope {
        try verify(bytes, after: position).decrypt(with: key)
    }

    /// Steps 4–8 of docs/PROTOCOL.md §8. Returns the key that verified the signature and, when
    /// only a key the roster revoked from at or before the envelope's created-at verifies it, the
    /// compromise time of that revocation (`nil` when a trusted key verifies it): such an envelope
    /// keeps its place in the chain, but its body is never opened
    /// (``VerifiedEnvelope/decrypt(with:cache:)`` refuses it as `revokedKey`, 410).
    private func check(
        _ envelope: Envelope, after position: ChainPosition
    ) throws(EnvelopeError) -> (signingKey: Ed25519.PublicKey, revokedSince: Timestamp?) {
        let header = envelope.header
        let link = header.link
        guard header.recipient == recipient else {
            throw EnvelopeError.wrongRecipient(got: header.recipient, expected: recipient)
        }
        guard roster.member(header.origin) != nil else { throw EnvelopeError.unknownOrigin(state: header.origin) }
        guard roster.isLinked(from: header.origin, to: header.recipient) else { throw EnvelopeError.notLinked(link) }
        // The key in force at the envelope's created-at (docs/PROTOCOL.md §6.5): an envelope
        // signed before its origin rotated still verifies, and a retired key signs nothing dated
        // at or after its `until`. The created-at is covered by the signature it selects the key of.
        let signature = Array(envelope.signature)
        let signedBytes = Array(envelope.signedBytes)
        var revokedSince: Timestamp?
        var signingKey = roster.signingKeys(of: header.origin, at: header.metadata.createdAt).first {
            $0.isValidSignature(signature, for: signedBytes)
        }
        if signingKey == nil {
            // Signed by the origin's key revoked from before its created-at (the origin's own
            // node, which signed on before it learnt of the revocation, or whoever stole the
            // key): it reached us over the origin's current transport key, so it takes its place
            // in the chain, but nothing in it is trusted (§6.5, §8).
            guard
                let revoked = roster.revocations(of: header.origin).first(where: {
                    $0.until <= header.metadata.createdAt && $0.signingKey.isValidSignature(signature, for: signedBytes)
                })
            else {
                throw EnvelopeError.badSignature(origin: header.origin)
            }
            revokedSince = revoked.until
            signingKey = revoked.signingKey
        }
        guard let signingKey else { throw EnvelopeError.badSignature(origin: header.origin) }
        if header.sequence <= position.sequence {
            throw EnvelopeError.duplicate(link: link, sequence: header.sequence, hash: envelope.hash)
        }
        if header.sequence > position.sequence + 1 {
            throw EnvelopeError.gap(link: link, missing: (position.sequence + 1)...(header.sequence - 1))
        }
        let expected = position.sequence == 0 ? EnvelopeHash.zero : position.hash
        guard header.previousHash == expected else {
            throw EnvelopeError.chainBroken(link: link, expected: expected, got: header.previousHash)
        }
        return (signingKey, revokedSince)
    }
}
