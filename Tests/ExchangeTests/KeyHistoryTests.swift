import Foundation
import Sodium
import Testing

@testable import Exchange

/// Roster format 3: the key history, so that what was signed before a rotation still verifies
/// (docs/PROTOCOL.md §6.1, §6.5).
@Suite("Roster: keys over time (format 3)")
struct KeyHistoryTests {
    static let rotation = Fixtures.rotationTime
    static let revocation = Fixtures.revocationTime

    static func time(_ base: Timestamp, _ offset: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: UInt64(Int64(base.millisecondsSinceEpoch) + offset))
    }

    /// An entry of `code` with public keys made from `label` (no private half needed: the roster
    /// only compares keys).
    static func entry(_ label: String, state code: String, until: Timestamp, revocation: String? = nil) -> RetiredKeys {
        func bytes(_ kind: String) -> [UInt8] { Array(SHA256.hash(Array("key history test \(label) \(kind)".utf8))) }
        return RetiredKeys(
            state: state(code),
            signingKey: (try? Ed25519.PublicKey(rawRepresentation: bytes("signing"))) ?? Fixtures.ly.card.signingKey,
            encryptionKey: (try? X25519.PublicKey(rawRepresentation: bytes("encryption")))
                ?? Fixtures.ly.card.encryptionKey,
            transportKey: (try? X25519.PublicKey(rawRepresentation: bytes("transport")))
                ?? Fixtures.ly.card.transportKey,
            until: until, revocation: revocation)
    }

    static func build(_ retiredKeys: [RetiredKeys], members: [RosterMember] = Fixtures.rotatedMembers)
        throws(RosterError) -> Roster
    {
        try Roster(
            version: 9, issuedAt: Fixtures.issuedAt, expiresAt: Fixtures.expiresAt, members: members,
            links: Fixtures.links,
            retiredKeys: retiredKeys)
    }

    // MARK: Encoding

    @Test("a key history makes format 3, whose bytes and JSON decode to the same roster; entries come out sorted")
    func roundTrip() throws {
        let roster = Fixtures.keyHistoryRoster()
        #expect(roster.format == 3)
        #expect(roster.canonicalBytes[4] == 3)
        #expect(roster.retiredKeys.map(\.state) == [Fixtures.ly.state, Fixtures.ma.state])
        // Format 2's layout (2 schema bytes per member, everyone at 1.0 here), then the history.
        let formatTwoSize =
            Fixtures.standardRoster.canonicalBytes.count + 2 * roster.members.count
        let historySize = 2 + (2 + 96 + 8 + 1) * 2 + 2 + Fixtures.revocationReason.utf8.count
        #expect(roster.canonicalBytes.count == formatTwoSize + historySize + 1, "and the successor key's presence byte, 0")
        let decoded = try Roster(canonicalBytes: roster.canonicalBytes)
        #expect(decoded == roster)
        #expect(decoded.retiredKeys == roster.retiredKeys)
        #expect(decoded.retiredKeys[0].revocation == Fixtures.revocationReason)
        #expect(decoded.retiredKeys[1].revocation == nil)

        let json = try JSONEncoder().encode(roster)
        let fromJSON = try JSONDecoder().decode(Roster.self, from: json)
        #expect(fromJSON == roster)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["format"] as? Int == 3)
        let entries = try #require(object["retiredKeys"] as? [[String: Any]])
        #expect(entries.count == 2)
        #expect(entries[1]["signingKey"] as? String == Hex.encode(Fixtures.ma.card.signingKey.rawRepresentation))
        #expect(entries[1]["until"] as? Int == Int(Self.rotation.millisecondsSinceEpoch))
        #expect(entries[1]["revocation"] == nil)
        #expect(entries[0]["revocation"] as? String == Fixtures.revocationReason)
        #expect((object["members"] as? [[String: Any]])?.allSatisfy { $0["readsSchema"] is String } == true)

        // Any input order gives the canonical order.
        let reversed = try Self.build(Fixtures.keyHistory.reversed())
        #expect(reversed == roster)
    }

    @Test("a roster without a key history is format 1 or 2 byte for byte, with the JSON it had")
    func formatsOneAndTwoUnchanged() throws {
        let one = try Roster(
            version: 7, issuedAt: Fixtures.issuedAt, expiresAt: Fixtures.expiresAt, members: Fixtures.members,
            links: Fixtures.links,
            retiredKeys: [])
        #expect(one == Fixtures.standardRoster)
        #expect(one.format == 1 && one.retiredKeys.isEmpty)
        let vector = try VectorLoader.load(RosterVectorFile.self, "roster.json")
        #expect(one.canonicalBytes == hex(vector.rosterHex))
        let two = Fixtures.roster(version: 8, reads: VectorGenerator.format2Reads)
        #expect(two.format == 2)
        #expect(
            two.canonicalBytes == hex(try VectorLoader.load(RosterVectorFile.self, "roster-format-2.json").rosterHex))
        for roster in [one, two] {
            let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(roster)) as? [String: Any]
            #expect(object?["retiredKeys"] == nil)
            #expect(roster.switchTime(of: Fixtures.ma.state) == nil)
            #expect(
                roster.signingKey(of: Fixtures.ma.state, at: Fixtures.now)
                    == roster.member(Fixtures.ma.state)?.card.signingKey)
            #expect(roster.nextKeyChange(after: .init(millisecondsSinceEpoch: 0)) == nil)
        }
        // JSON with an empty history is that roster too.
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(one)) as? [String: Any])
        object["retiredKeys"] = [Any]()
        #expect(try JSONDecoder().decode(Roster.self, from: JSONSerialization.data(withJSONObject: object)) == one)
    }

    @Test(
        "decoding refuses format 3 with no entry, entries out of order or twice, a bad presence byte, and trailing bytes"
    )
    func strictDecoding() throws {
        let roster = Fixtures.keyHistoryRoster()
        let bytes = roster.canonicalBytes
        let history = roster.retiredKeys
        // The entries and the successor key's presence byte (0: none) that ends format 3.
        func entryBytes(_ entries: [RetiredKeys]) -> [UInt8] {
            var writer = ByteWriter()
            writer.write(count: entries.count)
            for entry in entries { entry.write(to: &writer) }
            writer.write(UInt8(0))
            return writer.bytes
        }
        let prefix = Array(bytes.prefix(bytes.count - entryBytes(history).count))
        #expect(try Roster(canonicalBytes: prefix + entryBytes(history)) == roster)

        guard
            case .invalidField(field: "roster format version", _)? = RosterSchemaVersionTests.formatError(
                prefix + entryBytes([]))
        else {
            Issue.record("format 3 with zero entries not refused as a non-canonical format")
            return
        }
        #expect(throws: RosterError.retiredKeysOutOfOrder(state: Fixtures.ly.state, until: Self.revocation)) {
            try Roster(canonicalBytes: prefix + entryBytes(history.reversed()))
        }
        let twice = Self.entry("MA twice", state: "MA", until: Self.rotation)
        #expect(throws: RosterError.duplicateRetiredKeys(state: Fixtures.ma.state, until: Self.rotation)) {
            try Roster(canonicalBytes: prefix + entryBytes(history + [twice]))
        }
        // Two MA entries, the later one first.
        let earlier = Self.entry("MA earlier", state: "MA", until: Self.time(Self.rotation, -60_000))
        #expect(throws: RosterError.retiredKeysOutOfOrder(state: Fixtures.ma.state, until: earlier.until)) {
            try Roster(canonicalBytes: prefix + entryBytes(history + [earlier]))
        }
        var badPresence = prefix + entryBytes(history)
        badPresence[badPresence.count - 2] = 2  // MA's (last) entry: a rotation, its presence byte last
        guard
            case .invalidField(field: "key history revocation presence", _)? = RosterSchemaVersionTests.formatError(
                badPresence)
        else {
            Issue.record("presence byte 2 not refused")
            return
        }
        #expect(throws: RosterError.malformed(.trailingBytes(what: "roster", count: 1))) {
            try Roster(canonicalBytes: bytes + [0])
        }
        var badSuccessor = prefix + entryBytes(history)
        badSuccessor[badSuccessor.count - 1] = 2
        guard case .invalidField(field: "successor key presence", _)? = RosterSchemaVersionTests.formatError(badSuccessor) else {
            Issue.record("a successor presence byte 2 not refused")
            return
        }
        for cut in [1, 5, 40, 108] {
            guard case .truncated? = RosterSchemaVersionTests.formatError(Array(bytes.dropLast(cut))) else {
                Issue.record("a format-3 roster without its last \(cut) bytes is not refused as truncated")
                continue
            }
        }
        // A count above the limit is refused before reading the entries.
        var tooMany = prefix
        tooMany += [0x10, 0x01]  // 4097
        #expect(throws: RosterError.invalidSize(reason: "4097 key history entries, at most 4096")) {
            try Roster(canonicalBytes: tooMany)
        }
        // Format 2 (or 1) bytes followed by a history: trailing bytes.
        var asFormatTwo = bytes
        asFormatTwo[4] = 2
        #expect(throws: RosterError.malformed(.trailingBytes(what: "roster", count: entryBytes(history).count))) {
            try Roster(canonicalBytes: asFormatTwo)
        }
    }

    @Test("JSON: the format must be the one the key history implies")
    func jsonFormat() throws {
        let roster = Fixtures.keyHistoryRoster()
        var object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(roster)) as? [String: Any])
        for wrong in [1, 2, 4] {
            object["format"] = wrong
            #expect(throws: DecodingError.self, "format \(wrong)") {
                try JSONDecoder().decode(Roster.self, from: JSONSerialization.data(withJSONObject: object))
            }
        }
        object["format"] = 3
        object["retiredKeys"] = [Any]()
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Roster.self, from: JSONSerialization.data(withJSONObject: object))
        }
        object.removeValue(forKey: "retiredKeys")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Roster.self, from: JSONSerialization.data(withJSONObject: object))
        }
        // A key that is not 64 hex digits.
        var broken = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(roster)) as? [String: Any])
        var entries = try #require(broken["retiredKeys"] as? [[String: Any]])
        entries[0]["signingKey"] = "abcd"
        broken["retiredKeys"] = entries
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Roster.self, from: JSONSerialization.data(withJSONObject: broken))
        }
        let entry = try JSONDecoder().decode(RetiredKeys.self, from: JSONEncoder().encode(roster.retiredKeys[0]))
        #expect(entry == roster.retiredKeys[0])
    }

    // MARK: Well-formedness

    @Test("every key of an entry is new: not a current card's, not another entry's, not shared inside the entry")
    func keysNeverReused() throws {
        let (ma, dz, ly) = (Fixtures.ma, Fixtures.dz, Fixtures.ly)
        let maEntry = RetiredKeys(retiring: ma.card, until: Self.rotation)
        func with(
            signing: Ed25519.PublicKey? = nil, encryption: X25519.PublicKey? = nil, transport: X25519.PublicKey? = nil
        ) -> RetiredKeys {
            RetiredKeys(
                state: ma.state, signingKey: signing ?? maEntry.signingKey,
                encryptionKey: encryption ?? maEntry.encryptionKey,
                transportKey: transport ?? maEntry.transportKey, until: Self.rotation, revocation: nil)
        }
        let rotated = Fixtures.maRotated.card
        // The old card itself still in the roster: every key of the entry is the card's.
        #expect(throws: RosterError.reusedKey(state: ma.state, until: Self.rotation, otherState: ma.state)) {
            try Self.build([maEntry], members: Fixtures.members)
        }
        #expect(throws: RosterError.reusedKey(state: ma.state, until: Self.rotation, otherState: ma.state)) {
            try Self.build([with(signing: rotated.signingKey)])
        }
        #expect(throws: RosterError.reusedKey(state: ma.state, until: Self.rotation, otherState: ma.state)) {
            try Self.build([with(encryption: rotated.transportKey)])
        }
        #expect(throws: RosterError.reusedKey(state: ma.state, until: Self.rotation, otherState: dz.state)) {
            try Self.build([with(transport: dz.card.encryptionKey)])
        }
        // Another entry's key (LY's revoked signing key).
        let lyEntry = RetiredKeys(retiring: ly.card, until: Self.revocation, revocation: "stolen")
        #expect(throws: RosterError.reusedKey(state: ma.state, until: Self.rotation, otherState: ly.state)) {
            try Self.build([lyEntry, with(signing: ly.card.signingKey)])
        }
        #expect(throws: RosterError.reusedKey(state: ma.state, until: Self.rotation, otherState: ly.state)) {
            try Self.build([lyEntry, with(encryption: ly.card.transportKey)])
        }
        // Two entries of one state with the same keys (a rotation listed twice).
        let again = RetiredKeys(retiring: ma.card, until: Self.time(Self.rotation, 1))
        #expect(throws: RosterError.reusedKey(state: ma.state, until: again.until, otherState: ma.state)) {
            try Self.build([maEntry, again])
        }
        #expect(throws: RosterError.retiredKeysShareKey(state: ma.state, until: Self.rotation)) {
            try Self.build([with(transport: maEntry.encryptionKey)])
        }
        #expect(throws: RosterError.duplicateRetiredKeys(state: ma.state, until: Self.rotation)) {
            try Self.build([maEntry, Self.entry("MA other", state: "MA", until: Self.rotation)])
        }
        #expect(throws: Never.self) { try Self.build([maEntry, lyEntry]) }
    }

    @Test("a revocation says why in 1–200 bytes of UTF-8 without control characters")
    func revocationText() throws {
        func build(_ text: String) throws(RosterError) -> Roster {
            try Self.build([RetiredKeys(retiring: Fixtures.ly.card, until: Self.revocation, revocation: text)])
        }
        let ly = Fixtures.ly.state
        for (text, reason) in [
            ("", "must be 1…200 bytes of UTF-8, got 0"),
            (String(repeating: "x", count: 201), "must be 1…200 bytes of UTF-8, got 201"),
            (String(repeating: "é", count: 101), "must be 1…200 bytes of UTF-8, got 202"),
            ("stolen\nkeys", "contains a control character"),
            ("stolen\u{7F}", "contains a control character"),
            ("stolen\u{85}", "contains a control character"),
        ] {
            #expect(
                throws: RosterError.invalidRevocation(state: ly, until: Self.revocation, reason: reason),
                "\(text.debugDescription)"
            ) {
                try build(text)
            }
        }
        for text in [
            "x", String(repeating: "x", count: 200), String(repeating: "é", count: 100), "clés volées — مفاتيح",
        ] {
            let roster = try build(text)
            #expect(try Roster(canonicalBytes: roster.canonicalBytes).retiredKeys.first?.revocation == text)
        }
    }

    @Test("at most 64 entries per state and 4,096 in all")
    func sizes() throws {
        let ma = Fixtures.ma.state
        let sixtyFour = (0..<64).map { Self.entry("MA \($0)", state: "MA", until: Self.time(Self.rotation, Int64($0))) }
        let roster = try Self.build(sixtyFour)
        #expect(roster.retiredKeys(of: ma).count == 64)
        #expect(try Roster(canonicalBytes: roster.canonicalBytes) == roster)
        let sixtyFive = sixtyFour + [Self.entry("MA 64", state: "MA", until: Self.time(Self.rotation, 64))]
        #expect(throws: RosterError.invalidSize(reason: "MA has more than 64 key history entries")) {
            try Self.build(sixtyFive)
        }
        // The total is checked before anything else of the entries.
        let many = [RetiredKeys](repeating: sixtyFour[0], count: 4_097)
        #expect(throws: RosterError.invalidSize(reason: "4097 key history entries, at most 4096")) {
            try Self.build(many)
        }
    }

    @Test("every new error tells the operator what to do")
    func descriptions() {
        let (ma, dz) = (Fixtures.ma.state, Fixtures.dz.state)
        let errors: [RosterError] = [
            .retiredKeysOutOfOrder(state: ma, until: Self.rotation),
            .duplicateRetiredKeys(state: ma, until: Self.rotation),
            .reusedKey(state: ma, until: Self.rotation, otherState: dz),
            .retiredKeysShareKey(state: ma, until: Self.rotation),
            .invalidRevocation(state: ma, until: Self.rotation, reason: "contains a control character"),
        ]
        for error in errors {
            #expect(error.description.contains("MA"), "\(error)")
            #expect(error.description.contains("2025-03-01T12:30:00.000Z"), "\(error)")
        }
        #expect(Set(errors.map(\.description)).count == errors.count)
    }

    // MARK: Questions

    @Test("signingKey(of:at:) at the boundaries: until − 1 ms is the old key, until and after the new one")
    func boundaries() {
        let roster = Fixtures.keyHistoryRoster()
        let (ma, rotated) = (Fixtures.ma.card, Fixtures.maRotated.card)
        #expect(roster.signingKey(of: ma.state, at: Self.time(Self.rotation, -1)) == ma.signingKey)
        #expect(roster.signingKey(of: ma.state, at: Self.rotation) == rotated.signingKey)
        #expect(roster.signingKey(of: ma.state, at: Self.time(Self.rotation, 1)) == rotated.signingKey)
        #expect(roster.signingKey(of: ma.state, at: Timestamp(millisecondsSinceEpoch: 0)) == ma.signingKey)
        #expect(roster.signingKey(of: ma.state, at: Timestamp(millisecondsSinceEpoch: .max)) == rotated.signingKey)
        #expect(roster.encryptionKey(of: ma.state, at: Self.time(Self.rotation, -1)) == ma.encryptionKey)
        #expect(roster.encryptionKey(of: ma.state, at: Self.rotation) == rotated.encryptionKey)
        let before = roster.keysInForce(of: ma.state, at: Self.time(Self.rotation, -1))
        #expect(
            before?.signing == ma.signingKey && before?.encryption == ma.encryptionKey
                && before?.transport == ma.transportKey)
        let after = roster.keysInForce(of: ma.state, at: Self.rotation)
        #expect(after?.signing == rotated.signingKey && after?.transport == rotated.transportKey)
        // A state without history: its card, whatever the time.
        let dz = Fixtures.dz.card
        #expect(roster.signingKey(of: dz.state, at: Timestamp(millisecondsSinceEpoch: 0)) == dz.signingKey)
        #expect(roster.retiredKeys(of: dz.state).isEmpty && roster.switchTime(of: dz.state) == nil)
        #expect(roster.switchTime(of: ma.state) == Self.rotation)
        // A state never heard of.
        #expect(roster.signingKey(of: state("QQ"), at: Fixtures.now) == nil)
        #expect(roster.keysInForce(of: state("QQ"), at: Fixtures.now) == nil)
    }

    @Test("several rotations of one state: each key in force from the previous until to its own")
    func severalRotations() throws {
        let ma = Fixtures.maRotated.card
        let (t1, t2, t3) = (Self.time(Self.rotation, -3_600_000), Self.rotation, Self.time(Self.rotation, 86_400_000))
        let k1 = Self.entry("MA k1", state: "MA", until: t1)
        let k2 = Self.entry("MA k2", state: "MA", until: t2)
        let k3 = Self.entry("MA k3", state: "MA", until: t3, revocation: "k3 was on a stolen laptop")
        let roster = try Self.build([k3, k1, k2])
        #expect(Array(roster.retiredKeys(of: ma.state)) == [k1, k2, k3])
        let expected: [(Timestamp, Ed25519.PublicKey)] = [
            (Timestamp(millisecondsSinceEpoch: 0), k1.signingKey), (Self.time(t1, -1), k1.signingKey),
            (t1, k2.signingKey), (Self.time(t2, -1), k2.signingKey), (t2, k3.signingKey),
            (Self.time(t3, -1), k3.signingKey),
            (t3, ma.signingKey), (Self.time(t3, 1), ma.signingKey),
        ]
        for (time, key) in expected {
            #expect(roster.signingKey(of: ma.state, at: time) == key, "\(time)")
        }
        #expect(roster.switchTime(of: ma.state) == t3)
        #expect(roster.revocations(of: ma.state) == [k3])
        #expect(roster.nextKeyChange(after: Timestamp(millisecondsSinceEpoch: 0)) == t1)
        #expect(roster.nextKeyChange(after: t1) == t2)
        #expect(roster.nextKeyChange(after: t3) == nil)
        // Transport: k1 and k2 let in while in force; k3 is revoked, so the current card's key
        // instead, even before t3.
        #expect(roster.transportKeys(at: Self.time(t1, -1))[ma.state] == [k1.transportKey])
        #expect(roster.transportKeys(at: t1)[ma.state] == [k2.transportKey])
        #expect(roster.transportKeys(at: t2)[ma.state] == [ma.transportKey])
        #expect(roster.transportKeys(at: t3)[ma.state] == [ma.transportKey])
        #expect(try Roster(canonicalBytes: roster.canonicalBytes) == roster)
    }

    @Test("a revoked entry of a removed state: its old signatures verify, nothing after, its node is never let in")
    func removedStateHistory() {
        let roster = Fixtures.keyHistoryRoster()
        let ly = Fixtures.ly.card
        #expect(roster.member(ly.state) == nil)
        #expect(roster.retiredKeys(of: ly.state).count == 1)
        #expect(roster.revocations(of: ly.state).map(\.revocation) == [Fixtures.revocationReason])
        #expect(roster.revocations(of: ly.state).allSatisfy { $0.isRevoked })
        #expect(roster.revocations(of: Fixtures.ma.state).isEmpty)
        #expect(roster.signingKey(of: ly.state, at: Self.time(Self.revocation, -1)) == ly.signingKey)
        #expect(roster.encryptionKey(of: ly.state, at: Self.time(Self.revocation, -1)) == ly.encryptionKey)
        #expect(roster.signingKey(of: ly.state, at: Self.revocation) == nil)
        #expect(roster.keysInForce(of: ly.state, at: Self.time(Self.revocation, 1)) == nil)
        #expect(roster.switchTime(of: ly.state) == Self.revocation)
        for time in [Self.time(Self.revocation, -1), Self.revocation, Fixtures.now] {
            let allowed = roster.transportKeys(at: time)
            #expect(allowed[ly.state] == nil)
            #expect(Set(allowed.keys) == Set(roster.members.map(\.state)))
            #expect(!allowed.values.joined().contains(ly.transportKey))
        }
    }

    @Test("a scheduled rotation: the old transport key is let in until its until, the new one from it on")
    func scheduledTransport() {
        let roster = Fixtures.keyHistoryRoster()
        let (ma, rotated) = (Fixtures.ma.card, Fixtures.maRotated.card)
        #expect(roster.transportKeys(at: Fixtures.issuedAt)[ma.state] == [ma.transportKey])
        #expect(roster.transportKeys(at: Self.time(Self.rotation, -1))[ma.state] == [ma.transportKey])
        #expect(roster.transportKeys(at: Self.rotation)[ma.state] == [rotated.transportKey])
        #expect(roster.transportKeys(at: Self.rotation)[Fixtures.dz.state] == [Fixtures.dz.card.transportKey])
        #expect(roster.nextKeyChange(after: Fixtures.issuedAt) == Self.rotation)
        #expect(roster.nextKeyChange(after: Self.rotation) == nil)
    }

    // MARK: Verification by time

    /// An MA→DZ envelope created at `createdAt`, signed by `origin`.
    static func envelope(
        by origin: NodeIdentity, at createdAt: Timestamp, after position: ChainPosition = .start,
        to recipient: EnvelopeRecipient? = nil
    ) throws -> Envelope {
        let metadata = BulletinMetadata(
            bulletinID: Fixtures.bulletinID("key history \(createdAt)", at: createdAt), createdAt: createdAt,
            tlp: .amber,
            schemaVersion: BodySchemaVersion(major: 1, minor: 0))
        return try Envelope.seal(
            Fixtures.body(1, summary: "across a rotation"), metadata: metadata, from: origin,
            to: recipient ?? EnvelopeRecipient(card: Fixtures.dz.card, position: position))
    }

    @Test(
        "the opener accepts the origin's keys trusted at the created-at: a retired key before its until, the current key always"
    )
    func openerByTime() throws {
        let opener = EnvelopeOpener(recipient: Fixtures.dz.state, roster: Fixtures.keyHistoryRoster())
        let (old, new) = (Fixtures.ma, Fixtures.maRotated)
        let ma = old.state
        // Signed by the retired key before its until: accepted, and the chain continues with the new key.
        let first = try Self.envelope(by: old, at: Self.time(Self.rotation, -1))
        let opened = try opener.open(first.bytes, after: .start, decryptingWith: Fixtures.dz.encryptionKey)
        let afterFirst = opened.position
        // The retired key signs nothing dated at or after its until.
        for offset in [0, 1, 86_400_000] as [Int64] {
            let late = try Self.envelope(by: old, at: Self.time(Self.rotation, offset), after: afterFirst)
            #expect(throws: EnvelopeError.badSignature(origin: ma), "\(offset)") {
                try opener.verify(late.bytes, after: afterFirst)
            }
        }
        // The new key verifies what is dated before the until too: the node switched when it
        // installed the roster, which may be before the until its old keys keep.
        let early = try Self.envelope(by: new, at: Self.time(Self.rotation, -1), after: afterFirst)
        let afterEarly = try opener.open(early.bytes, after: afterFirst, decryptingWith: Fixtures.dz.encryptionKey)
            .position
        #expect(afterEarly.sequence == 2)
        let third = try Self.envelope(by: new, at: Self.rotation, after: afterEarly)
        #expect(
            try opener.open(third.bytes, after: afterEarly, decryptingWith: Fixtures.dz.encryptionKey).position
                .sequence == 3)
        #expect(opener.statistics.counts.decryptionAttempts == 3, "refused envelopes never reach decryption")

        // Without the history (the roster before format 3), the old key's envelope is lost.
        let withoutHistory = try Roster(
            version: 9, issuedAt: Fixtures.issuedAt, expiresAt: Fixtures.expiresAt, members: Fixtures.rotatedMembers,
            links: Fixtures.links)
        #expect(throws: EnvelopeError.badSignature(origin: ma)) {
            try EnvelopeOpener(recipient: Fixtures.dz.state, roster: withoutHistory).verify(first.bytes, after: .start)
        }
        // A state whose keys are only history is not an origin: unknownOrigin, as before.
        let fromLY = try Envelope.seal(
            Fixtures.body(1, summary: "LY, removed"),
            metadata: BulletinMetadata(
                bulletinID: Fixtures.bulletinID("LY removed", at: Self.time(Self.revocation, -1)),
                createdAt: Self.time(Self.revocation, -1), tlp: .amber,
                schemaVersion: BodySchemaVersion(major: 1, minor: 0)),
            from: Fixtures.ly, to: EnvelopeRecipient(card: Fixtures.dz.card, position: .start))
        #expect(throws: EnvelopeError.unknownOrigin(state: Fixtures.ly.state)) {
            try opener.verify(fromLY.bytes, after: .start)
        }
    }

    @Test(
        "an envelope only a revoked key verifies, dated from its until, keeps its chain place but is never opened (410); before the until it opens; a stranger's key is 203"
    )
    func revokedKeyKeepsChainPlace() throws {
        // MA's old keys revoked (not merely rotated out) from the rotation time; MA-2 is its card.
        let roster = Fixtures.keyHistoryRoster(retiredKeys: [
            RetiredKeys(retiring: Fixtures.ma.card, until: Self.rotation, revocation: "server seized"),
            RetiredKeys(retiring: Fixtures.ly.card, until: Self.revocation, revocation: Fixtures.revocationReason),
        ])
        let opener = EnvelopeOpener(recipient: Fixtures.dz.state, roster: roster)
        let (old, new) = (Fixtures.ma, Fixtures.maRotated)
        let first = try Self.envelope(by: old, at: Self.time(Self.rotation, -1))
        let afterFirst = try opener.open(first.bytes, after: .start, decryptingWith: Fixtures.dz.encryptionKey).position
        let stolen = try Self.envelope(by: old, at: Self.rotation, after: afterFirst)
        let verified = try opener.verify(stolen.bytes, after: afterFirst)
        #expect(verified.revokedSince == Self.rotation)
        #expect(throws: EnvelopeError.revokedKey(link: verified.header.link, sequence: 2, since: Self.rotation)) {
            try verified.decrypt(with: Fixtures.dz.encryptionKey)
        }
        #expect(EnvelopeError.revokedKey(link: verified.header.link, sequence: 2, since: Self.rotation).reason.keepsChainPlace)
        // The chain goes on after it, under the new key.
        let next = try Self.envelope(by: new, at: Self.time(Self.rotation, 1), after: verified.position)
        #expect(try opener.open(next.bytes, after: verified.position, decryptingWith: Fixtures.dz.encryptionKey).position.sequence == 3)
        #expect(opener.statistics.counts.decryptionAttempts == 2, "the revoked key's envelope never reaches decryption")
        // A key the roster never gave MA is still a forgery: no chain place.
        let forged = try Self.envelope(by: Fixtures.impostor, at: Self.rotation, after: afterFirst)
        #expect(throws: EnvelopeError.badSignature(origin: Fixtures.ma.state)) { try opener.verify(forged.bytes, after: afterFirst) }
    }

    @Test("receipts verify with the recipient's keys trusted at the received-at")
    func receiptsByTime() throws {
        let roster = Fixtures.keyHistoryRoster()
        let link = Link(origin: Fixtures.dz.state, recipient: Fixtures.ma.state)
        func receipt(at time: Timestamp) -> Receipt {
            Receipt(link: link, sequence: 1, envelopeHash: .zero, receivedAt: time, status: .accepted)
        }
        let before = Self.time(Self.rotation, -1)
        #expect(try receipt(at: before).signed(by: Fixtures.ma).verify(against: roster) == receipt(at: before))
        #expect(
            try receipt(at: Self.rotation).signed(by: Fixtures.maRotated).verify(against: roster)
                == receipt(at: Self.rotation))
        #expect(try receipt(at: before).signed(by: Fixtures.maRotated).verify(against: roster) == receipt(at: before))
        for (signer, time) in [(Fixtures.ma, Self.rotation), (Fixtures.ma, Self.time(Self.rotation, 1))] {
            #expect(throws: ReceiptError.badSignature(recipient: Fixtures.ma.state), "\(time)") {
                try receipt(at: time).signed(by: signer).verify(against: roster)
            }
        }
        // A rejection signed by removed LY's revoked key, dated before the revocation: LY is not a
        // member, so it is still refused.
        let ghost = try Receipt(
            link: Link(origin: Fixtures.ma.state, recipient: Fixtures.ly.state), sequence: 1, envelopeHash: .zero,
            receivedAt: Self.time(Self.revocation, -1), status: .rejected(.decryptionFailed)
        ).signed(by: Fixtures.ly)
        #expect(throws: ReceiptError.unknownRecipient(Fixtures.ly.state)) { try ghost.verify(against: roster) }
    }

    @Test("sealing to the recipient's key in force: before its scheduled rotation, the key it still opens with")
    func sealingByTime() throws {
        // DZ rotates at `rotation`: its old card is the history entry, the new keys are its card.
        let newDZ = Fixtures.identity(
            Fixtures.NodeSpec(
                label: "DZ-2", state: "DZ", name: "dz-alger-1", host: "bordernet.dz.example", role: .member))
        let members = Fixtures.members.map {
            $0.state == newDZ.state ? RosterMember(card: newDZ.card, role: $0.role) : $0
        }
        let roster = try Self.build([RetiredKeys(retiring: Fixtures.dz.card, until: Self.rotation)], members: members)
        let opener = EnvelopeOpener(recipient: newDZ.state, roster: roster)
        for (createdAt, key) in [
            (Self.time(Self.rotation, -1), Fixtures.dz.encryptionKey), (Self.rotation, newDZ.encryptionKey),
        ] {
            let recipient = try #require(EnvelopeRecipient(newDZ.state, in: roster, at: createdAt, position: .start))
            #expect(recipient.card == newDZ.card)
            #expect(recipient.encryptionKey == key.publicKey)
            #expect(roster.encryptionKey(of: newDZ.state, at: createdAt) == key.publicKey)
            let envelope = try Self.envelope(by: Fixtures.ma, at: createdAt, to: recipient)
            #expect(try opener.open(envelope.bytes, after: .start, decryptingWith: key).body.isEmpty == false)
            // With a body key computed the same way (the node's sealing schedule).
            let bodyKey = try BodyKey(sealingWith: X25519.PrivateKey(), for: recipient.encryptionKey)
            let metadata = envelope.header.metadata
            let again = try Envelope.seal(
                Fixtures.body(1, summary: "again"), metadata: metadata, from: Fixtures.ma, to: recipient,
                bodyKey: bodyKey)
            #expect(
                try opener.open(again.bytes, after: .start, decryptingWith: key).body
                    == Fixtures.body(1, summary: "again"))
            // A body key for the card's key does not fit a recipient sealed to the old key, and vice versa.
            let other = try BodyKey(
                sealingWith: X25519.PrivateKey(),
                for: key.publicKey == newDZ.encryptionKey.publicKey
                    ? Fixtures.dz.card.encryptionKey : newDZ.card.encryptionKey)
            #expect(throws: EnvelopeSealError.bodyKeyForAnotherRecipient(newDZ.state)) {
                try Envelope.seal([], metadata: metadata, from: Fixtures.ma, to: recipient, bodyKey: other)
            }
        }
        #expect(EnvelopeRecipient(Fixtures.ly.state, in: roster, at: Fixtures.now, position: .start) == nil)
        let plain = EnvelopeRecipient(card: Fixtures.dz.card, position: .start)
        #expect(plain.encryptionKey == Fixtures.dz.card.encryptionKey)
    }

    @Test("the verifier installs a signed format-3 roster over format 1 (a rotation), and refuses a malformed history")
    func acceptance() throws {
        let verifier = RosterVerifier(secretariatKey: Fixtures.secretariatKey.publicKey)
        let roster = Fixtures.keyHistoryRoster()
        #expect(
            try verifier.accept(
                roster.signed(by: Fixtures.secretariatKey), installed: Fixtures.standardRoster, now: Fixtures.now)
                == .install(roster))
        var bytes = roster.canonicalBytes
        bytes[bytes.count - 1] = 2
        let signed = SignedRoster(rosterBytes: bytes, signature: Fixtures.secretariatKey.signature(for: bytes))
        #expect(throws: RosterError.self) {
            try verifier.accept(signed, installed: Fixtures.standardRoster, now: Fixtures.now)
        }
    }
}

