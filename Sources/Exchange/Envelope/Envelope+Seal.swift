import Sodium

extension Envelope {
    /// Seals `body` (the bulletin JSON) from `origin` to one recipient, as the next envelope after
    /// `recipient.position` on the link. Store the returned envelope, and the position after it,
    /// before publishing it.
    ///
    /// `ephemeralKey` is fresh by default. Passing one lets tests fix it (vectors) and lets a
    /// caller reuse one per bulletin across its recipients: the body key still differs per
    /// recipient (their public key is in the KDF), and the nonce is derived from the header.
    public static func seal(
        _ body: [UInt8], metadata: BulletinMetadata, from origin: NodeIdentity, to recipient: EnvelopeRecipient,
        ephemeralKey: X25519.PrivateKey = X25519.PrivateKey(), limits: EnvelopeLimits = .standard
    ) throws(EnvelopeSealError) -> Envelope {
        guard body.count <= limits.maximumBodyByteCount else {
            throw EnvelopeSealError.bodyTooLarge(size: body.count, limit: limits.maximumBodyByteCount)
        }
        let link = Link(origin: origin.state, recipient: recipient.card.state)
        guard link.origin != link.recipient else { throw EnvelopeSealError.recipientIsOrigin(link.origin) }
        guard recipient.position.sequence < UInt64.max else { throw EnvelopeSealError.sequenceExhausted(link) }

        let header = EnvelopeHeader(
            origin: link.origin, recipient: link.recipient, sequence: recipient.position.sequence + 1,
            previousHash: recipient.position.sequence == 0 ? .zero : recipient.position.hash,
            metadata: metadata, ephemeralKey: ephemeralKey.publicKey)
        let headerBytes = header.canonicalBytes
        let ciphertext: [UInt8]
        do {
            let shared = try ephemeralKey.sharedSecret(with: recipient.card.encryptionKey)
            let key = try BodyCipher.key(
                sharedSecret: shared, ephemeralKey: ephemeralKey.publicKey, recipientKey: recipient.card.encryptionKey)
            let nonce = try BodyCipher.nonce(header: headerBytes[...])
            ciphertext = try XChaCha20Poly1305.seal(body, key: key, nonce: nonce, authenticating: headerBytes)
        } catch {
            // The only failure left with lengths fixed by construction: a low-order recipient key.
            throw EnvelopeSealError.weakRecipientKey(link.recipient)
        }
        let bytes = assemble(headerBytes: headerBytes, ciphertext: ciphertext, signingKey: origin.signingKey)
        return Envelope(assembled: bytes, header: header)
    }

    /// Seals one bulletin for several recipients with one ephemeral key (one scalar base
    /// multiplication per bulletin instead of per recipient). Each envelope still has its own
    /// body key (the recipient's key is in the KDF) and its own header-derived nonce.
    /// The envelopes come back in the order of `recipients`.
    public static func seal(
        _ body: [UInt8], metadata: BulletinMetadata, from origin: NodeIdentity, to recipients: [EnvelopeRecipient],
        ephemeralKey: X25519.PrivateKey = X25519.PrivateKey(), limits: EnvelopeLimits = .standard
    ) throws(EnvelopeSealError) -> [Envelope] {
        var envelopes: [Envelope] = []
        envelopes.reserveCapacity(recipients.count)
        for recipient in recipients {
            envelopes.append(
                try seal(body, metadata: metadata, from: origin, to: recipient, ephemeralKey: ephemeralKey, limits: limits))
        }
        return envelopes
    }
}
