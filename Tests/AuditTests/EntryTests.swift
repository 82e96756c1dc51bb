import Audit
import Exchange
import Foundation
import Testing

@Suite("Audit entries: canonical bytes, JSON, strict decoding")
struct EntryTests {
    static func entries() throws -> [AuditEntry] {
        try AuditFixtures.oneOfEachKind().enumerated().map { index, item in
            try AuditEntry(index: UInt64(index), time: AuditFixtures.base.adding(milliseconds: UInt64(index) * 1000), state: state("MA"), event: item.event)
        }
    }

    @Test("every kind round-trips through bytes and JSON, and bytes start with BNAE 01")
    func roundTrip() throws {
        let entries = try Self.entries()
        #expect(Set(entries.map(\.event.kind)) == Set(AuditEvent.Kind.allCases))
        for entry in entries {
            let bytes = entry.canonicalBytes
            #expect(Array(bytes.prefix(5)) == Array("BNAE".utf8) + [1])
            #expect(try AuditEntry(canonicalBytes: bytes) == entry, "\(entry)")
            let json = try JSONEncoder().encode(entry)
            #expect(try JSONDecoder().decode(AuditEntry.self, from: json) == entry, "\(entry)")
            #expect(entry.leafHash == MerkleHasher.leafHash(bytes))
        }
    }

    @Test("every truncation and any trailing byte is a FormatError, never a crash")
    func truncation() throws {
        for entry in try Self.entries() {
            let bytes = entry.canonicalBytes
            for cut in 0..<bytes.count {
                #expect(throws: FormatError.self, "\(entry) cut at \(cut)") { try AuditEntry(canonicalBytes: Array(bytes.prefix(cut))) }
            }
            #expect(throws: FormatError.trailingBytes(what: "audit entry", count: 1)) { try AuditEntry(canonicalBytes: bytes + [0]) }
        }
    }

    @Test("unknown kind, wrong tag or version, bad state, bad TLP, bad status are refused")
    func refusals() throws {
        let entry = try AuditEntry(index: 3, time: AuditFixtures.base, state: state("MA"), event: .nodeStopped)
        var bytes = entry.canonicalBytes
        let kindOffset = 4 + 1 + 8 + 8 + 2
        #expect(bytes[kindOffset] == AuditEvent.Kind.nodeStopped.rawValue)
        bytes[kindOffset] = 99
        #expect(throws: FormatError.invalidField(field: "event kind", reason: "code 99 is not a known kind of event")) {
            try AuditEntry(canonicalBytes: bytes)
        }
        var wrongTag = entry.canonicalBytes
        wrongTag[0] = 0x58
        #expect(throws: FormatError.wrongTag(what: "audit entry")) { try AuditEntry(canonicalBytes: wrongTag) }
        var wrongVersion = entry.canonicalBytes
        wrongVersion[4] = 2
        #expect(throws: FormatError.unsupportedFormatVersion(what: "audit entry", version: 2)) { try AuditEntry(canonicalBytes: wrongVersion) }
        var lowerCaseState = entry.canonicalBytes
        lowerCaseState[21] = 0x6D
        #expect(throws: FormatError.self) { try AuditEntry(canonicalBytes: lowerCaseState) }

        let entries = try Self.entries()
        // bulletinPosted: kind ‖ id[16] ‖ type ‖ TLP — TLP 5 is refused.
        let posted = try #require(entries.first { $0.event.kind == .bulletinPosted }).canonicalBytes
        var badTLP = posted
        let tlpOffset = kindOffset + 1 + 16 + 2 + "drug-trafficking".utf8.count
        #expect(badTLP[tlpOffset] == TLP.amber.rawValue)
        badTLP[tlpOffset] = 5
        #expect(throws: FormatError.self) { try AuditEntry(canonicalBytes: badTLP) }
        // Recipients DZ, MR: swapping them breaks the canonical order.
        var swapped = posted
        let recipients = tlpOffset + 1 + 2
        #expect(Array(swapped[recipients..<(recipients + 4)]) == Array("DZMR".utf8))
        swapped.replaceSubrange(recipients..<(recipients + 4), with: Array("MRDZ".utf8))
        #expect(throws: FormatError.self) { try AuditEntry(canonicalBytes: swapped) }
        // envelopeReceived accepted: status 0 with a reason is malformed.
        let received = try #require(entries.first { $0.event.kind == .envelopeReceived }).canonicalBytes
        var reasonWithAccepted = received
        reasonWithAccepted[reasonWithAccepted.count - 1] = 1
        #expect(throws: FormatError.self) { try AuditEntry(canonicalBytes: reasonWithAccepted) }
        var sequenceZero = received
        sequenceZero.replaceSubrange((kindOffset + 5)..<(kindOffset + 13), with: [UInt8](repeating: 0, count: 8))
        #expect(throws: FormatError.invalidField(field: "link sequence", reason: "0 is not a sequence")) {
            try AuditEntry(canonicalBytes: sequenceZero)
        }
    }

    @Test("events that break the rules cannot become entries")
    func validation() throws {
        let bulletin = try AuditFixtures.bulletin(1)
        let hash = try AuditFixtures.envelopeHash("x")
        let link = Link(origin: state("MA"), recipient: state("DZ"))
        let invalid: [AuditEvent] = [
            .nodeStarted(softwareVersion: ""),
            .nodeStarted(softwareVersion: "1.0 beta"),
            .nodeStarted(softwareVersion: String(repeating: "9", count: 65)),
            .bulletinPosted(bulletin: bulletin, incidentType: "Drug", tlp: .red, recipients: []),
            .bulletinPosted(bulletin: bulletin, incidentType: "", tlp: .red, recipients: []),
            .envelopeSent(link: link, sequence: 0, hash: hash, bulletin: bulletin),
            .receiptSent(link: link, sequence: 0, hash: hash, status: .accepted),
            .replayServed(link: link, sequences: 0...3),
        ]
        for event in invalid {
            #expect(throws: FormatError.self, "\(event)") {
                try AuditEntry(index: 0, time: AuditFixtures.base, state: state("MA"), event: event)
            }
        }
    }

    @Test("JSON: kind names, status and reason, recipients sorted; unknown kind refused")
    func json() throws {
        let entries = try Self.entries()
        let rejected = try #require(entries.first { if case .envelopeReceived(_, _, _, .rejected) = $0.event { true } else { false } })
        let text = String(decoding: try JSONEncoder().encode(rejected.event), as: UTF8.self)
        #expect(text.contains("\"kind\":\"envelopeReceived\""))
        #expect(text.contains("\"status\":\"rejected\""))
        #expect(text.contains("\"reason\":203"))
        let posted = try #require(entries.first { $0.event.kind == .bulletinPosted })
        #expect(String(decoding: try JSONEncoder().encode(posted.event), as: UTF8.self).contains("\"recipients\":[\"DZ\",\"MR\"]"))
        let unknown = Data(#"{"kind":"bulletinRead"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(AuditEvent.self, from: unknown) }
        let acceptedWithReason = Data(
            #"{"kind":"receiptSent","link":{"origin":"DZ","recipient":"MA"},"sequence":1,"hash":"\#(String(repeating: "00", count: 32))","status":"accepted","reason":203}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(AuditEvent.self, from: acceptedWithReason) }
    }
}
