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
        let bodyKey: BodyKey
        do {
            bodyKey = try BodyKey(sealingWith: ephemeralKey, for: recipient.encryptionKey)
        } catch {
            throw EnvelopeSealError.weakRecipientKey(recipient.card.state)
        }
        return try seal(body, metadata: metadata, from: origin, to: recipient, bodyKey: bodyKey, limits: limits)
    }

    /// Seals `body` under a body key computed before (``SealingKeySchedule/nextBodyKey(for:recipient:)``):
    /// the header carries `bodyKey`'s ephemeral key and the nonce comes from the header, so the
    /// envelope is exactly what ``seal(_:metadata:from:to:ephemeralKey:limits:)`` makes with that
    /// ephemeral key. Throws ``EnvelopeSealError/bodyKeyForAnotherRecipient(_:)`` when `bodyKey`
    /// was computed for another key than the recipient's ``EnvelopeRecipient/encryptionKey``
    /// (its card's, unless the caller named the key in force at the created-at).
    public static func seal(
        _ body: [UInt8], metadata: BulletinMetadata, from origin: NodeIdentity, to recipient: EnvelopeRecipient,
        bodyKey: BodyKey, limits: EnvelopeLimits = .standard
    ) throws(EnvelopeSealError) -> Envelope {
        guard body.count <= limits.maximumBodyByteCount else {
            throw EnvelopeSealError.bodyTooLarge(size: body.count, limit: limits.maximumBodyByteCount)
        }
        let link = Link(origin: origin.state, recipient: recipient.card.state)
        guard link.origin != link.recipient else { throw EnvelopeSealError.recipientIsOrigin(link.origin) }
        guard recipient.position.sequence < UInt64.max else { throw EnvelopeSealError.sequenceExhausted(link) }
        guard bodyKey.recipientKey == recipient.encryptionKey else {
            throw EnvelopeSealError.bodyKeyForAnotherRecipient(link.recipient)
        }

        let header = EnvelopeHeader(
            origin: link.origin, recipient: link.recipient, sequence: recipient.position.sequence + 1,
            previousHash: recipient.position.sequence == 0 ? .zero : recipient.position.hash,
            metadata: metadata, ephemeralKey: bodyKey.ephemeralKey)
        let headerBytes = header.canonicalBytes
        let ciphertext: [UInt8]
        do {
            let nonce = try BodyCipher.nonce(header: headerBytes[...])
            ciphertext = try XChaCha20Poly1305.seal(body, key: bodyKey.secret, nonce: nonce, authenticating: headerBytes)
        } catch {
            // Unreachable with lengths fixed by construction (a 32-byte key, a 24-byte nonce).
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
