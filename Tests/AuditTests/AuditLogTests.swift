import Audit
import Exchange
import Foundation
import GRDB
import Testing

@Suite("The audit log's SQLite file")
struct AuditLogTests {
    /// A log in a fresh directory with `count` entries (cycling through every kind) and signed
    /// heads at the given sizes.
    static func makeLog(entries count: Int, headsAt sizes: [Int] = []) throws -> (log: AuditLog, path: String) {
        let path = try AuditFixtures.temporaryDirectory().appendingPathComponent("audit.sqlite").path
        let log = try AuditLog(path: path, state: state("MA"))
        let events = try AuditFixtures.oneOfEachKind().map(\.event)
        let identity = try AuditFixtures.morocco()
        for index in 0..<count {
            try log.append(events[index % events.count], at: AuditFixtures.base.adding(milliseconds: UInt64(index)))
            if sizes.contains(index + 1) { _ = try log.treeHead(signedBy: identity, at: AuditFixtures.base.adding(milliseconds: UInt64(index))) }
        }
        return (log, path)
    }

    /// Runs `sql` on the log's file behind its back, as someone editing the file would.
    static func tamper(_ path: String, _ sql: String, _ arguments: StatementArguments = []) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    @Test("the last N entries of a kind: found backwards past other kinds, within the scan bound")
    func lastOfKind() throws {
        let (log, _) = try Self.makeLog(entries: 0)
        let access = AuditEvent.consoleAccess(ConsoleAccess(account: 7, role: .reader, action: .signIn, outcome: .succeeded))
        var events = Array(repeating: AuditEvent.nodeStopped, count: 2_500)
        events[5] = access
        events[2_100] = access
        _ = try log.append(events, at: AuditFixtures.base)
        let both = try log.lastEntries(2, of: [.consoleAccess], scanning: 1_000_000)
        #expect(both.entries.map(\.index) == [5, 2_100] && both.complete && both.scanned == 2_500)
        #expect(try log.lastEntries(1, of: [.consoleAccess], scanning: 1_000_000).entries.map(\.index) == [2_100])
        let fewer = try log.lastEntries(50, of: [.consoleAccess], scanning: 1_000_000)
        #expect(fewer.entries.count == 2 && fewer.complete)
        let bounded = try log.lastEntries(2, of: [.consoleAccess], scanning: 1_500)
        #expect(bounded.entries.map(\.index) == [2_100] && !bounded.complete && bounded.scanned == 1_500)
        #expect(try log.lastEntries(3, of: [], scanning: 1_000_000).entries.map(\.index) == [2_497, 2_498, 2_499])
        #expect(try log.lastEntries(3, of: [.bulletinPosted], scanning: 1_000_000).entries.isEmpty)
    }

    @Test("append batches get consecutive indexes; entries, roots and proofs agree with a MerkleTree")
    func appendAndRead() throws {
        let (log, _) = try Self.makeLog(entries: 0)
        let events = try AuditFixtures.oneOfEachKind().map(\.event)
        let n = UInt64(events.count)
        #expect(try log.append(events, at: AuditFixtures.base) == 0..<n)
        #expect(try log.append(events, at: AuditFixtures.base.adding(milliseconds: 5)) == n..<(2 * n))
        #expect(try log.append([], at: AuditFixtures.base) == (2 * n)..<(2 * n))
        #expect(log.size == 2 * n)
        let entries = try log.entries(in: 0..<100)
        #expect(entries.count == 2 * events.count)
        #expect(entries.map(\.index) == Array(0..<(2 * n)))
        #expect(entries.map(\.event) == events + events)
        #expect(entries.allSatisfy { $0.state == state("MA") })
        #expect(try log.entries(in: 5..<7).map(\.index) == [5, 6])
        let tree = MerkleTree(leafHashes: entries.map(\.leafHash))
        #expect(try log.root(at: 2 * n) == tree.root)
        #expect(try log.root(at: 11) == tree.root(at: 11))
        let proof = try log.inclusionProof(index: 7, treeSize: 20)
        try proof.verify(leafHash: entries[7].leafHash, root: tree.root(at: 20))
        try log.consistencyProof(from: 9, to: 2 * n).verify(firstRoot: tree.root(at: 9), secondRoot: tree.root)
        #expect(throws: AuditLogError.self) { try log.inclusionProof(index: 3, treeSize: 2 * n + 1) }
    }

