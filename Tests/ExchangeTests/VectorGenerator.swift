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

    static func identityVector(_ spec: Fixtures.NodeSpec, role: String? = nil) -> IdentityVector {
        let identity = Fixtures.identity(spec)
        let card = identity.card
        let role = role ?? spec.role.map { "roster \($0)" } ?? "not in the roster"
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

    static func identities() -> IdentityVectorFile {
        let nodes = Fixtures.nodeSpecs.map { identityVector($0) }
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

    /// What the members of roster-format-2.json read: DZ and TN upgraded to 1.1, the others not yet.
    static let format2Reads: [String: BodySchemaVersion] = [
        "DZ": BodySchemaVersion(major: 1, minor: 1), "TN": BodySchemaVersion(major: 1, minor: 1),
    ]

    static func rosterFormat2() -> RosterVectorFile {
        let roster = Fixtures.roster(version: 8, reads: format2Reads)
        let signed = roster.signed(by: Fixtures.secretariatKey)
        let oneZero = RosterMember.defaultReadsSchema
        // Member entries written by hand: (role, what it reads or nil in format 1, card).
        func bytes(format: UInt8, _ members: [(MemberRole, BodySchemaVersion?, IdentityCard)], cut: Int? = nil) -> String {
            var writer = ByteWriter()
            writer.write(raw: Roster.tag)
            writer.write(format)
            writer.write(roster.version)
            writer.write(roster.issuedAt.millisecondsSinceEpoch)
            writer.write(roster.expiresAt.millisecondsSinceEpoch)
            writer.write(count: members.count)
            for (role, reads, card) in members {
                writer.write(role.rawValue)
                if let reads {
                    writer.write(reads.major)
                    writer.write(reads.minor)
                }
                writer.write(UInt16(card.canonicalBytes.count))
                writer.write(raw: card.canonicalBytes)
            }
            writer.write(count: roster.links.count)
            for link in roster.links {
                link.origin.write(to: &writer)
                link.recipient.write(to: &writer)
            }
            return hexOf(cut.map { Array(writer.bytes.prefix($0)) } ?? writer.bytes)
        }
        let entries = roster.members.map { ($0.role, Optional($0.readsSchema), $0.card) }
        let refused = [
            RefusedRoster(
                desc: "format 2 in which every member reads 1.0: that roster is written in format 1 (one roster, one encoding)",
                rosterHex: bytes(format: 2, entries.map { ($0.0, oneZero, $0.2) }), wantErr: "malformed"),
            RefusedRoster(
                desc: "format 1 with the format-2 member entries (schema bytes after each role)",
                rosterHex: bytes(format: 1, entries), wantErr: "malformed"),
            RefusedRoster(
                desc: "format 2 without the schema bytes (format-1 member entries)",
                rosterHex: bytes(format: 2, entries.map { ($0.0, nil, $0.2) }), wantErr: "malformed"),
            RefusedRoster(
                desc: "DZ declared to read schema 0.9: schema versions start at 1.0",
                rosterHex: bytes(
                    format: 2, entries.map { ($0.0, $0.2.state.description == "DZ" ? BodySchemaVersion(major: 0, minor: 9) : $0.1, $0.2) }),
                wantErr: "invalidReadsSchema"),
            RefusedRoster(
                desc: "cut inside the first member's schema version (after its major byte)",
                rosterHex: bytes(format: 2, entries, cut: 31 + 2), wantErr: "malformed"),
            RefusedRoster(
                desc: "format 3 ending after the links (the format-2 layout): the key history format 3 adds is missing",
                rosterHex: bytes(format: 3, entries), wantErr: "malformed"),
        ]
        return RosterVectorFile(
            desc: "Roster format 2 (docs/PROTOCOL.md §6.1): version 8 of the vector roster, in which DZ and TN read bulletin schema "
                + "1.1 and the other members 1.0, so that MA sends DZ and TN bulletins of schema 1.1 and MR only 1.0 ones; "
                + "then roster bytes that a decoder must refuse",
            secretariatSeed: hexOf(Fixtures.secretariatKey.seed.exportedBytes()),
            secretariatKey: hexOf(Fixtures.secretariatKey.publicKey.rawRepresentation),
            version: roster.version, issuedAt: roster.issuedAt.millisecondsSinceEpoch,
            expiresAt: roster.expiresAt.millisecondsSinceEpoch, now: Fixtures.now.millisecondsSinceEpoch,
            members: Fixtures.nodeSpecs.compactMap { spec in
                spec.role.map {
                    RosterMemberRef(state: spec.state, role: $0, nodeLabel: spec.label, readsSchema: format2Reads[spec.state] ?? oneZero)
                }
            }.sorted { $0.state < $1.state },
            links: roster.links,
            rosterHex: hexOf(roster.canonicalBytes), signatureHex: hexOf(signed.signature),
            signedRosterHex: hexOf(signed.serializedBytes), rosterJSON: roster, refused: refused)
    }

    // MARK: Roster format 3: keys over time

    /// Version 9 of the vector roster in format 3 (docs/PROTOCOL.md §6.1, §6.5): MA's node rotated
    /// its keys at 12:30 on the roster's first day (its old keys are the history entry, its card
    /// holds the keys of MA-2), and LY, no longer a member, keeps its keys revoked since
    /// 2025-02-20. Then the keys in force at times around each `until`, MA→DZ envelopes across the
    /// rotation and roster bytes a decoder must refuse.
    static func rosterFormat3() throws -> RosterVectorFile {
        let roster = Fixtures.keyHistoryRoster()
        let signed = roster.signed(by: Fixtures.secretariatKey)
        let oneZero = RosterMember.defaultReadsSchema
        let (ma, ly, dz) = (Fixtures.ma, Fixtures.ly, Fixtures.dz)
        let (rotation, revocation) = (Fixtures.rotationTime, Fixtures.revocationTime)
        guard roster.retiredKeys.count == 2 else { throw GenerationError(description: "the key history has two entries") }
        let (lyEntry, maEntry) = (roster.retiredKeys[0], roster.retiredKeys[1])

        func entryBytes(_ entry: RetiredKeys) -> [UInt8] {
            var writer = ByteWriter()
            entry.write(to: &writer)
            return writer.bytes
        }
        /// Format-3 roster bytes written by hand: the roster's members and links, then `history`
        /// as given (`count` overrides the entry count, `raw` replaces the entries' bytes).
        func bytes(format: UInt8 = 3, history: [RetiredKeys], raw: [UInt8]? = nil, cut: Int? = nil, trailer: [UInt8] = [0]) -> String {
            var writer = ByteWriter()
            writer.write(raw: Roster.tag)
            writer.write(format)
            writer.write(roster.version)
            writer.write(roster.issuedAt.millisecondsSinceEpoch)
            writer.write(roster.expiresAt.millisecondsSinceEpoch)
            writer.write(count: roster.members.count)
            for member in roster.members {
                writer.write(member.role.rawValue)
                writer.write(member.readsSchema.major)
                writer.write(member.readsSchema.minor)
                writer.write(UInt16(member.card.canonicalBytes.count))
                writer.write(raw: member.card.canonicalBytes)
            }
            writer.write(count: roster.links.count)
            for link in roster.links {
                link.origin.write(to: &writer)
                link.recipient.write(to: &writer)
            }
            writer.write(count: history.count)
            writer.write(raw: raw ?? history.flatMap(entryBytes))
            writer.write(raw: trailer)  // the successor key's presence (and key)
            return hexOf(cut.map { Array(writer.bytes.prefix($0)) } ?? writer.bytes)
        }
        func replacing(
            _ entry: RetiredKeys, signing: Ed25519.PublicKey? = nil, encryption: X25519.PublicKey? = nil,
            transport: X25519.PublicKey? = nil, until: Timestamp? = nil, revocation: String?? = nil
        ) -> RetiredKeys {
            RetiredKeys(
                state: entry.state, signingKey: signing ?? entry.signingKey, encryptionKey: encryption ?? entry.encryptionKey,
                transportKey: transport ?? entry.transportKey, until: until ?? entry.until,
                revocation: revocation ?? entry.revocation)
        }
        let history = [lyEntry, maEntry]
        let impostorEntry = RetiredKeys(retiring: Fixtures.impostor.card, until: rotation)
        var badPresence = entryBytes(lyEntry) + entryBytes(maEntry)
        badPresence[2 + 96 + 8] = 2  // LY's presence byte
        let refused = [
            RefusedRoster(
                desc: "format 3 with a key history of zero entries: that roster is written in format 1 (one roster, one encoding)",
                rosterHex: bytes(history: []), wantErr: "malformed"),
            RefusedRoster(
                desc: "format 2 followed by the key history: format 2 ends after the links",
                rosterHex: bytes(format: 2, history: history), wantErr: "malformed"),
            RefusedRoster(
                desc: "cut inside MA's entry (its until)", rosterHex: bytes(history: history, cut: roster.canonicalBytes.count - 5),
                wantErr: "malformed"),
            RefusedRoster(
                desc: "LY's revocation presence byte is 2 (only 0, rotated, and 1, revoked, exist)",
                rosterHex: bytes(history: history, raw: badPresence), wantErr: "malformed"),
            RefusedRoster(
                desc: "the successor key's presence byte is 2 (only 0, none, and 1, a key follows, exist)",
                rosterHex: bytes(history: history, trailer: [2]), wantErr: "malformed"),
            RefusedRoster(
                desc: "no successor presence byte at all: format 3 ends with it",
                rosterHex: bytes(history: history, trailer: []), wantErr: "malformed"),
            RefusedRoster(
                desc: "the entries swapped: MA's before LY's (the order is by state, then until)",
                rosterHex: bytes(history: [maEntry, lyEntry]), wantErr: "retiredKeysOutOfOrder"),
            RefusedRoster(
                desc: "a second MA entry (the impostor's keys) with the same until as MA's: which keys were in force is ambiguous",
                rosterHex: bytes(history: [lyEntry, maEntry, impostorEntry]),
                wantErr: "duplicateRetiredKeys"),
            RefusedRoster(
                desc: "MA's entry keeps the transport key of MA's current card (MA-2): keys are never reused, a rotation makes three new keys",
                rosterHex: bytes(history: [lyEntry, replacing(maEntry, transport: Fixtures.maRotated.card.transportKey)]),
                wantErr: "reusedKey"),
            RefusedRoster(
                desc: "LY's entry signs with DZ's current signing key",
                rosterHex: bytes(history: [replacing(lyEntry, signing: dz.card.signingKey), maEntry]), wantErr: "reusedKey"),
            RefusedRoster(
                desc: "MA's entry with its encryption key also as its transport key",
                rosterHex: bytes(history: [lyEntry, replacing(maEntry, transport: ma.card.encryptionKey)]),
                wantErr: "retiredKeysShareKey"),
            RefusedRoster(
                desc: "LY's revocation reason with a line feed (a control character, Unicode category Cc)",
                rosterHex: bytes(history: [replacing(lyEntry, revocation: "keys copied\nby a former administrator"), maEntry]),
                wantErr: "invalidRevocation"),
            RefusedRoster(
                desc: "LY's revocation reason empty (presence 1, length 0): a revocation says why",
                rosterHex: bytes(history: [replacing(lyEntry, revocation: ""), maEntry]), wantErr: "invalidRevocation"),
        ]

        // The keys in force around each until.
        func at(_ time: Timestamp, minus: UInt64 = 0, plus: UInt64 = 0) -> Timestamp {
            Timestamp(millisecondsSinceEpoch: time.millisecondsSinceEpoch - minus + plus)
        }
        let allowed = roster.transportKeys(at:)
        func keys(_ state: StateCode, _ time: Timestamp, _ desc: String) -> KeysAtVector {
            KeysAtVector(
                desc: desc, state: state.description, at: time.millisecondsSinceEpoch,
                signingKey: roster.signingKey(of: state, at: time).map { hexOf($0.rawRepresentation) },
                acceptedSigningKeys: roster.signingKeys(of: state, at: time).map { hexOf($0.rawRepresentation) },
                encryptionKey: roster.encryptionKey(of: state, at: time).map { hexOf($0.rawRepresentation) },
                allowedTransportKey: allowed(time)[state]?.first.map { hexOf($0.rawRepresentation) },
                acceptedTransportKeys: (roster.acceptedTransportKeys(at: time)[state] ?? []).map { hexOf($0.rawRepresentation) })
        }
        let keysAt = [
            keys(ma.state, at(rotation, minus: 1), "MA 1 ms before its rotation: the keys of MA (identities.json), the history entry"),
            keys(ma.state, rotation, "MA at its rotation's until: the keys of MA-2, its current card"),
            keys(ma.state, at(rotation, plus: 1), "MA 1 ms after: MA-2"),
            keys(ma.state, Fixtures.issuedAt, "MA when the roster was issued (the rotation was scheduled): the old keys, its node is let in with MA's old transport key"),
            keys(ma.state, Fixtures.now, "MA at the vectors' now: MA-2"),
            keys(ly.state, at(revocation, minus: 1), "LY 1 ms before its keys' revocation: its keys verify what it signed then; "
                + "its node is never let in (a revoked key, and LY is not a member)"),
            keys(ly.state, revocation, "LY at the revocation: nothing (no member, no entry in force)"),
            keys(ly.state, at(revocation, plus: 1), "LY 1 ms after: nothing"),
            keys(dz.state, at(rotation, minus: 1), "DZ, which has no history: its card at every time"),
        ]

        // MA→DZ across the rotation, opened in order by DZ from the start of the link.
        var envelopes: [KeyHistoryEnvelopeVector] = []
        var position = ChainPosition.start
        func envelope(
            _ number: Int, by signer: NodeIdentity, label: String, at createdAt: Timestamp, _ desc: String,
            refused reason: RejectionReason? = nil
        ) throws {
            let metadata = BulletinMetadata(
                bulletinID: Fixtures.bulletinID("MA rotation \(number)", at: createdAt), createdAt: createdAt, tlp: .amber,
                schemaVersion: BodySchemaVersion(major: 1, minor: 0))
            let item = try happyEnvelope(
                number: number, summary: "across MA's rotation, envelope \(number)", metadata: metadata, to: dz,
                position: position, ephemeral: Fixtures.agreementKey("MA rotation \(number) ephemeral"), desc: desc, from: signer)
            envelopes.append(
                KeyHistoryEnvelopeVector(
                    desc: desc, signerLabel: label, position: position, envelope: item.vector,
                    wantErr: reason.map { WantedError(code: $0.rawValue, name: $0.name) }))
            if reason == nil { position = ChainPosition(after: item.envelope) }
        }
        try envelope(
            1, by: ma, label: "MA", at: at(rotation, minus: 1),
            "MA→DZ 1 signed with MA's old key, created 1 ms before the rotation's until: the old key is in force, accepted")
        try envelope(
            2, by: ma, label: "MA", at: rotation,
            "MA→DZ 2 signed with MA's old key, created at the until: the signature is checked with MA-2's key and fails "
                + "(203 badSignature, no receipt, DZ's position stays at 1); a retired key signs nothing new",
            refused: .badSignature)
        try envelope(
            3, by: Fixtures.maRotated, label: "MA-2", at: at(rotation, minus: 1),
            "MA→DZ 2 signed with MA-2's key, created before the until: accepted (the current card's key is trusted whatever "
                + "the date: MA switched when it installed the roster, before the until its old keys keep)")
        try envelope(
            4, by: Fixtures.maRotated, label: "MA-2", at: rotation,
            "MA→DZ 3 signed with MA-2's key, created at the until: accepted; the chain continues across the rotation")

        func retiredVector(_ entry: RetiredKeys, label: String, _ desc: String) -> RetiredKeysVector {
            RetiredKeysVector(
                desc: desc, state: entry.state.description, nodeLabel: label, signingKey: hexOf(entry.signingKey.rawRepresentation),
                encryptionKey: hexOf(entry.encryptionKey.rawRepresentation),
                transportKey: hexOf(entry.transportKey.rawRepresentation), until: entry.until.millisecondsSinceEpoch,
                revocation: entry.revocation, entryHex: hexOf(entryBytes(entry)))
        }
        return RosterVectorFile(
            desc: "Roster format 3 (docs/PROTOCOL.md §6.1, §6.5): version 9 of the vector roster with a key history. MA's node "
                + "rotated its keys at 2025-03-01T12:30:00Z (scheduled: the roster was issued at 00:00); its card holds the keys "
                + "of MA-2 (nodes[]), its old keys (MA of identities.json) are a history entry until then. LY, no longer a member, "
                + "keeps its keys revoked since 2025-02-20 (compromise). Every member reads schema 1.0, and format 3 still writes "
                + "each member's schema version. Then the keys in force around each until, MA→DZ envelopes across the rotation "
                + "and roster bytes a decoder must refuse",
            secretariatSeed: hexOf(Fixtures.secretariatKey.seed.exportedBytes()),
            secretariatKey: hexOf(Fixtures.secretariatKey.publicKey.rawRepresentation),
            version: roster.version, issuedAt: roster.issuedAt.millisecondsSinceEpoch,
            expiresAt: roster.expiresAt.millisecondsSinceEpoch, now: Fixtures.now.millisecondsSinceEpoch,
            members: Fixtures.nodeSpecs.compactMap { spec in
                spec.role.map {
                    RosterMemberRef(
                        state: spec.state, role: $0, nodeLabel: spec.state == "MA" ? Fixtures.rotatedMASpec.label : spec.label,
                        readsSchema: oneZero)
                }
            }.sorted { $0.state < $1.state },
            links: roster.links,
            rosterHex: hexOf(roster.canonicalBytes), signatureHex: hexOf(signed.signature),
            signedRosterHex: hexOf(signed.serializedBytes), rosterJSON: roster, refused: refused,
            nodes: [identityVector(Fixtures.rotatedMASpec, role: "MA's node after its rotation: roster-format-3.json's MA card")],
            retiredKeys: [
                retiredVector(
                    lyEntry, label: ly.card.state.description,
                    "LY's keys, revoked: trusted for what is dated before 2025-02-20T00:00:00Z only, its transport key never let in"),
                retiredVector(
                    maEntry, label: ma.card.state.description,
                    "MA's keys before its rotation: in force for what is dated before 2025-03-01T12:30:00Z"),
            ],
            keysAt: keysAt, envelopes: envelopes, handOver: try handOver(from: roster))
    }

    /// The roster key's hand-over (docs/PROTOCOL.md §6.6): version 10 (the version-9 roster and
    /// a successor key), signed by the secretariat's key; version 11, signed by the successor.
    static func handOver(from roster: Roster) throws -> HandOverVector {
        let successor = Fixtures.successorRosterKey
        let announcing = try Roster(
            version: 10, issuedAt: roster.issuedAt, expiresAt: roster.expiresAt, members: roster.members, links: roster.links,
            retiredKeys: roster.retiredKeys, successorKey: successor.publicKey)
        let takingOver = try Roster(
            version: 11, issuedAt: roster.issuedAt, expiresAt: roster.expiresAt, members: roster.members, links: roster.links,
            retiredKeys: roster.retiredKeys)
        return HandOverVector(
            desc: "Version 10 names the successor roster key (its 33 last bytes: presence 01 and the key) and is signed by the "
                + "secretariat's key: a node that installs it accepts rosters signed by the successor too. Version 11 is signed "
                + "by the successor and names none: a node that installs it pins the successor, and refuses the old key's rosters",
            successorSeed: hexOf(successor.seed.exportedBytes()), successorKey: hexOf(successor.publicKey.rawRepresentation),
            announcingRosterHex: hexOf(announcing.canonicalBytes),
            announcingSignedRosterHex: hexOf(announcing.signed(by: Fixtures.secretariatKey).serializedBytes),
            takingOverSignedRosterHex: hexOf(takingOver.signed(by: successor).serializedBytes))
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
        // MA→ES envelopes 1 and 2: two bulletins on one link under ONE ephemeral key (§7.6, as a
        // node seals for up to 1,024 envelopes or 60 s): the same body key, different nonces.
        let shared = Fixtures.agreementKey("MA shared ephemeral, PROTOCOL.md 7.6")
        var toSpain = ChainPosition.start
        for (number, summary, minutes) in [(4, "two cars with forged plates at Tanger Med", UInt64(40)), (5, "the same cars seen at Ceuta", 52)] {
            let createdAt = base.adding(milliseconds: minutes * 60_000)
            let metadata = BulletinMetadata(
                bulletinID: Fixtures.bulletinID("MA \(number)", at: createdAt), createdAt: createdAt, tlp: .amber,
                schemaVersion: BodySchemaVersion(major: 1, minor: 0))
            let item = try happyEnvelope(
                number: number, summary: summary, metadata: metadata, to: Fixtures.es, position: toSpain, ephemeral: shared,
                desc: "MA→ES envelope \(number - 3): bulletin \(number), the ephemeral key shared by MA→ES 1 and 2 "
                    + "(one body key, two nonces)")
            result.append(item)
            toSpain = ChainPosition(after: item.envelope)
        }
        return result
    }

    static func happyEnvelope(
        number: Int, summary: String, metadata: BulletinMetadata, to recipient: NodeIdentity, position: ChainPosition,
        ephemeral: X25519.PrivateKey, desc: String, body givenBody: [UInt8]? = nil, from origin: NodeIdentity = Fixtures.ma
    ) throws -> HappyEnvelope {
        let body = givenBody ?? Fixtures.body(number, summary: summary)
        let envelope = try Envelope.seal(
            body, metadata: metadata, from: origin, to: EnvelopeRecipient(card: recipient.card, position: position),
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
            desc: "Envelopes sealed by MA (docs/PROTOCOL.md §7): a chain of three on the link MA→DZ, one on MA→MR, and two "
                + "on MA→ES under one ephemeral key (§7.6); "
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
            got: EnvelopeHash? = nil, accepted: EnvelopeHash? = nil
        ) -> Probe {
            (
                name,
                RejectionVector(
                    desc: desc, recipient: dz, position: position, envelopeHex: hexOf(bytes), appendZeroBytes: append,
                    acceptedHash: accepted?.description,
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
            probe("conflict-seq-2",
                  "a second MA→DZ sequence 2, validly signed by MA and correctly chained to envelope 1, after DZ accepted envelope 2 "
                      + "(acceptedHash): the opener says duplicate 300 (sequence 2 ≤ position 2); the node finds another hash stored "
                      + "for sequence 2 and refuses it as conflict 303, with a rejected receipt naming this envelope's sequence and hash "
                      + "(receipts.json) — the origin signed two envelopes for one position",
                  try conflictingEnvelope2().bytes, position: after2, .conflict, sequence: 2, accepted: e2.hash),
            probe("length-field-over-limit",
                  "envelope 2 whose length field L (bytes 104–107) says \(lengthOverLimit): 108 + L + 64 = \(108 + lengthOverLimit + 64) > 98304, "
                      + "oversized although the bytes themselves are small (checked before truncated, before the signature)",
                  withLength(e2.bytes, lengthOverLimit), position: after1, .oversized),
            probe("length-field-past-end",
                  "envelope 2 whose length field says one byte more than its ciphertext (\(e2.ciphertext.count + 1)): "
                      + "108 + L + 64 is within the limit but beyond the end of the bytes",
                  withLength(e2.bytes, UInt32(e2.ciphertext.count + 1)), position: after1, .truncated),
            probe("non-canonical-signature-s-plus-l",
                  "envelope 2 with the group order L added to its signature's S (bytes 32–63 of the signature, little-endian): "
                      + "[S+L]B = [S]B, so a verifier that does not insist on S < L accepts it (a second valid-looking signature, "
                      + "hence another envelope hash); docs/PROTOCOL.md §1 requires refusing it, as libsodium does",
                  nonCanonical(e2.bytes), position: after1, .badSignature),
        ]
    }

    /// A second, validly signed MA→DZ envelope 2 (another body, chained to envelope 1): the
    /// conflict of rejections/conflict-seq-2.json and of the 303 receipt of receipts.json.
    static func conflictingEnvelope2() throws -> Envelope {
        let happy = try happyPath()
        return try Envelope.seal(
            Fixtures.body(2, summary: "probe conflict"), metadata: happy[1].envelope.header.metadata, from: Fixtures.ma,
            to: EnvelopeRecipient(card: Fixtures.dz.card, position: ChainPosition(after: happy[0].envelope)),
            ephemeralKey: Fixtures.agreementKey("probe conflict ephemeral"))
    }

    /// A length field `L` with 108 + L + 64 one byte over the 96 KiB envelope limit.
    static let lengthOverLimit = UInt32(EnvelopeLimits.standard.maximumEnvelopeByteCount - 172 + 1)

    /// `bytes` with its ciphertext length field (bytes 104–107, u32 big-endian) replaced.
    static func withLength(_ bytes: [UInt8], _ length: UInt32) -> [UInt8] {
        var copy = bytes
        copy.replaceSubrange(104..<108, with: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> UInt32($0)) })
        return copy
    }

    /// The Ed25519 group order L = 2^252 + 27742317777372353535851937790883648493, little-endian.
    static let groupOrder: [UInt8] = hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")

    /// `bytes` (an envelope) with L added to the S half of its signature: S + L < 2^256 since S < L < 2^253.
    static func nonCanonical(_ bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        let sOffset = bytes.count - 32
        var carry = 0
        for index in 0..<32 {
            let sum = Int(copy[sOffset + index]) + Int(groupOrder[index]) + carry
            copy[sOffset + index] = UInt8(sum & 0xFF)
            carry = sum >> 8
        }
        return copy
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
        let conflicting = try conflictingEnvelope2()
        let conflict = Receipt(
            for: conflicting, receivedAt: e2.header.metadata.createdAt.adding(milliseconds: 60_000), status: .rejected(.conflict))
        let signedConflict = try conflict.signed(by: Fixtures.dz)

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
                vector(
                    rejected, signedRejected,
                    "an encoding example only: a rejected receipt with reason 203 badSignature for a tampered MA→DZ envelope 2. "
                        + "A node following docs/PROTOCOL.md §11.1 never sends it: an envelope refused at steps 1–6 of §8 has no "
                        + "authenticated origin and gets no receipt (it is audited)"),
                vector(
                    conflict, signedConflict,
                    "DZ rejects the conflicting MA→DZ envelope 2 of rejections/conflict-seq-2.json with 303 conflict; the receipt "
                        + "names that envelope's sequence (2) and hash, not the envelope 2 DZ accepted"),
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

    // MARK: Transport

    /// `value` as 8 bytes, big-endian (docs/PROTOCOL.md §16: every integer of a transport frame).
    static func u64(_ value: UInt64) -> [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) }
    }

    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Every message of docs/PROTOCOL.md §16, built from the chapter (not from the node's
    /// encoder, which Tests/NodeTests/TransportVectorTests.swift checks against these bytes).
    /// The link is MA→DZ of envelopes.json: MA publishes and serves, DZ subscribes and asks.
    static func transport() throws -> TransportVectorFile {
        let happy = try happyPath()
        let receipts = try receipts()
        let dz = ascii("DZ")
        let (envelope, heartbeat) = (ascii("E"), ascii("H"))
        func message(
            _ message: String, _ socket: String, _ section: String, _ desc: String, _ frames: [[UInt8]],
            topic: String? = nil, kind: String? = nil, latest: UInt64? = nil, acknowledged: UInt64? = nil,
            after: UInt64? = nil, envelopes: [UInt64]? = nil, receipt: Int? = nil, arguments: [UInt64]? = nil,
            text: String? = nil, bulletinId: String? = nil
        ) -> TransportMessageVector {
            TransportMessageVector(
                desc: desc, message: message, socket: socket, section: section, framesHex: frames.map { hexOf($0) },
                topic: topic, kind: kind, latest: latest, acknowledged: acknowledged, after: after,
                envelopeSequences: envelopes, receiptIndex: receipt, arguments: arguments, text: text, bulletinId: bulletinId)
        }
        let (pub, service, answer) = ("XPUB → SUB", "DEALER → ROUTER", "ROUTER → DEALER")
        let refusal = "only the secretariat may read the audit log"
        let rosterVector = roster()
        // Chunk 0 of attachment 2 of attachment.json (its one chunk, 316 sealed bytes).
        let attachmentVerb = ascii("attachment")
        let attachmentSpec = attachmentFiles[1]
        let attachmentPlace = [attachmentSpec.bulletinID.bytes, u64(UInt64(attachmentSpec.number)), u64(0)]
        let attachmentChunk = try attachmentSealed(attachmentSpec, index: 0)
        // DZ's receipt for attachment 1 of attachment.json (receipts.signed[0]), and MA's answer.
        let receiptVerb = ascii("attachment-receipt")
        let heldSpec = attachmentReceiptSpecs[0]
        let heldFile = attachmentFiles[heldSpec.file]
        return TransportVectorFile(
            desc: "The ZeroMQ messages of docs/PROTOCOL.md §16 on the link MA→DZ of envelopes.json: MA's XPUB publishes to "
                + "DZ's SUB, DZ's DEALER asks MA's ROUTER. framesHex are the frames as sent by the application (a ROUTER sees "
                + "the peer's routing id before a DEALER's frames and puts one before its answer; neither is on this list). "
                + "Integers are u64 big-endian.",
            messages: [
                message(
                    "subscription", "SUB → XPUB", "§16.2",
                    "DZ subscribes to MA's publisher: one frame, 0x01 ‖ \"DZ\" (libzmq writes it when the SUB subscribes to "
                        + "the topic \"DZ\"). Applied only because the connection's CURVE key is DZ's transport key and the "
                        + "roster links MA→DZ; any other topic is refused (notLinked) and nothing is published to that peer",
                    [[0x01] + dz], topic: "DZ"),
                message(
                    "envelope", pub, "§16.2",
                    "MA publishes MA→DZ envelope 1: [topic \"DZ\", kind \"E\", envelope bytes of envelopes.json]",
                    [dz, envelope, happy[0].envelope.bytes], topic: "DZ", kind: "E", envelopes: [1]),
                message(
                    "heartbeat", pub, "§16.2, §16.4",
                    "MA's heartbeat on MA→DZ when 3 envelopes are sealed and DZ's receipt for 3 is held: nothing to do for a "
                        + "recipient at position 3",
                    [dz, heartbeat, u64(3) + u64(3)], topic: "DZ", kind: "H", latest: 3, acknowledged: 3),
                message(
                    "heartbeat", pub, "§16.4",
                    "3 sealed, only 1 acknowledged (DZ's receipts for 2 and 3 were lost): a recipient at position 3 sends its "
                        + "cumulative accepted receipt for 3 again",
                    [dz, heartbeat, u64(3) + u64(1)], topic: "DZ", kind: "H", latest: 3, acknowledged: 1),
                message(
                    "heartbeat", pub, "§16.4",
                    "3 sealed, 5 acknowledged: for a recipient at position 3 the acknowledged number is above its position; "
                        + "refused as implausibleClaim (602), counted, and ignored (no receipt, no replay)",
                    [dz, heartbeat, u64(3) + u64(5)], topic: "DZ", kind: "H", latest: 3, acknowledged: 5),
                message(
                    "heartbeat", pub, "§16.4",
                    "a heartbeat claiming 2^64−1 sealed, 0 acknowledged: a hint, never evidence. A recipient at position p does "
                        + "nothing at this heartbeat; if at the next heartbeat it is still below 2^64−1 it sends one replay "
                        + "request (after p) and audits it for at most one batch (p+1 … p+replay_batch, e.g. p+256), never up to "
                        + "2^64−1; if that answer brings no envelope it refuses the claim as implausibleClaim (602) and takes no "
                        + "replay hint from MA's heartbeats for 60 s",
                    [dz, heartbeat, u64(.max) + u64(0)], topic: "DZ", kind: "H", latest: .max, acknowledged: 0),
                message(
                    "replay", service, "§16.3",
                    "DZ asks MA for its link from the start: after 0 (exclusive), i.e. sequences 1, 2, … up to one batch",
                    [ascii("replay"), u64(0)], after: 0),
                message(
                    "replay", service, "§16.3",
                    "DZ, at position 5, asks for sequences 6, 7, … (after is the last sequence it holds)",
                    [ascii("replay"), u64(5)], after: 5),
                message(
                    "envelopes", answer, "§16.3",
                    "MA's answer to \"replay after 1\" when its link to DZ is at 3: latest 3, then MA→DZ envelopes 2 and 3 "
                        + "of envelopes.json, one frame each, ascending",
                    [ascii("envelopes"), u64(3), happy[1].envelope.bytes, happy[2].envelope.bytes], latest: 3, envelopes: [2, 3]),
                message(
                    "envelopes", answer, "§16.3",
                    "MA's answer to \"replay after 3\" when its link to DZ is at 3: latest 3 and no envelope (two frames)",
                    [ascii("envelopes"), u64(3)], latest: 3, envelopes: []),
                message(
                    "receipt", service, "§16.3, §11",
                    "DZ sends MA its signed cumulative receipt for MA→DZ envelope 3 (receipts.json receipts[0], 124 bytes); "
                        + "no answer",
                    [ascii("receipt"), try hex(#require(receipts.receipts.first).signedReceiptHex)], receipt: 0),
                message(
                    "audit-head", service, "§16.3, docs/AUDIT.md §12.1",
                    "the secretariat asks for a fresh signed tree head; answer [\"audit-head\", 151-byte BNTH head]",
                    [ascii("audit-head")]),
                message(
                    "audit-consistency", service, "§16.3, docs/AUDIT.md §12.1",
                    "the secretariat asks for the consistency proof from the tree of 7 entries to that of 8; answer "
                        + "[\"audit-consistency\", BNCP proof]",
                    [ascii("audit-consistency"), u64(7), u64(8)], arguments: [7, 8]),
                message(
                    "audit-inclusion", service, "§16.3, docs/AUDIT.md §12.1",
                    "the secretariat asks for the inclusion proof of entry 3 in the tree of 8 entries; answer "
                        + "[\"audit-inclusion\", BNIP proof]",
                    [ascii("audit-inclusion"), u64(3), u64(8)], arguments: [3, 8]),
                message(
                    "audit-entries", service, "§16.3, docs/AUDIT.md §12.1",
                    "the secretariat asks for up to 1000 entries from index 0; answer [\"audit-entries\", u64 0, entry…], "
                        + "one frame per entry, fewer when the log ends",
                    [ascii("audit-entries"), u64(0), u64(1_000)], arguments: [0, 1_000]),
                message(
                    "roster", service, "§16.3 (Rosters)",
                    "DZ, holding roster version 6, asks MA for a newer one; answer [\"roster\", version] or [\"roster\", "
                        + "version, signed roster]",
                    [ascii("roster"), u64(6)], arguments: [6]),
                message(
                    "roster-answer", answer, "§16.3 (Rosters)",
                    "MA's answer when it holds roster \(rosterVector.version) and DZ holds \(rosterVector.version) or newer: its "
                        + "version only (two frames)",
                    [ascii("roster"), u64(rosterVector.version)], arguments: [rosterVector.version]),
                message(
                    "roster-answer", answer, "§16.3 (Rosters)",
                    "MA's answer to \"roster 6\" when it holds roster \(rosterVector.version): its version and the signed roster "
                        + "of roster.json (signedRosterHex), which DZ verifies as roster install does (§6.4) before it believes "
                        + "anything in it",
                    [ascii("roster"), u64(rosterVector.version), try hex(rosterVector.signedRosterHex)],
                    arguments: [rosterVector.version]),
                message(
                    "attachment", service, "§17.3",
                    "DZ asks MA for chunk 0 of attachment 2 of bulletin \(attachmentSpec.bulletinID.ulid) (attachment.json "
                        + "files[1]): [\"attachment\", bulletin id (16 bytes), number (u64, 1 … 65,535), index (u64)]; MA serves it "
                        + "only if it sent DZ that bulletin",
                    [attachmentVerb] + attachmentPlace, arguments: [UInt64(attachmentSpec.number), 0],
                    bulletinId: attachmentSpec.bulletinID.ulid),
                message(
                    "attachment-answer", answer, "§17.3",
                    "MA's answer: the request's four frames, then the sealed chunk (attachment.json files[1].chunks[0].sealedHex), "
                        + "which DZ takes only if it asked for that place and opens under the attachment's key with the place as "
                        + "associated data",
                    [attachmentVerb] + attachmentPlace + [attachmentChunk], arguments: [UInt64(attachmentSpec.number), 0],
                    bulletinId: attachmentSpec.bulletinID.ulid),
                message(
                    "attachment-answer", answer, "§17.3",
                    "MA's answer when it does not serve the chunk to DZ (no such attachment, or the bulletin was not sent to DZ): "
                        + "the request's four frames and nothing more; DZ stops pulling that attachment",
                    [attachmentVerb] + attachmentPlace, arguments: [UInt64(attachmentSpec.number), 0],
                    bulletinId: attachmentSpec.bulletinID.ulid),
                message(
                    "attachment-receipt", service, "§17.4",
                    "DZ tells MA it holds attachment 1 of bulletin \(heldFile.bulletinID.ulid) (attachment.json files[0]): "
                        + "[\"attachment-receipt\", signed attachment receipt (132 bytes: attachment.json "
                        + "receipts.signed[0].signedReceiptHex)]; DZ sends it again every 30 s until MA answers",
                    [receiptVerb, attachmentReceiptSigned(heldSpec)], arguments: [UInt64(heldFile.number)],
                    bulletinId: heldFile.bulletinID.ulid),
                message(
                    "attachment-receipt-answer", answer, "§17.4",
                    "MA's answer once the receipt verifies, names an attachment of that number and hash of a bulletin MA sent DZ, "
                        + "and is kept: [\"attachment-receipt\", bulletin id (16 bytes), number (u64)]; DZ stops sending it",
                    [receiptVerb, heldFile.bulletinID.bytes, u64(UInt64(heldFile.number))],
                    arguments: [UInt64(heldFile.number)], bulletinId: heldFile.bulletinID.ulid),
                message(
                    "audit-refused", answer, "§16.3, docs/AUDIT.md §12.1",
                    "a node's answer to an audit request it will not serve (here: from a peer that is not the roster's "
                        + "secretariat); the second frame is UTF-8 text for an operator",
                    [ascii("audit-refused"), ascii(refusal)], text: refusal),
            ])
    }

    // MARK: Bulletin bodies

    /// Envelopes whose bodies are, or are not, valid bulletins (docs/PROTOCOL.md §8 step 10): the
    /// examples of `Schemas/examples` on the links DZ→MA and TN→DZ, and refusals of the bulletin
    /// (500) that keep their place in the chain.
    static func bulletins() throws -> BulletinEnvelopeVectorFile {
        let drugs = Array((BulletinBodies.drugTrafficking + "\n").utf8)
        let arms = Array((BulletinBodies.armsTrafficking + "\n").utf8)
        let drugsReference = "DZ-01JFK6SY9541SJ3EQHB6GD1GHC"
        let armsReference = "TN-01JAEKG252XHYN9C4TCWHBPVMC"
        let sealedAt = Timestamp(millisecondsSinceEpoch: 1_741_940_100_000)  // 2025-03-14T08:15:00Z, the report's time
        let schema10 = BodySchemaVersion(major: 1, minor: 0)

        /// The drug-trafficking example under another id (so each bulletin has its own).
        func drugsBody(as reference: String) -> [UInt8] {
            Array(BulletinBodies.drugTrafficking.replacingOccurrences(of: drugsReference, with: reference).utf8) + [0x0A]
        }
        func accepted(_ reason: String) -> WantedStatus { WantedStatus(status: "accepted", code: 0, name: "accepted", reason: reason) }
        func invalid(_ reason: String) -> WantedStatus {
            WantedStatus(
                status: "rejected", code: RejectionReason.invalidBulletin.rawValue, name: RejectionReason.invalidBulletin.name,
                reason: reason)
        }

        var result: [BulletinEnvelopeVector] = []
        var position = ChainPosition.start
        /// The next DZ→MA envelope (sequence = position + 1).
        func dzToMA(
            _ number: Int, body: [UInt8], id: BulletinID, tlp: TLP, schema: BodySchemaVersion, source: String, desc: String,
            want: WantedStatus
        ) throws {
            let createdAt = sealedAt.adding(milliseconds: UInt64(number - 1) * 60_000)
            let item = try happyEnvelope(
                number: number, summary: "", metadata: BulletinMetadata(bulletinID: id, createdAt: createdAt, tlp: tlp, schemaVersion: schema),
                to: Fixtures.ma, position: position, ephemeral: Fixtures.agreementKey("DZ bulletin \(number) ephemeral"),
                desc: desc, body: body, from: Fixtures.dz)
            result.append(BulletinEnvelopeVector(desc: desc, bodySource: source, envelope: item.vector, want: want))
            position = ChainPosition(after: item.envelope)
        }
        func newID(_ number: Int) -> BulletinID {
            Fixtures.bulletinID("DZ \(number)", at: sealedAt.adding(milliseconds: UInt64(number - 1) * 60_000))
        }

        try dzToMA(
            1, body: drugs, id: try BulletinID.parse(reference: drugsReference).id, tlp: .amber, schema: schema10,
            source: "Schemas/examples/drug-trafficking.json",
            desc: "DZ→MA envelope 1: the drug-trafficking example, byte for byte; header bulletin id, TLP:AMBER and schema 1.0 "
                + "match the body's id, tlp and schemaVersion \"1.0.0\"",
            want: accepted("a valid bulletin whose id, tlp and schema major version agree with the header"))
        let id2 = newID(2)
        try dzToMA(
            2, body: drugsBody(as: id2.reference(origin: Fixtures.dz.state)), id: id2, tlp: .green, schema: schema10,
            source: "Schemas/examples/drug-trafficking.json with id \(id2.reference(origin: Fixtures.dz.state))",
            desc: "DZ→MA envelope 2: a valid bulletin (tlp AMBER) in an envelope whose header says TLP:GREEN",
            want: invalid("the body's tlp (AMBER) differs from the header's TLP code (1, GREEN); the envelope keeps its place: MA's position becomes 2"))
        let id3 = newID(3)
        let notABulletin = #"{"schemaVersion":"1.0.0","id":"\#(id3.reference(origin: Fixtures.dz.state))","incidentType":"drug-trafficking","tlp":"AMBER"}"#
        try dzToMA(
            3, body: Array(notABulletin.utf8), id: id3, tlp: .amber, schema: schema10,
            source: "no example: a JSON object with only schemaVersion, id, incidentType and tlp",
            desc: "DZ→MA envelope 3: decrypts to JSON that is not a valid bulletin (title, summary, occurredAt and the other "
                + "required members are missing)",
            want: invalid("the body fails the bulletin schema; the envelope keeps its place: MA's position becomes 3"))
        let id4 = newID(4)
        try dzToMA(
            4, body: drugsBody(as: id4.reference(origin: Fixtures.dz.state)), id: id4, tlp: .amber,
            schema: BodySchemaVersion(major: 2, minor: 0),
            source: "Schemas/examples/drug-trafficking.json with id \(id4.reference(origin: Fixtures.dz.state))",
            desc: "DZ→MA envelope 4: a valid bulletin (schemaVersion \"1.0.0\") in an envelope whose header says schema 2.0",
            want: invalid("the body's schema major version (1) differs from the header's (2); MA's position becomes 4"))

        let armsItem = try happyEnvelope(
            number: 1, summary: "",
            metadata: BulletinMetadata(
                bulletinID: try BulletinID.parse(reference: armsReference).id,
                createdAt: Timestamp(millisecondsSinceEpoch: 1_737_571_200_000),  // 2025-01-22T18:40:00Z, the report's time
                tlp: .amberStrict, schemaVersion: schema10),
            to: Fixtures.dz, position: .start, ephemeral: Fixtures.agreementKey("TN bulletin 1 ephemeral"),
            desc: "TN→DZ envelope 1: the arms-trafficking example, byte for byte; TLP:AMBER+STRICT, schema 1.0",
            body: arms, from: Fixtures.tn)
        result.append(
            BulletinEnvelopeVector(
                desc: armsItem.vector.desc, bodySource: "Schemas/examples/arms-trafficking.json", envelope: armsItem.vector,
                want: accepted("a valid bulletin whose id, tlp and schema major version agree with the header")))

        return BulletinEnvelopeVectorFile(
            desc: "Envelopes whose bodies are bulletins (docs/SCHEMAS.md), opened as in envelopes.json; then the recipient "
                + "node validates the body and compares it with the header (docs/PROTOCOL.md §8 step 10): `want` is "
                + "the status of the receipt it sends. A refused bulletin still takes its place in the chain",
            envelopes: result)
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
            "roster-format-2.json": try encoder.encode(rosterFormat2()),
            "roster-format-3.json": try encoder.encode(rosterFormat3()),
            "envelopes.json": try encoder.encode(envelopes()),
            "receipts.json": try encoder.encode(receipts()),
            "transport.json": try encoder.encode(transport()),
            "bulletins.json": try encoder.encode(bulletins()),
            "attachment.json": try encoder.encode(attachment()),
        ]
        for probe in try rejections() {
            files["rejections/\(probe.name).json"] = try encoder.encode(probe.vector)
        }
        return files.mapValues { $0 + Data("\n".utf8) }
    }
}
