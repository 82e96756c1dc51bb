import Audit
import Exchange
import Foundation
import Sodium
import Testing

/// Decodes a hexadecimal literal (test constants: a typo makes the test fail, not crash).
func hex(_ text: String) -> [UInt8] {
    (try? Hex.decode(text)) ?? []
}

/// A Merkle hash literal (64 hex digits); a typo gives 32 zero bytes and fails the test.
func merkle(_ text: String) -> MerkleHash {
    (try? MerkleHash(hex: text)) ?? zeroHash
}

let zeroHash: MerkleHash = (try? MerkleHash(bytes: [UInt8](repeating: 0, count: 32))) ?? MerkleHasher.emptyRoot

/// A state code literal of a test.
func state(_ text: String) -> StateCode {
    (try? StateCode(text)) ?? (try? StateCode("ZZ"))!
}

/// A copy of `hash` with bit `bit` of byte `byte` flipped.
func flipped(_ hash: MerkleHash, byte: Int, bit: Int = 0) -> MerkleHash {
    var bytes = hash.bytes
    bytes[byte] ^= UInt8(1) << UInt8(bit)
    return (try? MerkleHash(bytes: bytes)) ?? zeroHash
}

/// Where the committed audit vectors live: `Tests/Vectors/audit`, found from this file's path.
enum AuditVectorFiles {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // AuditTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Vectors", isDirectory: true)
        .appendingPathComponent("audit", isDirectory: true)

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// Whether this run writes the vectors instead of checking them.
    static var writing: Bool { ProcessInfo.processInfo.environment["BORDERNET_WRITE_VECTORS"] == "1" }
}

/// Fixed keys and values. Secrets are `SHA-256("BorderNet test vector: " ‖ label)` exactly as in
/// Tests/Vectors/README.md, so the audit vectors' MA node is the MA node of identities.json.
enum AuditFixtures {
    struct FixtureError: Error, CustomStringConvertible {
        let description: String
    }

    static func secret(_ label: String) -> SecretBytes {
        SecretBytes(copying: SHA256.hash(Array("BorderNet test vector: \(label)".utf8)))
    }

    /// The node of `label` (`MA`, `DZ`…) with the same keys and card as Exchange's vector fixtures.
    static func identity(_ label: String, name: String, host: String) throws -> NodeIdentity {
        try NodeIdentity(
            state: StateCode(label), nodeName: name,
            endpoints: NodeEndpoints(publish: "tcp://\(host):7450", service: "tcp://\(host):7451"),
            signingKey: Ed25519.PrivateKey(seed: secret("\(label) signing")),
            encryptionKey: X25519.PrivateKey(rawRepresentation: secret("\(label) encryption")),
            transportKey: X25519.PrivateKey(rawRepresentation: secret("\(label) transport")))
    }

    static func morocco() throws -> NodeIdentity {
        try identity("MA", name: "ma-rabat-1", host: "bordernet.ma.example")
    }

    static func algeria() throws -> NodeIdentity {
        try identity("DZ", name: "dz-alger-1", host: "bordernet.dz.example")
    }

    /// 2025-03-01T12:00:00Z, the base time of the Exchange vectors.
    static let base = Timestamp(millisecondsSinceEpoch: 1_740_830_400_000)

    static func envelopeHash(_ label: String) throws -> EnvelopeHash {
        try EnvelopeHash(bytes: SHA256.hash(Array("envelope \(label)".utf8)))
    }

    static func bulletin(_ number: UInt8) throws -> BulletinID {
        try BulletinID(bytes: [0x01, 0x95, 0x51, 0x9a, 0x46, 0xa0, 0x78, 0x8b, 0x9b, 0x45, 0x73, 0xaf, 0x78, 0x09, 0x74, number])
    }