    @Test("an invalid event writes nothing of its batch")
    func atomicBatch() throws {
        let (log, _) = try Self.makeLog(entries: 3)
        #expect(throws: AuditLogError.self) {
            try log.append([.nodeStopped, .nodeStarted(softwareVersion: "")], at: AuditFixtures.base)
        }
        #expect(log.size == 3)
        #expect(try log.entries(in: 0..<10).count == 3)
    }

    @Test("tree heads: signed at the current size, stored, latest returned, survive reopening")
    func treeHeadsAndReopen() throws {
        let (log, path) = try Self.makeLog(entries: 10, headsAt: [4, 10])
        let identity = try AuditFixtures.morocco()
        let latest = try #require(try log.latestTreeHead())
        #expect(latest.head.treeSize == 10)
        #expect(latest.head.rootHash == (try log.root(at: 10)))
        try latest.verify(card: identity.card)
        #expect(try log.treeHeads().map(\.head.treeSize) == [4, 10])
        #expect(throws: AuditLogError.self) { try log.treeHead(signedBy: AuditFixtures.algeria(), at: AuditFixtures.base) }

        let reopened = try AuditLog(path: path, state: state("MA"))
        #expect(reopened.size == 10)
        #expect(try reopened.root(at: 10) == (try log.root(at: 10)))
        #expect(try reopened.latestTreeHead() == latest)
        try reopened.append(.nodeStopped, at: AuditFixtures.base)
        #expect(reopened.size == 11)
        let summary = try reopened.verify(signingKey: identity.signingKey.publicKey)
        #expect(summary.entryCount == 11)
        #expect(summary.treeHeadCount == 2)
    }

    @Test("verify passes on an untouched log, and on an empty one")
    func verifyClean() throws {
        let (log, _) = try Self.makeLog(entries: 40, headsAt: [1, 7, 16, 40])
        let summary = try log.verify()
        #expect(summary.entryCount == 40)
        #expect(summary.treeHeadCount == 4)
        #expect(summary.root == (try log.root(at: 40)))
        #expect(try Self.makeLog(entries: 0).log.verify().entryCount == 0)
    }

    @Test("a changed byte of an entry's row makes verify fail naming that entry")
    func tamperedBytes() throws {
        let (log, path) = try Self.makeLog(entries: 30, headsAt: [30])
        // Byte 40 of entry 17 (inside its event's fields) flipped in the SQLite file.
        let bytes = try #require(try log.entries(in: 17..<18).first).canonicalBytes
        var changed = bytes
        changed[changed.count - 1] ^= 0x01
        try Self.tamper(path, "UPDATE entry SET bytes = ? WHERE leaf_index = 17", [Data(changed)])
        #expect(throws: AuditVerificationError.self) { try log.verify() }
        do {
            try log.verify()
        } catch {
            // The last byte of a nodeStarted/receipt… entry may leave it decodable or not; either way entry 17 is named.
            switch error {
            case .leafHashMismatch(let index), .malformedEntry(let index, _): #expect(index == 17)
            default: Issue.record("unexpected \(error)")
            }
            #expect(error.description.contains("17"))
        }
    }

    @Test("bytes and leaf hash rewritten together: the signed heads pin the entry")
    func tamperedBytesAndHash() throws {
        let (log, path) = try Self.makeLog(entries: 12, headsAt: [5, 6, 12])
        let replacement = try AuditEntry(index: 5, time: AuditFixtures.base, state: state("MA"), event: .nodeStopped)
        try Self.tamper(
            path, "UPDATE entry SET bytes = ?, leaf_hash = ? WHERE leaf_index = 5",
            [Data(replacement.canonicalBytes), Data(replacement.leafHash.bytes)])
        #expect(throws: AuditVerificationError.treeHeadRootMismatch(treeSize: 6, suspects: 5..<6)) { try log.verify() }
    }

    @Test("deleted, moved and foreign rows, truncated tails and damaged heads are each named")
    func otherDamage() throws {
        do {
            let (log, path) = try Self.makeLog(entries: 10)
            try Self.tamper(path, "DELETE FROM entry WHERE leaf_index = 4")
            #expect(throws: AuditVerificationError.missingEntry(index: 4)) { try log.verify() }
        }
        do {
            let (log, path) = try Self.makeLog(entries: 10)
            let four = try #require(try log.entries(in: 4..<5).first)
            try Self.tamper(path, "UPDATE entry SET bytes = ?, leaf_hash = ? WHERE leaf_index = 6", [Data(four.canonicalBytes), Data(four.leafHash.bytes)])
            #expect(throws: AuditVerificationError.indexMismatch(index: 6, recorded: 4)) { try log.verify() }
        }
        do {
            let (log, path) = try Self.makeLog(entries: 10)
            let foreign = try AuditEntry(index: 2, time: AuditFixtures.base, state: state("DZ"), event: .nodeStopped)
            try Self.tamper(path, "UPDATE entry SET bytes = ?, leaf_hash = ? WHERE leaf_index = 2", [Data(foreign.canonicalBytes), Data(foreign.leafHash.bytes)])
            #expect(throws: AuditVerificationError.foreignEntry(index: 2, state: "DZ")) { try log.verify() }
        }
        do {
            let (log, path) = try Self.makeLog(entries: 10, headsAt: [10])
            try Self.tamper(path, "DELETE FROM entry WHERE leaf_index >= 8")
            #expect(throws: AuditVerificationError.treeHeadBeyondLog(treeSize: 10, entryCount: 8)) { try log.verify() }
        }
        do {
            let (log, path) = try Self.makeLog(entries: 10, headsAt: [10])
            let head = try #require(try log.latestTreeHead()).serializedBytes
            var damaged = head
            damaged[30] ^= 0x01  // inside the signing key
            try Self.tamper(path, "UPDATE tree_head SET signed_bytes = ?", [Data(damaged)])
            #expect(throws: AuditVerificationError.treeHeadSignatureInvalid(treeSize: 10)) { try log.verify() }
            try Self.tamper(path, "UPDATE tree_head SET signed_bytes = ?", [Data(head.dropLast())])
            #expect(throws: AuditVerificationError.self) { try log.verify() }
        }
        do {
            // A head signed by another key than the node's is refused when the node's key is given.
            let (log, _) = try Self.makeLog(entries: 3, headsAt: [3])
            #expect(throws: AuditVerificationError.treeHeadSignatureInvalid(treeSize: 3)) {
                try log.verify(signingKey: AuditFixtures.algeria().signingKey.publicKey)
            }
        }
    }

    @Test("a log truncated and regrown cannot prove consistency with its earlier head")
    func truncatedAndRegrown() throws {
        let (log, path) = try Self.makeLog(entries: 10, headsAt: [10])
        let earlier = try #require(try log.latestTreeHead())
        try Self.tamper(path, "DELETE FROM entry WHERE leaf_index >= 6")
        try Self.tamper(path, "DELETE FROM tree_head")
        let regrown = try AuditLog(path: path, state: state("MA"))
        for index in 6..<14 { try regrown.append(.rosterInstalled(version: UInt64(index)), at: AuditFixtures.base) }
        let identity = try AuditFixtures.morocco()
        let later = try regrown.treeHead(signedBy: identity, at: AuditFixtures.base.adding(milliseconds: 1))
        let proof = try regrown.consistencyProof(from: 10, to: 14)
        #expect(throws: MerkleProofError.self) { try later.head.verifyConsistency(from: earlier.head, proof: proof) }
        #expect(try regrown.root(at: 10) != earlier.head.rootHash)
    }
}
