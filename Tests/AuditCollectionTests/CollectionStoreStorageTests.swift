import AuditCollection
import Exchange
import Foundation
import GRDB
import LocalFiles
import Store
import Testing

/// `collected.sqlite` goes through `SQLiteFile` like the node's files: private, in WAL mode,
/// refused when a newer BorderNet wrote it; a stored value that does not convert is an error
/// naming its row (before, an attempt or finding that did not convert was skipped and a head's
/// unknown status read as evidence).
@Suite("The collection store's storage boundary")
struct CollectionStoreStorageTests {
    let folder: TemporaryFolder
    let path: String

    init() throws {
        folder = try TemporaryFolder()
        path = folder.path("collected.sqlite")
    }

    func tamper(_ sql: String, _ arguments: StatementArguments = []) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        try DatabaseQueue(path: path, configuration: configuration).write { try $0.execute(sql: sql, arguments: arguments) }
    }

    static func isInvalid(_ error: any Error, table: String, column: String, row: String) -> Bool {
        guard case .storage(let storeError) = error as? AuditCollectionError,
            case .invalidValue("collection store", table, column, row, _, _) = storeError
        else { return false }
        return true
    }

    @Test("a new store is private and in WAL mode")
    func privateWAL() throws {
        _ = try CollectionStore(path: path)
        #expect(LocalFile.permissions(of: path) == PrivateDatabaseFile.permissions)
        #expect(try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("a store written by a newer BorderNet is refused, naming the file and its migrations")
    func newerVersion() throws {
        _ = try CollectionStore(path: path)
        try tamper("INSERT INTO grdb_migrations (identifier) VALUES ('v5-from-the-future')")
        #expect {
            _ = try CollectionStore(path: path)
        } throws: { error in
            guard case .storage(.newerSchema("collection store", path, ["v5-from-the-future"])) = error as? AuditCollectionError else {
                return false
            }
            return "\(error)".contains("upgrade BorderNet")
        }
    }

    @Test("an attempt whose state or outcome does not convert is an error, not skipped")
    func badAttempt() throws {
        let store = try CollectionStore(path: path)
        try store.recordAttempt(CollectionAttempt(state: state("MA"), at: Timestamp(millisecondsSinceEpoch: 1), outcome: .collected, detail: "ok"))
        try tamper("INSERT INTO attempt (state, at, outcome, detail) VALUES ('DZ', 2, 'lost', '')")
        #expect { try store.lastAttempts() } throws: { Self.isInvalid($0, table: "attempt", column: "outcome", row: "id 2") }
        try tamper("UPDATE attempt SET outcome = 'refused', state = 'd1' WHERE id = 2")
        #expect { try store.lastAttempts() } throws: { Self.isInvalid($0, table: "attempt", column: "state", row: "id 2") }
        #expect { try store.states() } throws: { Self.isInvalid($0, table: "head or attempt", column: "state", row: "state 'd1'") }
    }

    @Test("a finding whose kind or time does not convert is an error, not skipped")
    func badFinding() throws {
        let store = try CollectionStore(path: path)
        try store.addFinding(state: state("MA"), kind: .badHead, detail: "forged", headIDs: [], at: Timestamp(millisecondsSinceEpoch: 1))
        try tamper("UPDATE finding SET kind = 'odd'")
        #expect { try store.findings() } throws: { Self.isInvalid($0, table: "finding", column: "kind", row: "id 1") }
        try tamper("UPDATE finding SET kind = 'badHead', found_at = -4")
        #expect { try store.findings() } throws: { Self.isInvalid($0, table: "finding", column: "found_at", row: "id 1") }
    }
}
