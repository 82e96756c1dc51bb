import Foundation
import Sodium
import Testing

@testable import Exchange

/// Builds every vector file from the fixtures. Deterministic: the same code gives the same bytes,
/// so the check test can compare regenerated files with the committed ones.
enum VectorGenerator {
    struct GenerationError: Error, CustomStringConvertible {
        let description: String
    }

    static func hexOf(_ bytes: some Sequence<UInt8>) -> String { Hex.encode(Array(bytes)) }

    // MARK: Identities

    static func identities() -> IdentityVectorFile {
        let nodes = Fixtures.nodeSpecs.map { spec -> IdentityVector in
            let identity = Fixtures.identity(spec)
            let card = identity.card
            let role = spec.role.map { "roster \($0)" } ?? "not in the roster"
            return IdentityVector(
                desc: "\(spec.label): \(card.nodeName) (\(role))",
                label: spec.label, state: spec.state, nodeName: card.nodeName,
                publishEndpoint: card.endpoints.publish, serviceEndpoint: card.endpoints.service,
                signingSeed: hexOf(identity.signingKey.seed.exportedBytes()),
                encryptionSecret: hexOf(identity.encryptionKey.rawRepresentation.exportedBytes()),
                transportSecret: hexOf(identity.transportKey.rawRepresentation.exportedBytes()),
                signingKey: hexOf(card.signingKey.rawRepresentation),
                encryptionKey: hexOf(card.encryptionKey.rawRepresentation),
                transportKey: hexOf(card.transportKey.rawRepresentation),
                cardHex: hexOf(card.canonicalBytes), cardJSON: card)
        }
        return IdentityVectorFile(
            desc: "Identity cards of the vector nodes: secrets, public keys, canonical bytes (docs/PROTOCOL.md §5) and JSON",
            derivation: "each secret is SHA-256(\"BorderNet test vector: \" ‖ label ‖ \" signing\" | \" encryption\" | \" transport\"); "
                + "the signing secret is an Ed25519 seed (RFC 8032), the others X25519 scalars (RFC 7748)",
            nodes: nodes)
    }

    // MARK: Roster

    static func roster() -> RosterVectorFile {
        let roster = Fixtures.standardRoster
        let signed = roster.signed(by: Fixtures.secretariatKey)
        return RosterVectorFile(
            desc: "The roster of all vectors, signed with the secretariat's roster key (docs/PROTOCOL.md §6); "
                + "links are the Rabat Declaration neighbour defaults between MA, DZ, TN, MR plus the explicit MA→ES",
            secretariatSeed: hexOf(Fixtures.secretariatKey.seed.exportedBytes()),
            secretariatKey: hexOf(Fixtures.secretariatKey.publicKey.rawRepresentation),
            version: roster.version, issuedAt: roster.issuedAt.millisecondsSinceEpoch,
            expiresAt: roster.expiresAt.millisecondsSinceEpoch, now: Fixtures.now.millisecondsSinceEpoch,
            members: Fixtures.nodeSpecs.compactMap { spec in
                spec.role.map { RosterMemberRef(state: spec.state, role: $0, nodeLabel: spec.label) }
            }.sorted { $0.state < $1.state },
            links: roster.links,
            rosterHex: hexOf(roster.canonicalBytes), signatureHex: hexOf(signed.signature),
            signedRosterHex: hexOf(signed.serializedBytes), rosterJSON: roster)
    }

    // MARK: Envelopes

    struct HappyEnvelope {
        let vector: EnvelopeVector
        let envelope: Envelope
    }

    static let happyInputs: [(number: Int, summary: String, tlp: TLP, minutes: UInt64)] = [
        (1, "4.2 t of cannabis resin in a lorry at Oujda", .amber, 0),
        (2, "forged Schengen visas, series FR-2291", .green, 7),
        (3, "convoy of three pickups heading east, 20 km south of Figuig", .red, 31),
    ]

