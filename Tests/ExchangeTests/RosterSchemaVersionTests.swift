import Foundation
import Testing

@testable import Exchange

/// Roster format 2: each member declares the newest bulletin schema version its node reads
/// (docs/PROTOCOL.md §6.1).
@Suite("Roster: what each member reads (format 2)")
struct RosterSchemaVersionTests {
    static let v1_0 = BodySchemaVersion(major: 1, minor: 0)
    static let v1_1 = BodySchemaVersion(major: 1, minor: 1)

    @Test("a node of 1.1 reads 1.0 and 1.1; one of 1.0 refuses 1.1; another major is never read")
    func reads() {
        #expect(Self.v1_1.reads(Self.v1_0))
        #expect(Self.v1_1.reads(Self.v1_1))
        #expect(!Self.v1_0.reads(Self.v1_1))
        #expect(!BodySchemaVersion(major: 2, minor: 0).reads(Self.v1_0))
        #expect(!Self.v1_1.reads(BodySchemaVersion(major: 2, minor: 0)))
    }

    @Test("every member reading 1.0 is format 1, byte for byte the roster older software signs and reads")
    func formatOneWhileEveryoneReadsOneZero() throws {
        let roster = Fixtures.roster(reads: ["DZ": Self.v1_0])
        #expect(roster.format == 1)
        #expect(roster.canonicalBytes == Fixtures.standardRoster.canonicalBytes)
        #expect(roster.canonicalBytes[4] == 1)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(roster)) as? [String: Any]
        #expect(json?["format"] as? Int == 1)
        #expect((json?["members"] as? [[String: Any]])?.allSatisfy { $0["readsSchema"] == nil } == true)
    }

    @Test("one member reading 1.1 makes format 2, whose bytes and JSON decode to the same roster")
    func formatTwoRoundTrip() throws {
        let roster = Fixtures.roster(reads: ["DZ": Self.v1_1])
        #expect(roster.format == 2)
        #expect(roster.canonicalBytes[4] == 2)
        // Two bytes per member more than format 1.
        #expect(roster.canonicalBytes.count == Fixtures.standardRoster.canonicalBytes.count + 2 * roster.members.count)
        let decoded = try Roster(canonicalBytes: roster.canonicalBytes)
        #expect(decoded == roster)
        #expect(decoded.member(state("DZ"))?.readsSchema == Self.v1_1)
        #expect(decoded.member(state("MA"))?.readsSchema == Self.v1_0)
        let fromJSON = try JSONDecoder().decode(Roster.self, from: JSONEncoder().encode(roster))
        #expect(fromJSON == roster)
        #expect(fromJSON.member(state("DZ"))?.readsSchema == Self.v1_1)
    }