    /// One event of every kind, as MA's node would record them (the first twelve in kind order).
    static func oneOfEachKind() throws -> [(desc: String, event: AuditEvent)] {
        let ma = state("MA")
        let dz = state("DZ")
        let maToDz = Link(origin: ma, recipient: dz)
        let dzToMa = Link(origin: dz, recipient: ma)
        return [
            ("the node started, running 0.1.0", .nodeStarted(softwareVersion: "0.1.0")),
            ("roster version 7 installed", .rosterInstalled(version: 7)),
            ("a bulletin posted to DZ and MR (recipients in ascending order)",
             .bulletinPosted(bulletin: try bulletin(5), incidentType: "drug-trafficking", tlp: .amber, recipients: [state("MR"), dz])),
            ("envelope 1 of MA→DZ sealed and published", .envelopeSent(link: maToDz, sequence: 1, hash: try envelopeHash("MA→DZ 1"), bulletin: try bulletin(5))),
            ("envelope 4 of DZ→MA accepted", .envelopeReceived(link: dzToMa, sequence: 4, hash: try envelopeHash("DZ→MA 4"), status: .accepted)),
            ("envelope 5 of DZ→MA rejected: badSignature (203)",
             .envelopeReceived(link: dzToMa, sequence: 5, hash: try envelopeHash("DZ→MA 5 forged"), status: .rejected(.badSignature))),
            ("300 bytes from DZ that are not an envelope: truncated (101)",
             .envelopeUnreadable(peer: dz, byteCount: 300, hash: try envelopeHash("garbage"), reason: .truncated)),
            ("receipt sent for DZ→MA 4 (accepted)", .receiptSent(link: dzToMa, sequence: 4, hash: try envelopeHash("DZ→MA 4"), status: .accepted)),
            ("receipt received for MA→DZ 1 (accepted)", .receiptReceived(link: maToDz, sequence: 1, hash: try envelopeHash("MA→DZ 1"), status: .accepted)),
            ("replay of DZ→MA 2…3 requested", .replayRequested(link: dzToMa, sequences: 2...3)),
            ("replay of MA→DZ 1…1 served", .replayServed(link: maToDz, sequences: 1...1)),
            ("the node stopped", .nodeStopped),
            // Kinds added later come after the first twelve, so the proof vectors over those keep their bytes.
            ("DZ sent 37 heartbeats claiming more than its link holds: implausibleClaim (602), summarised for one 10 s interval",
             .messagesRefused(peer: dz, reason: .implausibleClaim, count: 37)),
            ("2 connections with CURVE keys outside the roster refused in one 10 s interval", .connectionsRefused(count: 2)),
            ("console account 7, a reader, was refused a DZ bulletin its clearance does not allow",
             .consoleAccess(ConsoleAccess(account: 7, role: .reader, action: .openBulletin, outcome: .refused, bulletin: BulletinReference(origin: dz, id: try bulletin(9))))),
            ("a console sign-in for a name that is no account was refused (account 0, role none, no bulletin)",
             .consoleAccess(ConsoleAccess(account: 0, role: .none, action: .signIn, outcome: .refused))),
            ("41 console access records over the rate bound, summarised for one 10 s interval", .consoleAccessDropped(count: 41)),
            ("agency credential 3 was delivered two bulletins by the TAXII server (references in ascending order)",
             .agencyAccess(AgencyAccess(agency: 3, delivered: [BulletinReference(origin: dz, id: try bulletin(9)), BulletinReference(origin: ma, id: try bulletin(1))]))),
            ("a TAXII request without a valid token was refused (agency 0, no bulletin)", .agencyAccess(AgencyAccess(agency: 0, outcome: .refused))),
            ("a console user added watch-list entry 12 (the value, label and user's name are not logged)",
             .watchListChanged(WatchListChange(owner: .user, change: .added, entry: 12))),
            ("the operator removed watch-list entry 3", .watchListChanged(WatchListChange(owner: .operatorOfNode, change: .removed, entry: 3))),
            ("a DZ bulletin matched watch-list entry 12 and raised an alert", .alertRaised(entry: 12, bulletin: BulletinReference(origin: dz, id: try bulletin(9)))),
            ("DZ's node offered a roster whose signature is not the secretariat's: refused before it was read (badSignature, version 0)",
             .rosterRefused(source: dz, version: 0, reason: .badSignature)),
            ("the node's operator gave it roster version 6, older than the installed 7: refused (rollback); no source",
             .rosterRefused(source: nil, version: 6, reason: .rollback)),
            ("the node switched to its next keys, whose card roster version 8 holds", .keysRotated(rosterVersion: 8)),
            ("roster version 9 revoked DZ's keys from 2025-03-01T12:00:00Z: the 3 DZ bulletins the node had accepted, created or stored since, were flagged for review",
             .bulletinsFlagged(origin: dz, since: Timestamp(millisecondsSinceEpoch: 1_740_830_400_000), count: 3, rosterVersion: 9)),
            ("a post stored file 1 of its bulletin, 1,048,576 bytes",
             .attachmentStored(bulletin: try bulletin(5), number: 1, digest: try AttachmentDigest(bytes: [UInt8](repeating: 0xA1, count: 32)), size: 1_048_576)),
            ("the node finished pulling file 2 of a DZ bulletin and holds it",
             .attachmentReceived(
                link: dzToMa, bulletin: try bulletin(6), number: 2, digest: try AttachmentDigest(bytes: [UInt8](repeating: 0xB2, count: 32)),
                size: 70_000, held: true)),
            ("DZ's attachment receipt: it refused file 1",
             .attachmentAcknowledged(
                link: maToDz, bulletin: try bulletin(5), number: 1, digest: try AttachmentDigest(bytes: [UInt8](repeating: 0xA1, count: 32)),
                held: false)),
        ]
    }

    /// A fresh temporary directory for one test's SQLite files.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bordernet-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The RFC 9162 definitions written as directly as the RFC states them (no stored subtrees): the
/// reference the optimised ``MerkleTree`` is compared with.
enum ReferenceMerkle {
    static func k(_ n: Int) -> Int {
        var power = 1
        while power * 2 < n { power *= 2 }
        return power
    }

    static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] { SHA256.hash([0x01] + left + right) }

    static func mth(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        switch leaves.count {
        case 0: return SHA256.hash([])
        case 1: return SHA256.hash([0x00] + leaves[leaves.startIndex])
        default:
            let split = leaves.startIndex + k(leaves.count)
            return node(mth(leaves[leaves.startIndex..<split]), mth(leaves[split...]))
        }
    }

    static func path(_ m: Int, _ leaves: ArraySlice<[UInt8]>) -> [[UInt8]] {
        guard leaves.count > 1 else { return [] }
        let split = leaves.startIndex + k(leaves.count)
        if m < k(leaves.count) { return path(m, leaves[leaves.startIndex..<split]) + [mth(leaves[split...])] }
        return path(m - k(leaves.count), leaves[split...]) + [mth(leaves[leaves.startIndex..<split])]
    }

    static func subproof(_ m: Int, _ leaves: ArraySlice<[UInt8]>, _ complete: Bool) -> [[UInt8]] {
        let n = leaves.count
        if m == n { return complete ? [] : [mth(leaves)] }
        let split = leaves.startIndex + k(n)
        if m <= k(n) { return subproof(m, leaves[leaves.startIndex..<split], complete) + [mth(leaves[split...])] }
        return subproof(m - k(n), leaves[split...], false) + [mth(leaves[leaves.startIndex..<split])]
    }
}
