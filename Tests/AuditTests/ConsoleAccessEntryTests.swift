import Audit
import Exchange
import Foundation
import Testing

@Suite("Console access entries (kinds 50 and 51): bytes, JSON, and every combination that is refused")
struct ConsoleAccessEntryTests {
    static let kindOffset = 4 + 1 + 8 + 8 + 2

    static func entry(_ access: ConsoleAccess) throws -> AuditEntry {
        try AuditEntry(index: 0, time: AuditFixtures.base, state: state("MA"), event: .consoleAccess(access))
    }

    static func reference() throws -> BulletinReference {
        BulletinReference(origin: state("DZ"), id: try AuditFixtures.bulletin(9))
    }

    @Test("the bytes are kind 50 ‖ account u64 ‖ role ‖ action ‖ outcome ‖ presence ‖ origin ‖ id, 30 bytes with a bulletin, 12 without")
    func layout() throws {
        let opened = try Self.entry(ConsoleAccess(account: 7, role: .reader, action: .openBulletin, outcome: .refused, bulletin: Self.reference()))
        let bytes = opened.canonicalBytes
        #expect(bytes.count == Self.kindOffset + 1 + 30)
        #expect(bytes[Self.kindOffset] == 50)
        #expect(Array(bytes[(Self.kindOffset + 1)...]) == [0, 0, 0, 0, 0, 0, 0, 7, 2, 3, 1, 1] + Array("DZ".utf8) + (try AuditFixtures.bulletin(9)).bytes)
        let signIn = try Self.entry(ConsoleAccess(account: 0, role: .none, action: .signIn, outcome: .lockedOut))
        #expect(Array(signIn.canonicalBytes[(Self.kindOffset + 1)...]) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0])
        let dropped = try AuditEntry(index: 0, time: AuditFixtures.base, state: state("MA"), event: .consoleAccessDropped(count: 3))
        #expect(Array(dropped.canonicalBytes[Self.kindOffset...]) == [51, 0, 0, 0, 0, 0, 0, 0, 3])
        for entry in [opened, signIn, dropped] {
            #expect(try AuditEntry(canonicalBytes: entry.canonicalBytes) == entry)
            #expect(try JSONDecoder().decode(AuditEntry.self, from: JSONEncoder().encode(entry)) == entry)
        }
        let json = String(decoding: try JSONEncoder().encode(opened.event), as: UTF8.self)
        for member in [#""account":7"#, #""role":"reader""#, #""action":"openBulletin""#, #""outcome":"refused""#, #""reference":"DZ-"#] {
            #expect(json.contains(member), "\(json)")
        }
    }

    @Test("combinations no console access has are refused, as values, as bytes and as JSON")
    func invalidCombinations() throws {
        let reference = try Self.reference()
        let invalid: [(String, ConsoleAccess)] = [
            ("a role for account 0", ConsoleAccess(account: 0, role: .reader, action: .signIn, outcome: .refused)),
            ("no role for an account", ConsoleAccess(account: 3, role: .none, action: .signIn, outcome: .succeeded)),
            ("account 0 signed in", ConsoleAccess(account: 0, role: .none, action: .signIn, outcome: .succeeded)),
            ("account 0 opened a bulletin", ConsoleAccess(account: 0, role: .none, action: .openBulletin, outcome: .refused, bulletin: reference)),
            ("a sign-out refused", ConsoleAccess(account: 3, role: .officer, action: .signOut, outcome: .refused)),
            ("a sign-in not found", ConsoleAccess(account: 3, role: .officer, action: .signIn, outcome: .notFound)),
            ("a bulletin locked out", ConsoleAccess(account: 3, role: .officer, action: .openBulletin, outcome: .lockedOut, bulletin: reference)),
            ("a sign-in naming a bulletin", ConsoleAccess(account: 3, role: .officer, action: .signIn, outcome: .succeeded, bulletin: reference)),
            ("an opening without its bulletin", ConsoleAccess(account: 3, role: .officer, action: .openBulletin, outcome: .succeeded)),
            ("an account above 2^53 − 1", ConsoleAccess(account: 1 << 53, role: .officer, action: .signOut, outcome: .succeeded)),
        ]
        let valid = try Self.entry(ConsoleAccess(account: 3, role: .officer, action: .signOut, outcome: .succeeded))
        for (what, access) in invalid {
            #expect(throws: FormatError.self, "\(what)") { try Self.entry(access) }
            // The same fields written by hand, as bytes and as JSON, are refused by the decoders.
            var bytes = Array(valid.canonicalBytes.prefix(Self.kindOffset + 1))
            bytes += withUnsafeBytes(of: access.account.bigEndian, Array.init)
            bytes += [access.role.rawValue, access.action.rawValue, access.outcome.rawValue]
            if let bulletin = access.bulletin { bytes += [1] + Array(bulletin.origin.description.utf8) + bulletin.id.bytes } else { bytes += [0] }
            #expect(throws: FormatError.self, "\(what)") { try AuditEntry(canonicalBytes: bytes) }
            var event = #"{"kind":"consoleAccess","account":\#(access.account),"role":"\#(access.role)","action":"\#(access.action)","outcome":"\#(access.outcome)""#
            if let bulletin = access.bulletin { event += #","reference":"\#(bulletin)""# }
            let json = #"{"index":0,"time":1740830400000,"state":"MA","event":"# + event + "}}"
            #expect(throws: (any Error).self, "\(what)") { try JSONDecoder().decode(AuditEntry.self, from: Data(json.utf8)) }
        }
    }

    @Test("unknown role, action and outcome codes, a presence byte other than 0 or 1, and a dropped count of 0 are refused")
    func unknownCodes() throws {
        let valid = try Self.entry(ConsoleAccess(account: 3, role: .officer, action: .signOut, outcome: .succeeded)).canonicalBytes
        let fields = Self.kindOffset + 1 + 8
        for (offset, value, field) in [(0, UInt8(5), "console role"), (1, 0, "console action"), (1, 4, "console action"), (2, 4, "console outcome"), (3, 2, "bulletin presence")] {
            var bytes = valid
            bytes[fields + offset] = value
            #expect(throws: FormatError.self, "\(field) \(value)") { try AuditEntry(canonicalBytes: bytes) }
        }
        #expect(throws: FormatError.self) {
            try AuditEntry(index: 0, time: AuditFixtures.base, state: state("MA"), event: .consoleAccessDropped(count: 0))
        }
        for json in [
            #"{"kind":"consoleAccess","account":3,"role":"admin","action":"signOut","outcome":"succeeded"}"#,
            #"{"kind":"consoleAccess","account":3,"role":"officer","action":"search","outcome":"succeeded"}"#,
            #"{"kind":"consoleAccess","account":3,"role":"officer","action":"openBulletin","outcome":"succeeded","reference":"<script>"}"#,
        ] {
            #expect(throws: (any Error).self, "\(json)") { try JSONDecoder().decode(AuditEvent.self, from: Data(json.utf8)) }
        }
    }
}