    @Test("the signed format-2 roster is accepted like any other")
    func signedFormatTwo() throws {
        let roster = Fixtures.roster(version: 8, reads: ["TN": Self.v1_1])
        let verifier = RosterVerifier(secretariatKey: Fixtures.secretariatKey.publicKey)
        #expect(
            try verifier.accept(roster.signed(by: Fixtures.secretariatKey), installed: Fixtures.standardRoster, now: Fixtures.now)
                == .install(roster))
    }

    @Test("a member declared to read 0.x is refused when built, decoded from bytes or from JSON")
    func zeroMajorRefused() throws {
        let zero = BodySchemaVersion(major: 0, minor: 9)
        #expect(throws: RosterError.invalidReadsSchema(state: state("DZ"), version: zero)) {
            try Roster(
                version: 1, issuedAt: Fixtures.issuedAt, expiresAt: Fixtures.expiresAt, members: Fixtures.members(reads: ["DZ": zero]),
                links: [])
        }
        // Bytes: take a valid format-2 roster and set DZ's major byte to 0.
        let roster = Fixtures.roster(reads: ["DZ": Self.v1_1])
        var bytes = roster.canonicalBytes
        var offset = 31
        for member in roster.members {
            if member.state == state("DZ") { bytes[offset + 1] = 0 }
            offset += 1 + 2 + 2 + member.card.canonicalBytes.count
        }
        #expect(throws: RosterError.invalidReadsSchema(state: state("DZ"), version: BodySchemaVersion(major: 0, minor: 1))) {
            try Roster(canonicalBytes: bytes)
        }
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(roster)) as? [String: Any])
        var members = try #require(json["members"] as? [[String: Any]])
        for index in members.indices where (members[index]["card"] as? [String: Any])?["state"] as? String == "DZ" {
            members[index]["readsSchema"] = "0.9"
        }
        json["members"] = members
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Roster.self, from: JSONSerialization.data(withJSONObject: json))
        }
    }

    @Test("decoding refuses format 2 with everyone at 1.0, a short schema version, format 3 without its key history, format 4, and a JSON format that disagrees")
    func strictDecoding() throws {
        // Format 2 bytes of a roster whose members all read 1.0: insert 01 00 after each role.
        let plain = Fixtures.standardRoster
        var writer = ByteWriter()
        writer.write(raw: Roster.tag)
        writer.write(Roster.formatVersionWithSchemaVersions)
        writer.write(plain.version)
        writer.write(plain.issuedAt.millisecondsSinceEpoch)
        writer.write(plain.expiresAt.millisecondsSinceEpoch)
        writer.write(count: plain.members.count)
        for member in plain.members {
            writer.write(member.role.rawValue)
            writer.write(UInt8(1))
            writer.write(UInt8(0))
            writer.write(UInt16(member.card.canonicalBytes.count))
            writer.write(raw: member.card.canonicalBytes)
        }
        writer.write(count: 0)
        guard case .invalidField(field: "roster format version", _)? = Self.formatError(writer.bytes) else {
            Issue.record("format 2 with every member at 1.0 not refused as a non-canonical format: \(String(describing: Self.formatError(writer.bytes)))")
            return
        }

        let two = Fixtures.roster(reads: ["DZ": Self.v1_1]).canonicalBytes
        for cut in [32, 33] {  // inside the first member's schema version
            guard case .truncated? = Self.formatError(Array(two.prefix(cut))) else {
                Issue.record("a roster cut at \(cut) is not refused as truncated: \(String(describing: Self.formatError(Array(two.prefix(cut)))))")
                continue
            }
        }
        // Format 3 adds a key history after the links (KeyHistoryTests); format 4 does not exist.
        var three = two
        three[4] = 3
        #expect(throws: RosterError.malformed(.truncated(field: "key history count", needed: 2, remaining: 0))) {
            try Roster(canonicalBytes: three)
        }
        var four = two
        four[4] = 4
        #expect(throws: RosterError.malformed(.unsupportedFormatVersion(what: "roster", version: 4))) {
            try Roster(canonicalBytes: four)
        }
        var asFormatOne = two
        asFormatOne[4] = 1
        // Read as format 1, the member entries are misaligned: refused as malformed, whatever field trips first.
        #expect(Self.formatError(asFormatOne) != nil)

        // JSON: the format must be the one the members imply.
        for (roster, wrongFormat) in [(Fixtures.roster(reads: ["DZ": Self.v1_1]), 1), (Fixtures.standardRoster, 2)] {
            var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(roster)) as? [String: Any])
            json["format"] = wrongFormat
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode(Roster.self, from: JSONSerialization.data(withJSONObject: json))
            }
        }
    }

    @Test("a member's JSON without readsSchema reads 1.0 (drafts and tools written before format 2)")
    func memberJSONDefault() throws {
        let member = RosterMember(card: Fixtures.dz.card, role: .member)
        let json = try JSONEncoder().encode(member)
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(object?["readsSchema"] == nil)
        #expect(try JSONDecoder().decode(RosterMember.self, from: json).readsSchema == Self.v1_0)
        let upgraded = RosterMember(card: Fixtures.dz.card, role: .member, readsSchema: Self.v1_1)
        #expect(try JSONDecoder().decode(RosterMember.self, from: JSONEncoder().encode(upgraded)) == upgraded)
    }

    /// The format error a decoding of `bytes` is refused with; `nil` when it decodes, or is refused
    /// for another reason (which the callers count as a failure too).
    static func formatError(_ bytes: [UInt8]) -> FormatError? {
        do {
            _ = try Roster(canonicalBytes: bytes)
            return nil
        } catch {
            guard case .malformed(let format) = error as? RosterError else { return nil }
            return format
        }
    }
}
