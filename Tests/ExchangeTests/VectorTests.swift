import Foundation
import Sodium
import Testing

@testable import Exchange

/// Reads a committed vector file.
enum VectorLoader {
    static func load<Value: Decodable>(_ type: Value.Type, _ name: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(contentsOf: VectorFiles.url(name)))
    }

    static func rejectionFileNames() -> [String] {
        let directory = VectorFiles.url("rejections")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    /// The node of `label` rebuilt from identities.json (not from the fixtures).
    static func identity(_ label: String) throws -> NodeIdentity {
        let file = try load(IdentityVectorFile.self, "identities.json")
        let node = try #require(file.nodes.first { $0.label == label })
        return try NodeIdentity(
            card: IdentityCard(canonicalBytes: hex(node.cardHex)),
            signingSeed: SecretBytes(copying: hex(node.signingSeed)),
            encryptionSecret: SecretBytes(copying: hex(node.encryptionSecret)),
            transportSecret: SecretBytes(copying: hex(node.transportSecret)))
    }

    /// The roster of roster.json, verified with its secretariat key at its `now`.
    static func roster() throws -> Roster {
        let file = try load(RosterVectorFile.self, "roster.json")
        let verifier = RosterVerifier(secretariatKey: try Ed25519.PublicKey(rawRepresentation: hex(file.secretariatKey)))
        return try verifier.verify(
            SignedRoster(serializedBytes: hex(file.signedRosterHex)),
            now: Timestamp(millisecondsSinceEpoch: file.now))
    }
}

@Suite("Known-answer vectors (Tests/Vectors)")
struct VectorTests {
    @Test("the committed vector files are exactly what the code generates (BORDERNET_WRITE_VECTORS=1 rewrites them)")
    func filesMatchTheCode() throws {
        let files = try VectorGenerator.files()
        let manager = FileManager.default
        if VectorFiles.writing {
            let rejections = VectorFiles.url("rejections")
            try? manager.removeItem(at: rejections)
            try manager.createDirectory(at: rejections, withIntermediateDirectories: true)
            for (name, data) in files {
                try data.write(to: VectorFiles.url(name), options: .atomic)
            }
        }
        for (name, data) in files.sorted(by: { $0.key < $1.key }) {
            let committed = try? Data(contentsOf: VectorFiles.url(name))
            #expect(committed == data, "\(name) differs from the generated vector; run with BORDERNET_WRITE_VECTORS=1 and review the diff")
        }
        let committedProbes = Set(VectorLoader.rejectionFileNames().map { "rejections/" + $0 })
        let generatedProbes = Set(files.keys.filter { $0.hasPrefix("rejections/") })
        #expect(committedProbes == generatedProbes)
        #expect(generatedProbes.count >= 11)
    }

    @Test("identity cards: keys derive from the secrets, bytes and JSON decode to the same card")
    func identities() throws {
        let file = try VectorLoader.load(IdentityVectorFile.self, "identities.json")
        #expect(file.nodes.count >= 6)
        for node in file.nodes {
            let signing = try Ed25519.PrivateKey(seed: SecretBytes(copying: hex(node.signingSeed)))
            let encryption = try X25519.PrivateKey(rawRepresentation: SecretBytes(copying: hex(node.encryptionSecret)))
            let transport = try X25519.PrivateKey(rawRepresentation: SecretBytes(copying: hex(node.transportSecret)))
            #expect(signing.publicKey.rawRepresentation == hex(node.signingKey), "\(node.label)")
            #expect(encryption.publicKey.rawRepresentation == hex(node.encryptionKey), "\(node.label)")
            #expect(transport.publicKey.rawRepresentation == hex(node.transportKey), "\(node.label)")
            let identity = try NodeIdentity(
                state: StateCode(node.state), nodeName: node.nodeName,
                endpoints: NodeEndpoints(publish: node.publishEndpoint, service: node.serviceEndpoint),
                signingKey: signing, encryptionKey: encryption, transportKey: transport)
            #expect(identity.card.canonicalBytes == hex(node.cardHex), "\(node.label)")
            #expect(try IdentityCard(canonicalBytes: hex(node.cardHex)) == node.cardJSON, "\(node.label)")
            let reencoded = try JSONDecoder().decode(IdentityCard.self, from: JSONEncoder().encode(identity.card))
            #expect(reencoded == identity.card)
        }
    }