    /// MA→DZ envelopes 1…3, then MA→MR envelope 1 carrying bulletin 3 with the same ephemeral key
    /// as MA→DZ 3 (one ephemeral key per bulletin across its recipients).
    static func happyPath() throws -> [HappyEnvelope] {
        var result: [HappyEnvelope] = []
        var position = ChainPosition.start
        let base = Timestamp(millisecondsSinceEpoch: 1_740_830_400_000)  // 2025-03-01T12:00:00Z
        for input in happyInputs {
            let createdAt = base.adding(milliseconds: input.minutes * 60_000)
            let metadata = BulletinMetadata(
                bulletinID: Fixtures.bulletinID("MA \(input.number)", at: createdAt), createdAt: createdAt,
                tlp: input.tlp, schemaVersion: BodySchemaVersion(major: 1, minor: 0))
            let ephemeral = Fixtures.agreementKey("MA bulletin \(input.number) ephemeral")
            let item = try happyEnvelope(
                number: input.number, summary: input.summary, metadata: metadata, to: Fixtures.dz,
                position: position, ephemeral: ephemeral,
                desc: "MA→DZ envelope \(input.number): \(input.tlp), sequence \(input.number)")
            result.append(item)
            position = ChainPosition(after: item.envelope)
        }
        if let third = result.last {
            let input = happyInputs[2]
            let item = try happyEnvelope(
                number: input.number, summary: input.summary, metadata: third.envelope.header.metadata, to: Fixtures.mr,
                position: .start, ephemeral: Fixtures.agreementKey("MA bulletin 3 ephemeral"),
                desc: "MA→MR envelope 1: bulletin 3 again, same ephemeral key as MA→DZ 3 (another body key and nonce)")
            result.append(item)
        }
        return result
    }

    static func happyEnvelope(
        number: Int, summary: String, metadata: BulletinMetadata, to recipient: NodeIdentity, position: ChainPosition,
        ephemeral: X25519.PrivateKey, desc: String
    ) throws -> HappyEnvelope {
        let body = Fixtures.body(number, summary: summary)
        let envelope = try Envelope.seal(
            body, metadata: metadata, from: Fixtures.ma, to: EnvelopeRecipient(card: recipient.card, position: position),
            ephemeralKey: ephemeral)
        let shared = try ephemeral.sharedSecret(with: recipient.card.encryptionKey)
        let key = try BodyCipher.key(
            sharedSecret: shared, ephemeralKey: ephemeral.publicKey, recipientKey: recipient.card.encryptionKey)
        let nonce = try BodyCipher.nonce(header: envelope.headerBytes)
        let header = envelope.header
        let vector = EnvelopeVector(
            desc: desc, origin: header.origin.description, recipient: header.recipient.description,
            sequence: header.sequence, previousHash: header.previousHash.description,
            createdAt: metadata.createdAt.millisecondsSinceEpoch, bulletinId: metadata.bulletinID.ulid,
            bulletinUUID: metadata.bulletinID.uuidString,
            bulletinReference: metadata.bulletinID.reference(origin: header.origin),
            tlp: metadata.tlp, tlpCode: metadata.tlp.rawValue, schemaVersion: metadata.schemaVersion.description,
            bodyText: String(decoding: body, as: UTF8.self),
            ephemeralSecret: hexOf(ephemeral.rawRepresentation.exportedBytes()),
            ephemeralKey: hexOf(ephemeral.publicKey.rawRepresentation),
            sharedSecret: hexOf(shared.exportedBytes()), bodyKey: hexOf(key.exportedBytes()), nonce: hexOf(nonce),
            headerHex: hexOf(envelope.headerBytes), ciphertextHex: hexOf(envelope.ciphertext),
            signatureHex: hexOf(envelope.signature), envelopeHex: hexOf(envelope.bytes),
            envelopeHash: envelope.hash.description, envelopeByteCount: envelope.bytes.count)
        return HappyEnvelope(vector: vector, envelope: envelope)
    }

    static func envelopes() throws -> EnvelopeVectorFile {
        EnvelopeVectorFile(
            desc: "Envelopes sealed by MA (docs/PROTOCOL.md §7): a chain of three on the link MA→DZ and one on MA→MR; "
                + "open each in order from the start of its link with the recipient's encryption key",
            envelopes: try happyPath().map(\.vector))
    }

    // MARK: Rejections

    /// A probe: file name (without `.json`) and contents.
    typealias Probe = (name: String, vector: RejectionVector)

