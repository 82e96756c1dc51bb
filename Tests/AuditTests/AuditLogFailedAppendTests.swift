import Audit
import Exchange
import Foundation
import GRDB
import Testing

/// An append the database refuses leaves the log as it was (issue 22, bug 5: the in-memory tree
/// running ahead of the file when it is extended before the SQLite write).
@Suite("The audit log after a failed append")
struct AuditLogFailedAppendTests {
    /// Catches issue 22 bug 5: `AuditLog.append` extending its Merkle tree before the INSERT
    /// commits. A trigger makes every insert fail; the append throws, the size and root stay
    /// those of the file, and once inserts work again the next entry gets the next index and
    /// `verify` (which rereads the file) agrees with the tree.
    @Test("an append the database refuses throws and changes neither size nor root; the next one gets the next index")
    func refusedInsert() throws {
        let (log, path) = try AuditLogTests.makeLog(entries: 5, headsAt: [5])
        let rootBefore = try log.root(at: 5)
        try AuditLogTests.tamper(
            path, "CREATE TRIGGER refuse_entries BEFORE INSERT ON entry BEGIN SELECT RAISE(ABORT, 'disk says no'); END")

        #expect(throws: AuditLogError.self) { try log.append(.nodeStopped, at: AuditFixtures.base) }
        #expect(throws: AuditLogError.self) {
            try log.append([.nodeStopped, .rosterInstalled(version: 9)], at: AuditFixtures.base)
        }
        #expect(log.size == 5)
        #expect(try log.root(at: 5) == rootBefore)
        #expect(throws: AuditLogError.self) { try log.root(at: 6) }
        // A head signed now covers what is in the file, nothing more.
        let head = try log.treeHead(signedBy: AuditFixtures.morocco(), at: AuditFixtures.base.adding(milliseconds: 1))
        #expect(head.head.treeSize == 5 && head.head.rootHash == rootBefore)

        try AuditLogTests.tamper(path, "DROP TRIGGER refuse_entries")
        #expect(try log.append(.nodeStopped, at: AuditFixtures.base.adding(milliseconds: 2)) == 5)
        #expect(log.size == 6)
        #expect(try log.entries(in: 0..<10).map(\.index) == Array(0..<6))
        let summary = try log.verify(signingKey: AuditFixtures.morocco().signingKey.publicKey)
        #expect(summary.entryCount == 6)
        #expect(summary.root == (try log.root(at: 6)))
        // Reopened from the file, the tree is the same one.
        #expect(try AuditLog(path: path, state: state("MA")).root(at: 6) == (try log.root(at: 6)))
    }
}