    @Test("roster: canonical bytes, signature and JSON agree")
    func roster() throws {
        let file = try VectorLoader.load(RosterVectorFile.self, "roster.json")
        let secretariat = try Ed25519.PrivateKey(seed: SecretBytes(copying: hex(file.secretariatSeed)))
        #expect(secretariat.publicKey.rawRepresentation == hex(file.secretariatKey))
        let roster = try VectorLoader.roster()
        #expect(roster.canonicalBytes == hex(file.rosterHex))
        #expect(roster == file.rosterJSON)
        #expect(roster.version == file.version)
        #expect(roster.issuedAt.millisecondsSinceEpoch == file.issuedAt)
        #expect(roster.expiresAt.millisecondsSinceEpoch == file.expiresAt)
        #expect(roster.links == file.links)
        #expect(roster.members.map { "\($0.state) \($0.role)" } == file.members.map { "\($0.state) \($0.role)" })
        // Ed25519 is deterministic: re-signing gives the committed signature.
        #expect(secretariat.signature(for: hex(file.rosterHex)) == hex(file.signatureHex))
        #expect(hex(file.signedRosterHex) == hex(file.rosterHex) + hex(file.signatureHex))
        for member in file.members {
            let identity = try VectorLoader.identity(member.nodeLabel)
            #expect(roster.member(identity.state)?.card == identity.card)
        }
    }

