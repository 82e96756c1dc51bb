import Audit
import Exchange
import Foundation
import Testing

@Suite("Roster refusal entries (kind 55): bytes, JSON, the RosterError mapping, and every malformed form refused")
struct RosterRefusalEntryTests {
    static let kindOffset = 4 + 1 + 8 + 8 + 2

    static func entry(source: StateCode?, version: UInt64, reason: RosterRefusal) throws -> AuditEntry {
        try AuditEntry(
            index: 0, time: AuditFixtures.base, state: state("MA"),
            event: .rosterRefused(source: source, version: version, reason: reason))
    }

    /// The fields after the kind byte, written by hand as docs/AUDIT.md §3.2 gives them.
    static func fields(presence: UInt8, source: String? = nil, version: UInt64, reason: UInt8) -> [UInt8] {
        [presence] + Array((source ?? "").utf8) + withUnsafeBytes(of: version.bigEndian, Array.init) + [reason]
    }

    /// An entry's bytes up to and including the kind byte 55, followed by `fields`.
    static func bytes(_ fields: [UInt8]) throws -> [UInt8] {
        let common = try entry(source: nil, version: 1, reason: .malformed).canonicalBytes.prefix(kindOffset + 1)
        return Array(common) + fields
    }

    @Test("the reason codes are 1…8 with camelCase JSON names, and the names round-trip")
    func reasons() {
        #expect(
            RosterRefusal.allCases.map(\.rawValue) == [1, 2, 3, 4, 5, 6, 7, 8]
                && RosterRefusal.allCases.map(\.description) == [
                    "tooLarge", "malformed", "badSignature", "rollback", "versionConflict", "expired",
                    "notThisNodesCard", "schemaNotRead",
                ])
        for reason in RosterRefusal.allCases { #expect(RosterRefusal(name: reason.description) == reason) }
        #expect(
            RosterRefusal(name: "BadSignature") == nil && RosterRefusal(name: "") == nil
                && RosterRefusal(rawValue: 0) == nil)
        #expect(
            AuditEvent.Kind.rosterRefused.rawValue == 55 && AuditEvent.Kind(name: "rosterRefused") == .rosterRefused)
    }

    @Test(
        "the bytes are kind 55 ‖ presence ‖ [source] ‖ version u64 ‖ reason: 10 bytes, or 12 with a source; every reason round-trips as bytes and JSON"
    )
    func layout() throws {
        let dz = state("DZ")
        let offered = try Self.entry(source: dz, version: 9, reason: .rollback)
        #expect(
            Array(offered.canonicalBytes[Self.kindOffset...]) == [55, 1] + Array("DZ".utf8) + [
                0, 0, 0, 0, 0, 0, 0, 9, 4,
            ])
        let operatorsFile = try Self.entry(source: nil, version: 0, reason: .badSignature)
        #expect(Array(operatorsFile.canonicalBytes[Self.kindOffset...]) == [55, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3])
        for reason in RosterRefusal.allCases {
            for source in [nil, dz] {
                for version: UInt64 in [0, 7, .max] {
                    let entry = try Self.entry(source: source, version: version, reason: reason)
                    let bytes = entry.canonicalBytes
                    #expect(
                        bytes.count == Self.kindOffset + 1 + (source == nil ? 10 : 12),
                        "\(reason) \(String(describing: source))")
                    #expect(bytes.last == reason.rawValue)
                    #expect(
                        try AuditEntry(canonicalBytes: bytes) == entry,
                        "\(reason) \(String(describing: source)) \(version)")
                    #expect(try JSONDecoder().decode(AuditEntry.self, from: JSONEncoder().encode(entry)) == entry)
                }
            }
        }
    }

    @Test(
        "JSON: source omitted for the operator, the reason by name; unknown or numeric reasons and bad sources refused")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let offered = AuditEvent.rosterRefused(source: state("DZ"), version: 9, reason: .versionConflict)
        #expect(
            String(decoding: try encoder.encode(offered), as: UTF8.self)
                == #"{"kind":"rosterRefused","reason":"versionConflict","source":"DZ","version":9}"#)
        let fromFile = AuditEvent.rosterRefused(source: nil, version: 0, reason: .tooLarge)
        #expect(
            String(decoding: try encoder.encode(fromFile), as: UTF8.self)
                == #"{"kind":"rosterRefused","reason":"tooLarge","version":0}"#)
        #expect(
            try JSONDecoder().decode(
                AuditEvent.self,
                from: Data(#"{"kind":"rosterRefused","source":"TN","version":3,"reason":"notThisNodesCard"}"#.utf8))
                == .rosterRefused(source: state("TN"), version: 3, reason: .notThisNodesCard))
        #expect(
            try JSONDecoder().decode(
                AuditEvent.self,
                from: Data(#"{"kind":"rosterRefused","source":null,"version":3,"reason":"schemaNotRead"}"#.utf8))
                == .rosterRefused(source: nil, version: 3, reason: .schemaNotRead))
        for json in [
            #"{"kind":"rosterRefused","version":3,"reason":"forged"}"#,
            #"{"kind":"rosterRefused","version":3,"reason":3}"#,
            #"{"kind":"rosterRefused","version":3}"#,
            #"{"kind":"rosterRefused","reason":"expired"}"#,
            #"{"kind":"rosterRefused","version":-1,"reason":"expired"}"#,
            #"{"kind":"rosterRefused","source":"dz","version":3,"reason":"expired"}"#,
            #"{"kind":"rosterRefused","source":"DZA","version":3,"reason":"expired"}"#,
        ] {
            #expect(throws: (any Error).self, "\(json)") {
                try JSONDecoder().decode(AuditEvent.self, from: Data(json.utf8))
            }
        }
    }

    @Test("a presence byte of 2, reasons 0 and 9, a bad source, a truncation and a trailing byte are refused")
    func malformed() throws {
        #expect(
            try AuditEntry(canonicalBytes: Self.bytes(Self.fields(presence: 1, source: "DZ", version: 4, reason: 2)))
                .event
                == .rosterRefused(source: state("DZ"), version: 4, reason: .malformed))
        #expect(
            throws: FormatError.invalidField(
                field: "roster source presence", reason: "2 is neither 0 (the node's operator) nor 1")
        ) {
            try AuditEntry(canonicalBytes: Self.bytes(Self.fields(presence: 2, source: "DZ", version: 4, reason: 2)))
        }
        for code: UInt8 in [0, 9, 255] {
            #expect(
                throws: FormatError.invalidField(
                    field: "roster refusal reason", reason: "code \(code) is not a known reason")
            ) {
                try AuditEntry(canonicalBytes: Self.bytes(Self.fields(presence: 0, version: 4, reason: code)))
            }
            #expect(throws: FormatError.self, "reason \(code) with a source") {
                try AuditEntry(
                    canonicalBytes: Self.bytes(Self.fields(presence: 1, source: "DZ", version: 4, reason: code)))
            }
        }
        // A source that is not two letters A–Z.
        #expect(throws: FormatError.self) {
            try AuditEntry(canonicalBytes: Self.bytes(Self.fields(presence: 1, source: "dz", version: 4, reason: 2)))
        }
        // Presence 0 followed by a source, presence 1 without one: the fields no longer line up, and are refused.
        #expect(throws: FormatError.self) {
            try AuditEntry(canonicalBytes: Self.bytes(Self.fields(presence: 0, source: "DZ", version: 4, reason: 2)))
        }
        #expect(throws: FormatError.self) {
            try AuditEntry(canonicalBytes: Self.bytes(Self.fields(presence: 1, version: 4, reason: 2)))
        }
        for source in [nil, "DZ"] {
            let valid = try Self.bytes(
                Self.fields(presence: source == nil ? 0 : 1, source: source, version: 4, reason: 2))
            #expect(try AuditEntry(canonicalBytes: valid).canonicalBytes == valid)
            for cut in (Self.kindOffset + 1)..<valid.count {
                #expect(throws: FormatError.self, "\(String(describing: source)) cut at \(cut)") {
                    try AuditEntry(canonicalBytes: Array(valid.prefix(cut)))
                }
            }
            #expect(throws: FormatError.trailingBytes(what: "audit entry", count: 1)) {
                try AuditEntry(canonicalBytes: valid + [0])
            }
        }
    }

    @Test(
        "RosterError maps to its reason: size, signature, rollback, version conflict and expiry keep theirs, every error of form or contents is malformed"
    )
    func rosterErrorMapping() throws {
        let ma = state("MA")
        let dz = state("DZ")
        let time = AuditFixtures.base
        let mapped: [(RosterError, RosterRefusal)] = [
            (.tooLarge(size: 1 << 20, limit: 1 << 16), .tooLarge),
            (.malformed(.trailingBytes(what: "roster", count: 1)), .malformed),
            (.badSignature, .badSignature),
            (.duplicateState(ma), .malformed),
            (.duplicateKey(state: ma, otherState: dz), .malformed),
            (.multipleSecretariats, .malformed),
            (.linkToNonMember(Link(origin: ma, recipient: dz)), .malformed),
            (.selfLink(ma), .malformed),
            (.duplicateLink(Link(origin: ma, recipient: dz)), .malformed),
            (.invalidSize(reason: "no members"), .malformed),
            (.invalidValidity(issuedAt: time, expiresAt: time), .malformed),
            (.rollback(offered: 3, installed: 4), .rollback),
            (.versionConflict(version: 4), .versionConflict),
            (.expired(expiresAt: time, now: time.adding(milliseconds: 1)), .expired),
            (.invalidReadsSchema(state: ma, version: BodySchemaVersion(major: 0, minor: 9)), .malformed),
        ]
        for (error, reason) in mapped { #expect(RosterRefusal(error) == reason, "\(error)") }
        // notThisNodesCard and schemaNotRead are the node's own checks of a roster Exchange accepted.
        #expect(!mapped.map(\.1).contains(.notThisNodesCard) && !mapped.map(\.1).contains(.schemaNotRead))
    }
}
