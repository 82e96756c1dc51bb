import Audit
import Exchange
import Foundation
import GRDB
import LocalFiles
import Store
import Testing

/// The audit log's file goes through `SQLiteFile` like the store: private, refused when a newer
/// BorderNet wrote it, and a stored value that does not convert is an error naming its row.
@Suite("The audit log's storage boundary")
struct AuditLogStorageTests {
    static func isStorageError(_ error: any Error, _ matches: (StoreError) -> Bool) -> Bool {
        guard case .storage(let storeError) = error as? AuditLogError else { return false }
        return matches(storeError)
    }

    @Test("a log written by a newer BorderNet is refused, naming the file and its migrations")
    func newerVersion() throws {
        let (_, path) = try AuditLogTests.makeLog(entries: 3)
        try AuditLogTests.tamper(path, "INSERT INTO grdb_migrations (identifier) VALUES ('v7-from-the-future')")
        #expect {
            _ = try AuditLog(path: path, state: state("MA"))
        } throws: { error in
            Self.isStorageError(error) { storeError in
                guard case .newerSchema("audit log", path, ["v7-from-the-future"]) = storeError else { return false }
                return "\(error)".contains("upgrade BorderNet")
            }
        }
    }

    @Test("a new log's file is private")
    func privateFile() throws {
        let path = try AuditFixtures.temporaryDirectory().appendingPathComponent("audit.sqlite").path
        _ = try AuditLog(path: path, state: state("MA"))
        #expect(LocalFile.permissions(of: path) == PrivateDatabaseFile.permissions)
    }

    @Test("a leaf hash that is not a 32-byte blob stops the opening, naming its entry")
    func badLeafHash() throws {
        let (_, path) = try AuditLogTests.makeLog(entries: 3)
        // 32 characters pass the table's length check but are text, not the hash's bytes.
        try AuditLogTests.tamper(path, "UPDATE entry SET leaf_hash = ? WHERE leaf_index = 1", [String(repeating: "a", count: 32)])
        #expect {
            _ = try AuditLog(path: path, state: state("MA"))
        } throws: { error in
            Self.isStorageError(error) { storeError in
                guard case .invalidValue("audit log", "entry", "leaf_hash", "leaf_index 1", _, _) = storeError else { return false }
                return true
            }
        }
    }

    @Test("a stored tree head that does not decode is an error naming its row, not skipped")
    func badTreeHead() throws {
        let (log, path) = try AuditLogTests.makeLog(entries: 3, headsAt: [2, 3])
        try AuditLogTests.tamper(path, "UPDATE tree_head SET signed_bytes = x'00' WHERE tree_size = 2")
        #expect {
            _ = try log.treeHeads()
        } throws: { error in
            Self.isStorageError(error) { storeError in
                guard case .invalidValue("audit log", "tree_head", "signed_bytes", let row, _, _) = storeError else { return false }
                return row.hasPrefix("id ")
            }
        }
        #expect(try log.latestTreeHead()?.head.treeSize == 3)
    }
}