    @Test("roster format 2: what each member reads, canonical bytes, signature and JSON agree; the refused encodings fail")
    func rosterFormat2() throws {
        let file = try VectorLoader.load(RosterVectorFile.self, "roster-format-2.json")
        let verifier = RosterVerifier(secretariatKey: try Ed25519.PublicKey(rawRepresentation: hex(file.secretariatKey)))
        let roster = try verifier.verify(
            SignedRoster(serializedBytes: hex(file.signedRosterHex)), now: Timestamp(millisecondsSinceEpoch: file.now))
        #expect(roster.format == 2)
        #expect(hex(file.rosterHex)[4] == 2)
        #expect(roster.canonicalBytes == hex(file.rosterHex))
        #expect(roster == file.rosterJSON)
        #expect(hex(file.signedRosterHex) == hex(file.rosterHex) + hex(file.signatureHex))
        for member in file.members {
            let found = try #require(roster.member(StateCode(member.state)))
            #expect(found.readsSchema == member.readsSchema, "\(member.state)")
            #expect(found.card == (try VectorLoader.identity(member.nodeLabel)).card)
        }
        // The JSON form names what every member reads, 1.0 included.
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(roster)) as? [String: Any]
        let members = try #require(json?["members"] as? [[String: Any]])
        #expect(json?["format"] as? Int == 2)
        #expect(members.allSatisfy { $0["readsSchema"] is String })
        let refused = try #require(file.refused)
        #expect(refused.count >= 5)
        for probe in refused {
            do {
                _ = try Roster(canonicalBytes: hex(probe.rosterHex))
                Issue.record("decoded: \(probe.desc)")
            } catch {
                switch (error, probe.wantErr) {
                case (.malformed, "malformed"), (.invalidReadsSchema, "invalidReadsSchema"): break
                default: Issue.record("\(probe.desc): \(error), wanted \(probe.wantErr)")
                }
            }
        }
    }

    @Test("roster format 3: the key history, the keys in force at each time, envelopes across MA's rotation, the refused encodings")
    func rosterFormat3() throws {
        let file = try VectorLoader.load(RosterVectorFile.self, "roster-format-3.json")
        let verifier = RosterVerifier(secretariatKey: try Ed25519.PublicKey(rawRepresentation: hex(file.secretariatKey)))
        let roster = try verifier.verify(
            SignedRoster(serializedBytes: hex(file.signedRosterHex)), now: Timestamp(millisecondsSinceEpoch: file.now))
        #expect(roster.format == 3)
        #expect(hex(file.rosterHex)[4] == 3)
        #expect(roster.canonicalBytes == hex(file.rosterHex))
        #expect(roster == file.rosterJSON)
        #expect(hex(file.signedRosterHex) == hex(file.rosterHex) + hex(file.signatureHex))
        #expect(roster.links == file.links)

        // The roster key's hand-over (§6.6): the announcing roster names the successor, and only
        // a verifier that trusts the successor accepts the roster it signs.
        let handOver = try #require(file.handOver)
        let successor = try Ed25519.PrivateKey(seed: SecretBytes(copying: hex(handOver.successorSeed)))
        #expect(hex(handOver.successorKey) == successor.publicKey.rawRepresentation)
        let announcing = try Roster(canonicalBytes: hex(handOver.announcingRosterHex))
        #expect(announcing.successorKey == successor.publicKey && announcing.format == 3)
        #expect(Array(hex(handOver.announcingRosterHex).suffix(33)) == [1] + successor.publicKey.rawRepresentation)
        let pinned = try Ed25519.PublicKey(rawRepresentation: hex(file.secretariatKey))
        let announcingSigned = try SignedRoster(serializedBytes: hex(handOver.announcingSignedRosterHex))
        #expect(RosterVerifier(secretariatKey: pinned).signer(of: announcingSigned) == pinned)
        let takingOver = try SignedRoster(serializedBytes: hex(handOver.takingOverSignedRosterHex))
        #expect(RosterVerifier(secretariatKey: pinned).signer(of: takingOver) == nil)
        #expect(RosterVerifier(secretariatKey: pinned, otherKeys: [successor.publicKey]).signer(of: takingOver) == successor.publicKey)
        #expect(try Roster(canonicalBytes: takingOver.rosterBytes).successorKey == nil)

        // Nodes: identities.json, and MA-2 from this file (its keys derive from its secrets).
        let extra = try #require(file.nodes)
        func identity(_ label: String) throws -> NodeIdentity {
            guard let node = extra.first(where: { $0.label == label }) else { return try VectorLoader.identity(label) }
            return try NodeIdentity(
                card: IdentityCard(canonicalBytes: hex(node.cardHex)), signingSeed: SecretBytes(copying: hex(node.signingSeed)),
                encryptionSecret: SecretBytes(copying: hex(node.encryptionSecret)),
                transportSecret: SecretBytes(copying: hex(node.transportSecret)))
        }
        for node in extra {
            #expect(try identity(node.label).card == node.cardJSON)
            #expect(try IdentityCard(canonicalBytes: hex(node.cardHex)) == node.cardJSON)
        }
        for member in file.members {
            #expect(roster.member(try StateCode(member.state))?.card == (try identity(member.nodeLabel)).card, "\(member.state)")
            #expect(roster.member(try StateCode(member.state))?.readsSchema == member.readsSchema)
        }

        // The history, entry by entry: the keys of the named node, its bytes inside the roster's.
        let entries = try #require(file.retiredKeys)
        #expect(roster.retiredKeys.count == entries.count)
        for (entry, vector) in zip(roster.retiredKeys, entries) {
            let card = try identity(vector.nodeLabel).card
            #expect(entry == RetiredKeys(retiring: card, until: Timestamp(millisecondsSinceEpoch: vector.until), revocation: vector.revocation))
            #expect(hexOf(entry.signingKey) == vector.signingKey && vector.state == entry.state.description)
            #expect(hexOf(entry.encryptionKey) == vector.encryptionKey && hexOf(entry.transportKey) == vector.transportKey)
            #expect(file.rosterHex.contains(vector.entryHex))
        }
        // The entries end the roster, before the successor key's presence byte (00: none).
        #expect(file.rosterHex.hasSuffix(entries.map(\.entryHex).joined() + "00"))

        for vector in try #require(file.keysAt) {
            let state = try StateCode(vector.state)
            let time = Timestamp(millisecondsSinceEpoch: vector.at)
            #expect(roster.signingKey(of: state, at: time).map(hexOf) == vector.signingKey, "\(vector.desc)")
            #expect(roster.encryptionKey(of: state, at: time).map(hexOf) == vector.encryptionKey, "\(vector.desc)")
            #expect(roster.transportKeys(at: time)[state]?.first.map(hexOf) == vector.allowedTransportKey, "\(vector.desc)")
            #expect(roster.signingKeys(of: state, at: time).map(hexOf) == vector.acceptedSigningKeys, "\(vector.desc)")
            #expect((roster.acceptedTransportKeys(at: time)[state] ?? []).map(hexOf) == vector.acceptedTransportKeys, "\(vector.desc)")
        }

        // MA→DZ across the rotation: sealed again bit for bit, then opened in order by DZ.
        let dz = try VectorLoader.identity("DZ")
        let opener = EnvelopeOpener(recipient: dz.state, roster: roster)
        var position = ChainPosition.start
        let envelopes = try #require(file.envelopes)
        for item in envelopes {
            let vector = item.envelope
            #expect(item.position == position, "\(item.desc)")
            let metadata = BulletinMetadata(
                bulletinID: try BulletinID(ulid: vector.bulletinId), createdAt: Timestamp(millisecondsSinceEpoch: vector.createdAt),
                tlp: vector.tlp, schemaVersion: try BodySchemaVersion(vector.schemaVersion))
            let sealed = try Envelope.seal(
                Array(vector.bodyText.utf8), metadata: metadata, from: identity(item.signerLabel),
                to: EnvelopeRecipient(card: dz.card, position: item.position),
                ephemeralKey: X25519.PrivateKey(rawRepresentation: SecretBytes(copying: hex(vector.ephemeralSecret))))
            #expect(sealed.bytes == hex(vector.envelopeHex), "\(item.desc)")
            do {
                let opened = try opener.open(hex(vector.envelopeHex), after: position, decryptingWith: dz.encryptionKey)
                #expect(item.wantErr == nil, "\(item.desc): opened")
                #expect(opened.body == Array(vector.bodyText.utf8))
                position = opened.position
            } catch {
                #expect(error.reason.rawValue == item.wantErr?.code, "\(item.desc): \(error)")
                #expect(error.reason.name == item.wantErr?.name)
            }
        }
        #expect(envelopes.contains { $0.wantErr == nil } && envelopes.contains { $0.wantErr != nil })

        let refused = try #require(file.refused)
        #expect(refused.count >= 4)
        for probe in refused {
            do {
                _ = try Roster(canonicalBytes: hex(probe.rosterHex))
                Issue.record("decoded: \(probe.desc)")
            } catch {
                let name =
                    switch error {
                    case .malformed: "malformed"
                    case .retiredKeysOutOfOrder: "retiredKeysOutOfOrder"
                    case .duplicateRetiredKeys: "duplicateRetiredKeys"
                    case .reusedKey: "reusedKey"
                    case .retiredKeysShareKey: "retiredKeysShareKey"
                    case .invalidRevocation: "invalidRevocation"
                    default: "\(error)"
                    }
                #expect(name == probe.wantErr, "\(probe.desc): \(error)")
            }
        }
    }

    private func hexOf(_ key: Ed25519.PublicKey) -> String { Hex.encode(key.rawRepresentation) }
    private func hexOf(_ key: X25519.PublicKey) -> String { Hex.encode(key.rawRepresentation) }

    @Test("envelopes: every intermediate value, the full bytes, the hash chain and the opening")
    func envelopes() throws {
        let file = try VectorLoader.load(EnvelopeVectorFile.self, "envelopes.json")
        let roster = try VectorLoader.roster()
        let origin = try VectorLoader.identity("MA")
        var positions: [Link: ChainPosition] = [:]
        #expect(file.envelopes.count >= 4)
        for vector in file.envelopes {
            let link = Link(origin: try StateCode(vector.origin), recipient: try StateCode(vector.recipient))
            let recipient = try VectorLoader.identity(vector.recipient)
            let position = positions[link] ?? .start
            #expect(vector.sequence == position.sequence + 1, "\(vector.desc)")
            #expect(vector.previousHash == position.hash.description, "\(vector.desc): chains to the previous envelope")

            let ephemeral = try X25519.PrivateKey(rawRepresentation: SecretBytes(copying: hex(vector.ephemeralSecret)))
            #expect(ephemeral.publicKey.rawRepresentation == hex(vector.ephemeralKey))
            let metadata = BulletinMetadata(
                bulletinID: try BulletinID(ulid: vector.bulletinId),
                createdAt: Timestamp(millisecondsSinceEpoch: vector.createdAt), tlp: vector.tlp,
                schemaVersion: try BodySchemaVersion(vector.schemaVersion))
            #expect(vector.tlp.rawValue == vector.tlpCode)
            #expect(try BulletinID(uuidString: vector.bulletinUUID) == metadata.bulletinID)
            #expect(try BulletinID.parse(reference: vector.bulletinReference) == (link.origin, metadata.bulletinID))
            let envelope = try Envelope.seal(
                Array(vector.bodyText.utf8), metadata: metadata, from: origin,
                to: EnvelopeRecipient(card: recipient.card, position: position), ephemeralKey: ephemeral)
            #expect(Array(envelope.headerBytes) == hex(vector.headerHex), "\(vector.desc): header")
            #expect(envelope.bytes == hex(vector.envelopeHex), "\(vector.desc): envelope bytes")
            #expect(Array(envelope.ciphertext) == hex(vector.ciphertextHex))
            #expect(Array(envelope.signature) == hex(vector.signatureHex))
            #expect(envelope.hash.description == vector.envelopeHash)
            #expect(SHA256.hash(hex(vector.envelopeHex)) == hex(vector.envelopeHash))
            #expect(envelope.bytes.count == vector.envelopeByteCount)
            #expect(vector.envelopeByteCount == vector.bodyText.utf8.count + Envelope.overheadByteCount)

            // The intermediate values of docs/PROTOCOL.md §7.3.
            let shared = try ephemeral.sharedSecret(with: recipient.card.encryptionKey)
            #expect(shared.exportedBytes() == hex(vector.sharedSecret))
            let fromRecipientSide = try recipient.encryptionKey.sharedSecret(with: ephemeral.publicKey)
            #expect(fromRecipientSide.constantTimeEquals(shared))
            let kdfInput = hex(vector.sharedSecret) + hex(vector.ephemeralKey) + recipient.card.encryptionKey.rawRepresentation
            #expect(try BLAKE2b.hash(kdfInput, outputByteCount: 32) == hex(vector.bodyKey))
            #expect(try BLAKE2b.hash(hex(vector.headerHex), outputByteCount: 24) == hex(vector.nonce))
            let plaintext = try XChaCha20Poly1305.open(
                hex(vector.ciphertextHex), key: SecretBytes(copying: hex(vector.bodyKey)), nonce: hex(vector.nonce),
                authenticating: hex(vector.headerHex))
            #expect(plaintext == Array(vector.bodyText.utf8))
            #expect(origin.card.signingKey.isValidSignature(
                hex(vector.signatureHex), for: hex(vector.headerHex) + lengthPrefix(vector.ciphertextHex) + hex(vector.ciphertextHex)))

            let opener = EnvelopeOpener(recipient: recipient.state, roster: roster)
            let opened = try opener.open(hex(vector.envelopeHex), after: position, decryptingWith: recipient.encryptionKey)
            #expect(opened.body == Array(vector.bodyText.utf8))
            positions[link] = opened.position
        }
    }

    private func lengthPrefix(_ ciphertextHex: String) -> [UInt8] {
        let count = UInt32(hex(ciphertextHex).count)
        return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: count >> UInt32($0)) }
    }

    @Test("rejection vector", arguments: VectorLoader.rejectionFileNames())
    func rejection(_ name: String) throws {
        let vector = try VectorLoader.load(RejectionVector.self, "rejections/" + name)
        let recipient = try VectorLoader.identity(vector.recipient)
        let opener = EnvelopeOpener(recipient: recipient.state, roster: try VectorLoader.roster())
        let bytes = hex(vector.envelopeHex) + [UInt8](repeating: 0, count: vector.appendZeroBytes)
        do {
            let opened = try opener.open(bytes, after: vector.position, decryptingWith: recipient.encryptionKey)
            Issue.record("\(name): opened \(opened), expected \(vector.wantErr.name)")
        } catch {
            // The opener knows positions, not stored hashes: a duplicate is a conflict (303) when
            // the recipient accepted another envelope (acceptedHash) at that sequence.
            var reason = error.reason
            if case .duplicate(_, _, let hash) = error, let accepted = vector.acceptedHash, accepted != hash.description {
                reason = .conflict
            }
            #expect(reason.rawValue == vector.wantErr.code, "\(name): \(error)")
            #expect(reason.name == vector.wantErr.name)
            switch error {
            case .gap(_, let missing):
                #expect([missing.lowerBound, missing.upperBound] == vector.wantErr.missing)
            case .duplicate(_, let sequence, _):
                #expect(sequence == vector.wantErr.sequence)
            case .chainBroken(_, let expected, let got):
                #expect(expected.description == vector.wantErr.expected)
                #expect(got.description == vector.wantErr.got)
            default:
                break
            }
        }
        let counts = opener.statistics.counts
        if vector.wantErr.code == RejectionReason.decryptionFailed.rawValue {
            #expect(counts.verified == 1, "a body is decrypted only after it verified")
            #expect(counts.decryptionAttempts == 1)
        } else {
            #expect(counts.decryptionAttempts == 0, "\(name): refused before decryption")
        }
        #expect(counts.decrypted == 0)
    }

    @Test("the conflict probe is validly signed, chained to envelope 1, and another envelope than the accepted 2")
    func conflictProbe() throws {
        let vector = try VectorLoader.load(RejectionVector.self, "rejections/conflict-seq-2.json")
        let envelopes = try VectorLoader.load(EnvelopeVectorFile.self, "envelopes.json").envelopes
        let opener = EnvelopeOpener(recipient: try StateCode("DZ"), roster: try VectorLoader.roster())
        let e1 = try #require(envelopes.first)
        // As the next envelope after 1 it verifies: only the position makes it a conflict.
        let verified = try opener.verify(
            hex(vector.envelopeHex), after: ChainPosition(sequence: 1, hash: EnvelopeHash(bytes: hex(e1.envelopeHash))))
        #expect(verified.header.sequence == 2)
        #expect(vector.acceptedHash == envelopes[1].envelopeHash)
        #expect(verified.envelope.hash.description != vector.acceptedHash)
        let receipts = try VectorLoader.load(ReceiptVectorFile.self, "receipts.json").receipts
        let receipt = try #require(receipts.first { $0.reason == RejectionReason.conflict.rawValue })
        #expect(receipt.sequence == 2 && receipt.envelopeHash == verified.envelope.hash.description)
    }

    @Test("the non-canonical signature probe is the envelope 2 signature with L added to S")
    func nonCanonicalSignatureProbe() throws {
        let vector = try VectorLoader.load(RejectionVector.self, "rejections/non-canonical-signature-s-plus-l.json")
        let envelopes = try VectorLoader.load(EnvelopeVectorFile.self, "envelopes.json").envelopes
        let original = hex(envelopes[1].envelopeHex)
        let probe = hex(vector.envelopeHex)
        #expect(probe.count == original.count && probe.dropLast(32) == original.dropLast(32))
        // S + L − L = S, little-endian, with borrow.
        var borrow = 0
        var s: [UInt8] = []
        for index in 0..<32 {
            let difference = Int(probe[probe.count - 32 + index]) - Int(VectorGenerator.groupOrder[index]) - borrow
            s.append(UInt8((difference + 256) & 0xFF))
            borrow = difference < 0 ? 1 : 0
        }
        #expect(borrow == 0)
        #expect(s == Array(original.suffix(32)))
    }

    @Test("transport frames: what each frame carries agrees with the other vector files")
    func transport() throws {
        let file = try VectorLoader.load(TransportVectorFile.self, "transport.json")
        let envelopes = try VectorLoader.load(EnvelopeVectorFile.self, "envelopes.json").envelopes.filter { $0.recipient == "DZ" }
        let receipts = try VectorLoader.load(ReceiptVectorFile.self, "receipts.json").receipts
        func u64(_ frame: [UInt8]) -> UInt64? { frame.count == 8 ? frame.reduce(0) { $0 << 8 | UInt64($1) } : nil }
        for vector in file.messages {
            let frames = vector.framesHex.map(hex)
            let first = String(decoding: frames[0], as: UTF8.self)
            switch vector.message {
            case "subscription":
                #expect(frames == [[0x01] + Array((vector.topic ?? "").utf8)], "\(vector.desc)")
            case "envelope", "heartbeat":
                #expect(frames.count == 3 && first == vector.topic && String(decoding: frames[1], as: UTF8.self) == vector.kind)
                if vector.kind == "E" {
                    let sequence = try #require(vector.envelopeSequences?.first)
                    #expect(frames[2] == hex(envelopes[Int(sequence) - 1].envelopeHex))
                } else {
                    #expect(frames[2].count == 16)
                    #expect(u64(Array(frames[2][0..<8])) == vector.latest && u64(Array(frames[2][8..<16])) == vector.acknowledged)
                }
            case "replay":
                #expect(frames.count == 2 && first == "replay" && u64(frames[1]) == vector.after)
            case "envelopes":
                #expect(first == "envelopes" && u64(frames[1]) == vector.latest)
                #expect(Array(frames.dropFirst(2)) == (vector.envelopeSequences ?? []).map { hex(envelopes[Int($0) - 1].envelopeHex) })
            case "receipt":
                #expect(frames.count == 2 && first == "receipt")
                #expect(frames[1] == hex(receipts[try #require(vector.receiptIndex)].signedReceiptHex))
                #expect(frames[1].count == 124)
            case "roster":
                #expect(frames.count == 2 && first == "roster" && u64(frames[1]) == vector.arguments?.first)
            case "roster-answer":
                let roster = try VectorLoader.load(RosterVectorFile.self, "roster.json")
                #expect(first == "roster" && u64(frames[1]) == vector.arguments?.first && (2...3).contains(frames.count))
                if frames.count == 3 { #expect(frames[2] == hex(roster.signedRosterHex) && vector.arguments?.first == roster.version) }
            case "audit-refused":
                #expect(frames.count == 2 && first == vector.message && String(decoding: frames[1], as: UTF8.self) == vector.text)
            case "attachment", "attachment-answer":
                // The place: [verb, bulletin id, number, index]; an answer may add the sealed chunk.
                let attachments = try VectorLoader.load(AttachmentVectorFile.self, "attachment.json")
                let id = try BulletinID(ulid: try #require(vector.bulletinId))
                #expect(first == "attachment" && frames[1] == id.bytes, "\(vector.desc)")
                #expect(frames[2...3].map(u64) == (vector.arguments ?? []).map { Optional($0) }, "\(vector.desc)")
                #expect(frames.count == 4 || (vector.message == "attachment-answer" && frames.count == 5), "\(vector.desc)")
                if frames.count == 5 {
                    let file = try #require(attachments.files.first { $0.bulletinId == vector.bulletinId && UInt64($0.number) == vector.arguments?.first })
                    let chunk = try #require(file.chunks.first { $0.index == vector.arguments?.last })
                    #expect(frames[4] == hex(try #require(chunk.sealedHex)), "\(vector.desc)")
                }
            case "attachment-receipt":
                // [verb, the 132 signed bytes of attachment.json receipts.signed[] naming this bulletin and number].
                let receipts = try VectorLoader.load(AttachmentVectorFile.self, "attachment.json").receipts.signed
                let receipt = try #require(
                    receipts.first { $0.bulletinId == vector.bulletinId && vector.arguments == [UInt64($0.number)] })
                #expect(frames.count == 2 && first == "attachment-receipt", "\(vector.desc)")
                #expect(frames[1] == hex(receipt.signedReceiptHex) && frames[1].count == 132, "\(vector.desc)")
            case "attachment-receipt-answer":
                let id = try BulletinID(ulid: try #require(vector.bulletinId))
                #expect(frames.count == 3 && first == "attachment-receipt" && frames[1] == id.bytes, "\(vector.desc)")
                #expect([u64(frames[2])] == (vector.arguments ?? []).map { Optional($0) }, "\(vector.desc)")
            default:
                #expect(first == vector.message && vector.message.hasPrefix("audit-"), "\(vector.desc)")
                #expect(frames.dropFirst().map(u64) == (vector.arguments ?? []).map { Optional($0) })
            }
        }
        #expect(Set(file.messages.map(\.message)).isSuperset(of: ["subscription", "envelope", "heartbeat", "replay", "envelopes", "receipt"]))
    }

    @Test("bulletin envelopes: sealed, chained and opened like envelopes.json; bodies agree with the header when accepted")
    func bulletins() throws {
        let file = try VectorLoader.load(BulletinEnvelopeVectorFile.self, "bulletins.json")
        let roster = try VectorLoader.roster()
        var positions: [Link: ChainPosition] = [:]
        for item in file.envelopes {
            let vector = item.envelope
            let link = Link(origin: try StateCode(vector.origin), recipient: try StateCode(vector.recipient))
            let origin = try VectorLoader.identity(vector.origin)
            let recipient = try VectorLoader.identity(vector.recipient)
            let position = positions[link] ?? .start
            #expect(vector.sequence == position.sequence + 1, "\(item.desc)")
            let metadata = BulletinMetadata(
                bulletinID: try BulletinID(ulid: vector.bulletinId), createdAt: Timestamp(millisecondsSinceEpoch: vector.createdAt),
                tlp: vector.tlp, schemaVersion: try BodySchemaVersion(vector.schemaVersion))
            let envelope = try Envelope.seal(
                Array(vector.bodyText.utf8), metadata: metadata, from: origin,
                to: EnvelopeRecipient(card: recipient.card, position: position),
                ephemeralKey: try X25519.PrivateKey(rawRepresentation: SecretBytes(copying: hex(vector.ephemeralSecret))))
            #expect(envelope.bytes == hex(vector.envelopeHex), "\(item.desc)")
            #expect(envelope.hash.description == vector.envelopeHash)
            let opened = try EnvelopeOpener(recipient: recipient.state, roster: roster)
                .open(hex(vector.envelopeHex), after: position, decryptingWith: recipient.encryptionKey)
            #expect(opened.body == Array(vector.bodyText.utf8))
            positions[link] = opened.position
            // The header ↔ body mapping of docs/PROTOCOL.md §8 step 10, without the schemas.
            let body = try #require(try JSONSerialization.jsonObject(with: Data(vector.bodyText.utf8)) as? [String: Any])
            let agrees =
                body["id"] as? String == vector.bulletinReference && body["tlp"] as? String == vector.tlp.label
                && (body["schemaVersion"] as? String)?.split(separator: ".").first.map(String.init)
                    == vector.schemaVersion.split(separator: ".").first.map(String.init)
            if item.want.status == "accepted" {
                #expect(agrees, "\(item.desc)")
                #expect(item.want.code == 0)
            } else {
                #expect(item.want.code == RejectionReason.invalidBulletin.rawValue)
            }
        }
        #expect(file.envelopes.contains { $0.want.status == "accepted" })
        #expect(file.envelopes.contains { $0.want.code == 500 })
    }

    @Test("receipts: bytes, signatures and the receipts that must be refused")
    func receipts() throws {
        let file = try VectorLoader.load(ReceiptVectorFile.self, "receipts.json")
        let roster = try VectorLoader.roster()
        let dz = try VectorLoader.identity("DZ")
        for vector in file.receipts {
            let status: ReceiptStatus =
                vector.status == "accepted" ? .accepted : .rejected(try #require(RejectionReason(rawValue: vector.reason)))
            let receipt = Receipt(
                link: Link(origin: try StateCode(vector.origin), recipient: try StateCode(vector.recipient)),
                sequence: vector.sequence, envelopeHash: try EnvelopeHash(bytes: hex(vector.envelopeHash)),
                receivedAt: Timestamp(millisecondsSinceEpoch: vector.receivedAt), status: status)
            #expect(receipt.canonicalBytes == hex(vector.receiptHex), "\(vector.desc)")
            let signed = try receipt.signed(by: dz)
            #expect(signed.signature == hex(vector.signatureHex))
            #expect(signed.serializedBytes == hex(vector.signedReceiptHex))
            let decoded = try SignedReceipt(serializedBytes: hex(vector.signedReceiptHex))
            #expect(try decoded.verify(against: roster) == receipt)
        }
        for vector in file.rejections {
            do {
                let receipt = try SignedReceipt(serializedBytes: hex(vector.signedReceiptHex)).verify(against: roster)
                Issue.record("\(vector.desc): verified \(receipt), expected \(vector.wantErr)")
            } catch {
                let name =
                    switch error {
                    case .malformed: "malformed"
                    case .unknownRecipient: "unknownRecipient"
                    case .notLinked: "notLinked"
                    case .badSignature: "badSignature"
                    case .signerIsNotRecipient: "signerIsNotRecipient"
                    }
                #expect(name == vector.wantErr, "\(vector.desc): \(error)")
            }
        }
    }
}
