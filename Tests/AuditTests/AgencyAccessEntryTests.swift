import Audit
import Exchange
import Foundation
import Testing

@Suite("Agency access entries (kind 52): bytes, JSON, and every malformed form refused")
struct AgencyAccessEntryTests {
    static let kindOffset = 4 + 1 + 8 + 8 + 2

    static func entry(_ access: AgencyAccess) throws -> AuditEntry {
        try AuditEntry(index: 0, time: AuditFixtures.base, state: state("MA"), event: .agencyAccess(access))
    }

    static func references(_ count: Int) throws -> [BulletinReference] {
        try (0..<count).map { n in
            BulletinReference(origin: state("DZ"), id: try BulletinID(bytes: [UInt8](repeating: 1, count: 14) + [UInt8(n / 256), UInt8(n % 256)]))
        }
    }

    @Test("the bytes are kind 52 ‖ agency u64 ‖ outcome ‖ count ‖ (origin ‖ id) each; 100 bulletins take 1,834 bytes; bytes and JSON round-trip")
    func layout() throws {
        let two = try Self.references(2)
        let delivered = try Self.entry(AgencyAccess(agency: 3, delivered: [two[1], two[0], two[1]]))
        let bytes = delivered.canonicalBytes
        #expect(bytes[Self.kindOffset] == 52)
        #expect(Array(bytes[(Self.kindOffset + 1)...]) == [0, 0, 0, 0, 0, 0, 0, 3, 0, 2] + Array("DZ".utf8) + two[0].id.bytes + Array("DZ".utf8) + two[1].id.bytes)
        let refused = try Self.entry(AgencyAccess(agency: 0, outcome: .refused))
        #expect(Array(refused.canonicalBytes[Self.kindOffset...]) == [52, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0])
        let empty = try Self.entry(AgencyAccess(agency: 9, delivered: []))
        let full = try Self.entry(AgencyAccess(agency: ConsoleAccess.maximumAccount, delivered: try Self.references(100)))
        #expect(full.canonicalBytes.count == 1_834 && full.canonicalBytes.count <= AuditEntryHeader.maximumUnknownKindBytes)
        for entry in [delivered, refused, empty, full] {
            #expect(try AuditEntry(canonicalBytes: entry.canonicalBytes) == entry)
            #expect(try JSONDecoder().decode(AuditEntry.self, from: JSONEncoder().encode(entry)) == entry)
        }
        let json = String(decoding: try JSONEncoder().encode(delivered.event), as: UTF8.self)
        #expect(json.contains(#""kind":"agencyAccess""#) && json.contains(#""agency":3"#) && json.contains(#""outcome":"delivered""#), "\(json)")
        #expect(json.contains(#""bulletins":["\#(two[0])","\#(two[1])"]"#), "\(json)")
    }

    @Test("agency 0 delivered, bulletins on a refusal, too many, out of order, repeated, an agency above 2^53 − 1 are refused as values, bytes and JSON")
    func invalid() throws {
        let refs = try Self.references(101)
        let cases: [(String, AgencyAccess)] = [
            ("agency 0 delivered", AgencyAccess(agency: 0, outcome: .delivered, bulletins: [refs[0]])),
            ("a refusal naming bulletins", AgencyAccess(agency: 3, outcome: .refused, bulletins: [refs[0]])),
            ("101 bulletins", AgencyAccess(agency: 3, outcome: .delivered, bulletins: refs)),
            ("descending", AgencyAccess(agency: 3, outcome: .delivered, bulletins: [refs[1], refs[0]])),
            ("repeated", AgencyAccess(agency: 3, outcome: .delivered, bulletins: [refs[0], refs[0]])),
            ("agency above 2^53 − 1", AgencyAccess(agency: 1 << 53, outcome: .refused)),
        ]
        let valid = try Self.entry(AgencyAccess(agency: 0, outcome: .refused))
        for (what, access) in cases {
            #expect(throws: FormatError.self, "\(what)") { try Self.entry(access) }
            var bytes = Array(valid.canonicalBytes.prefix(Self.kindOffset + 1))
            bytes += withUnsafeBytes(of: access.agency.bigEndian, Array.init)
            bytes += [access.outcome.rawValue, UInt8(clamping: access.bulletins.count)]
            for reference in access.bulletins.prefix(255) { bytes += Array(reference.origin.description.utf8) + reference.id.bytes }
            #expect(throws: FormatError.self, "\(what) as bytes") { try AuditEntry(canonicalBytes: bytes) }
            let json = #"{"kind":"agencyAccess","agency":\#(access.agency),"outcome":"\#(access.outcome)","bulletins":[\#(access.bulletins.map { "\"\($0)\"" }.joined(separator: ","))]}"#
            #expect(throws: (any Error).self, "\(what) as JSON") { try JSONDecoder().decode(AuditEvent.self, from: Data(json.utf8)) }
        }
        // An unknown outcome code, a count above 100, a truncated list, bytes after the list.
        let prefix = Array(valid.canonicalBytes.prefix(Self.kindOffset + 1)) + [0, 0, 0, 0, 0, 0, 0, 3]
        for (what, tail) in [
            ("outcome 2", [2, 0]), ("count 101", [0, 101]), ("count 2, one reference", [0, 2] + Array("DZ".utf8) + refs[0].id.bytes),
            ("a byte after the list", [0, 0, 0]),
        ] as [(String, [UInt8])] {
            #expect(throws: FormatError.self, "\(what)") { try AuditEntry(canonicalBytes: prefix + tail) }
        }
        for json in [
            #"{"kind":"agencyAccess","agency":3,"outcome":"stolen","bulletins":[]}"#,
            #"{"kind":"agencyAccess","agency":3,"outcome":"delivered","bulletins":["<script>"]}"#,
            #"{"kind":"agencyAccess","agency":3,"outcome":"delivered"}"#,
            #"{"kind":"agencyAccess","agency":-1,"outcome":"refused","bulletins":[]}"#,
        ] {
            #expect(throws: (any Error).self, "\(json)") { try JSONDecoder().decode(AuditEvent.self, from: Data(json.utf8)) }
        }
    }
}