extension KeyHistoryTests {
    @Test("a successor key alone makes format 3; it round-trips in bytes and JSON, and a verifier that trusts it accepts what it signs")
    func successorKey() throws {
        let successor = Fixtures.successorRosterKey
        let roster = try Roster(
            version: 10, issuedAt: Fixtures.issuedAt, expiresAt: Fixtures.expiresAt, members: Fixtures.standardRoster.members,
            links: Fixtures.links, successorKey: successor.publicKey)
        #expect(roster.format == 3 && roster.retiredKeys.isEmpty)
        #expect(Array(roster.canonicalBytes.suffix(35)) == [0, 0, 1] + successor.publicKey.rawRepresentation)
        #expect(try Roster(canonicalBytes: roster.canonicalBytes).successorKey == successor.publicKey)
        let json = try JSONEncoder().encode(roster)
        #expect(try JSONDecoder().decode(Roster.self, from: json) == roster)
        let signed = roster.signed(by: successor)
        #expect(throws: RosterError.badSignature) {
            try RosterVerifier(secretariatKey: Fixtures.secretariatKey.publicKey).verify(signed, now: Fixtures.now)
        }
        let trusting = RosterVerifier(secretariatKey: Fixtures.secretariatKey.publicKey, otherKeys: [successor.publicKey])
        #expect(try trusting.verify(signed, now: Fixtures.now) == roster)
        #expect(trusting.signer(of: signed) == successor.publicKey)
    }
}