    static func rejections() throws -> [Probe] {
        let happy = try happyPath()
        let e1 = happy[0].envelope
        let e2 = happy[1].envelope
        let e3 = happy[2].envelope
        let toMR = happy[3].envelope
        let after1 = ChainPosition(after: e1)
        let after2 = ChainPosition(after: e2)
        let dz = "DZ"
        let metadata2 = e2.header.metadata

        func probe(
            _ name: String, _ desc: String, _ bytes: [UInt8], position: ChainPosition, _ reason: RejectionReason,
            append: Int = 0, missing: [UInt64]? = nil, sequence: UInt64? = nil, expected: EnvelopeHash? = nil,
            got: EnvelopeHash? = nil
        ) -> Probe {
            (
                name,
                RejectionVector(
                    desc: desc, recipient: dz, position: position, envelopeHex: hexOf(bytes), appendZeroBytes: append,
                    wantErr: WantedError(
                        code: reason.rawValue, name: reason.name, missing: missing, sequence: sequence,
                        expected: expected?.description, got: got?.description))
            )
        }
        func flipped(_ bytes: [UInt8], at offset: Int, mask: UInt8 = 0x01) -> [UInt8] {
            var copy = bytes
            copy[offset] ^= mask
            return copy
        }
        /// A validly signed envelope from `origin` whose header bytes and ciphertext are chosen freely.
        func forged(header: [UInt8], ciphertext: [UInt8], signer: NodeIdentity) -> [UInt8] {
            Envelope.assemble(headerBytes: header, ciphertext: ciphertext, signingKey: signer.signingKey)
        }
        func sealed(from origin: NodeIdentity, to recipient: NodeIdentity, position: ChainPosition, label: String) throws -> Envelope {
            try Envelope.seal(
                Fixtures.body(2, summary: "probe \(label)"), metadata: metadata2, from: origin,
                to: EnvelopeRecipient(card: recipient.card, position: position),
                ephemeralKey: Fixtures.agreementKey("probe \(label) ephemeral"))
        }

        let ciphertextOffset = EnvelopeHeader.byteCount + Envelope.lengthFieldByteCount
        let fakePrevious = EnvelopeHash(checked: SHA256.hash(Array("not envelope 1".utf8)))
        let brokenChain = try sealed(
            from: Fixtures.ma, to: Fixtures.dz, position: ChainPosition(sequence: 1, hash: fakePrevious), label: "broken chain")
        let firstWithHash = try sealed(
            from: Fixtures.ma, to: Fixtures.dz, position: ChainPosition(sequence: 0, hash: .zero), label: "first")
        // Sequence 1 whose header claims a non-zero previous hash, validly signed.
        var firstHeader = Array(firstWithHash.headerBytes)
        firstHeader.replaceSubrange(13..<45, with: fakePrevious.bytes)
        let firstNonZero = forged(header: firstHeader, ciphertext: Array(firstWithHash.ciphertext), signer: Fixtures.ma)

        var tlpHeader = Array(e2.headerBytes)
        tlpHeader[69] = 9
        var zeroSeqHeader = Array(e1.headerBytes)
        zeroSeqHeader.replaceSubrange(5..<13, with: [UInt8](repeating: 0, count: 8))
        let garbage = Array(SHA256.hash(Array("garbage ciphertext".utf8)) + SHA256.hash(Array("more garbage".utf8)))

        let sealedToWrongKey: [UInt8] = try {
            // MA seals to DZ's transport key by mistake (e.g. a stale roster): signed, addressed
            // correctly, but DZ's encryption key cannot open it.
            guard let wrongCard = try? IdentityCard(
                state: Fixtures.dz.state, nodeName: Fixtures.dz.card.nodeName, signingKey: Fixtures.dz.card.signingKey,
                encryptionKey: Fixtures.dz.card.transportKey, transportKey: Fixtures.dz.card.encryptionKey,
                endpoints: Fixtures.dz.card.endpoints)
            else { throw GenerationError(description: "wrong card") }
            return try Envelope.seal(
                Fixtures.body(2, summary: "sealed to the wrong key"), metadata: metadata2, from: Fixtures.ma,
                to: EnvelopeRecipient(card: wrongCard, position: after1),
                ephemeralKey: Fixtures.agreementKey("probe wrong key ephemeral")
            ).bytes
        }()

        return [
            probe("oversized", "envelope 1 followed by zero bytes up to 98305 bytes (1 over the 96 KiB limit); refused before parsing",
                  e1.bytes, position: .start, .oversized, append: 96 * 1024 + 1 - e1.bytes.count),
            probe("empty", "zero bytes", [], position: .start, .truncated),
            probe("truncated@150", "envelope 2 cut to its first 150 bytes (shorter than any envelope)",
                  Array(e2.bytes.prefix(150)), position: after1, .truncated),
            probe("truncated-last-byte", "envelope 2 without its last byte (signature cut short)",
                  Array(e2.bytes.dropLast()), position: after1, .truncated),
            probe("trailing-byte", "envelope 2 with one extra byte after the signature",
                  e2.bytes + [0], position: after1, .malformed),
            probe("unknown-version-2", "envelope 2 with version byte 2 (checked before the signature)",
                  flipped(e2.bytes, at: 0, mask: 0x03), position: after1, .unsupportedVersion),
            probe("unknown-tlp-9", "validly signed by MA, TLP code 9 (malformed even though the signature holds)",
                  forged(header: tlpHeader, ciphertext: Array(e2.ciphertext), signer: Fixtures.ma), position: after1, .malformed),
            probe("sequence-zero", "validly signed by MA, link sequence 0",
                  forged(header: zeroSeqHeader, ciphertext: Array(e1.ciphertext), signer: Fixtures.ma), position: .start, .malformed),
            probe("wrong-recipient", "MA→MR envelope 1 delivered to DZ",
                  toMR.bytes, position: .start, .wrongRecipient),
            probe("unknown-origin", "LY→DZ envelope sealed by a LY node that is not in the roster",
                  try sealed(from: Fixtures.ly, to: Fixtures.dz, position: .start, label: "unknown origin").bytes,
                  position: .start, .unknownOrigin),
            probe("not-linked", "ES→DZ envelope from the partner ES, which has no link to DZ",
                  try sealed(from: Fixtures.es, to: Fixtures.dz, position: .start, label: "not linked").bytes,
                  position: .start, .notLinked),
            probe("tampered-header-byte@53", "envelope 2 with the low bit of byte 53 (first bulletin-id byte) flipped",
                  flipped(e2.bytes, at: 53), position: after1, .badSignature),
            probe("tampered-sequence-byte@12", "envelope 2 claiming sequence 3 (byte 12 changed), i.e. a forged position",
                  flipped(e2.bytes, at: 12, mask: 0x01), position: after1, .badSignature),
            probe("tampered-ciphertext-byte@\(ciphertextOffset + 10)", "envelope 2 with one ciphertext bit flipped",
                  flipped(e2.bytes, at: ciphertextOffset + 10, mask: 0x80), position: after1, .badSignature),
            probe("tampered-signature-byte", "envelope 2 with one bit of its signature flipped",
                  flipped(e2.bytes, at: e2.bytes.count - 10, mask: 0x10), position: after1, .badSignature),
            probe("bad-signature-impostor", "MA→DZ envelope 2 signed by an impostor's key instead of MA's roster key",
                  try sealed(from: Fixtures.impostor, to: Fixtures.dz, position: after1, label: "impostor").bytes,
                  position: after1, .badSignature),
            probe("replayed-seq-1", "envelope 1 again after envelope 2 was accepted",
                  e1.bytes, position: after2, .duplicate, sequence: 1),
            probe("replayed-seq-2-same-position", "envelope 2 again right after it was accepted",
                  e2.bytes, position: after2, .duplicate, sequence: 2),
            probe("gap-missing-2", "envelope 3 when only envelope 1 was accepted: 2 is missing",
                  e3.bytes, position: after1, .gap, missing: [2, 2]),
            probe("gap-missing-1-2", "envelope 3 on a fresh link: 1…2 are missing",
                  e3.bytes, position: .start, .gap, missing: [1, 2]),
            probe("broken-previous-hash", "validly signed MA→DZ sequence 2 whose previous hash is not envelope 1's",
                  brokenChain.bytes, position: after1, .chainBroken, expected: e1.hash, got: fakePrevious),
            probe("first-with-nonzero-previous-hash", "validly signed MA→DZ sequence 1 with a non-zero previous hash",
                  firstNonZero, position: .start, .chainBroken, expected: .zero, got: fakePrevious),
            probe("undecryptable-body", "validly signed MA→DZ sequence 2 whose ciphertext is random bytes: passes verification, fails decryption",
                  forged(header: Array(e2.headerBytes), ciphertext: garbage, signer: Fixtures.ma), position: after1, .decryptionFailed),
            probe("sealed-to-wrong-key", "validly signed MA→DZ sequence 2 encrypted to a key that is not DZ's encryption key",
                  sealedToWrongKey, position: after1, .decryptionFailed),
        ]
    }

    // MARK: Receipts

    static func receipts() throws -> ReceiptVectorFile {
        let happy = try happyPath()
        let e3 = happy[2].envelope
        let e2 = happy[1].envelope
        let receivedAt = e3.header.metadata.createdAt.adding(milliseconds: 850)
        let accepted = Receipt(for: e3, receivedAt: receivedAt, status: .accepted)
        var tamperedE2 = e2.bytes
        tamperedE2[53] ^= 1
        let rejected = Receipt(
            link: e2.header.link, sequence: 2, envelopeHash: EnvelopeHash.of(tamperedE2),
            receivedAt: e2.header.metadata.createdAt.adding(milliseconds: 420), status: .rejected(.badSignature))
        let signedAccepted = try accepted.signed(by: Fixtures.dz)
        let signedRejected = try rejected.signed(by: Fixtures.dz)

        func vector(_ receipt: Receipt, _ signed: SignedReceipt, _ desc: String) -> ReceiptVector {
            let (status, reason): (String, UInt16) =
                switch receipt.status {
                case .accepted: ("accepted", 0)
                case .rejected(let reason): ("rejected", reason.rawValue)
                }
            return ReceiptVector(
                desc: desc, origin: receipt.link.origin.description, recipient: receipt.link.recipient.description,
                sequence: receipt.sequence, envelopeHash: receipt.envelopeHash.description,
                receivedAt: receipt.receivedAt.millisecondsSinceEpoch, status: status, reason: reason,
                receiptHex: hexOf(signed.receiptBytes), signatureHex: hexOf(signed.signature),
                signedReceiptHex: hexOf(signed.serializedBytes))
        }
        var tamperedReceipt = signedAccepted.serializedBytes
        tamperedReceipt[20] ^= 0x01
        let forgedByMA = SignedReceipt(
            receipt: accepted, receiptBytes: signedAccepted.receiptBytes,
            signature: Fixtures.ma.signingKey.signature(for: signedAccepted.receiptBytes))
        var badStatus = signedAccepted.receiptBytes
        badStatus[57] = 1  // rejected with reason 0
        let ghost = try Receipt(
            link: Link(origin: Fixtures.ma.state, recipient: Fixtures.ly.state), sequence: 1, envelopeHash: e3.hash,
            receivedAt: receivedAt, status: .accepted
        ).signed(by: Fixtures.ly)
        let unlinked = try Receipt(
            link: Link(origin: Fixtures.tn.state, recipient: Fixtures.ma.state), sequence: 1, envelopeHash: e3.hash,
            receivedAt: receivedAt, status: .accepted
        ).signed(by: Fixtures.ma)
        return ReceiptVectorFile(
            desc: "Receipts signed by DZ (docs/PROTOCOL.md §11) and receipts that must be refused under the vector roster",
            receipts: [
                vector(accepted, signedAccepted, "DZ accepts MA→DZ envelope 3: cumulative, proves delivery of 1…3"),
                vector(rejected, signedRejected, "DZ rejects a tampered MA→DZ envelope 2 with 203 badSignature"),
            ],
            rejections: [
                ReceiptRejectionVector(
                    desc: "the accepted receipt with one bit of its envelope hash flipped",
                    signedReceiptHex: hexOf(tamperedReceipt), wantErr: "badSignature"),
                ReceiptRejectionVector(
                    desc: "the accepted receipt signed by MA instead of DZ",
                    signedReceiptHex: hexOf(forgedByMA.serializedBytes), wantErr: "badSignature"),
                ReceiptRejectionVector(
                    desc: "status rejected with reason 0",
                    signedReceiptHex: hexOf(badStatus + signedAccepted.signature), wantErr: "malformed"),
                ReceiptRejectionVector(
                    desc: "the accepted receipt without its last byte",
                    signedReceiptHex: hexOf(signedAccepted.serializedBytes.dropLast()), wantErr: "malformed"),
                ReceiptRejectionVector(
                    desc: "an acceptance signed by LY, which is not in the roster",
                    signedReceiptHex: hexOf(ghost.serializedBytes), wantErr: "unknownRecipient"),
                ReceiptRejectionVector(
                    desc: "an acceptance by MA for the link TN→MA, which the roster does not have",
                    signedReceiptHex: hexOf(unlinked.serializedBytes), wantErr: "notLinked"),
            ])
    }

    // MARK: Files

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Every vector file, by path relative to Tests/Vectors.
    static func files() throws -> [String: Data] {
        var files: [String: Data] = [
            "identities.json": try encoder.encode(identities()),
            "roster.json": try encoder.encode(roster()),
            "envelopes.json": try encoder.encode(envelopes()),
            "receipts.json": try encoder.encode(receipts()),
        ]
        for probe in try rejections() {
            files["rejections/\(probe.name).json"] = try encoder.encode(probe.vector)
        }
        return files.mapValues { $0 + Data("\n".utf8) }
    }
}
