import Foundation
import GRDB
import LocalFiles
import Store
import Testing

@Suite("SQLiteFile: how every BorderNet database is opened")
struct SQLiteFileTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder() }

    var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-things") { db in
            try db.execute(sql: "CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        }
        return migrator
    }

    @Test("a new file is private, in WAL mode, with its pragmas, and migrated")
    func newFile() throws {
        let path = folder.path("things.sqlite")
        let database = try SQLiteFile(name: "thing store", path: path, durability: .checkpoints).open(migrator: migrator)
        #expect(LocalFile.permissions(of: path) == PrivateDatabaseFile.permissions)
        try database.write("insert") { try $0.execute(sql: "INSERT INTO thing (name) VALUES ('a')") }
        let settings = try database.read("pragmas") { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM thing")
            )
        }
        #expect(settings.0 == "wal")
        #expect(settings.1 == 1)  // NORMAL
        #expect(settings.2 == 1)
        #expect(settings.3 == 1)
        let full = try SQLiteFile(name: "thing store", path: folder.path("full.sqlite")).open(migrator: migrator)
        #expect(try full.read("synchronous") { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)  // FULL
    }

    @Test("with keepsWriteAheadLogFiles the -wal and -shm stay when the last connection closes (a read-only mount can open it); without, they go")
    func keptWriteAheadLog() throws {
        for keeps in [true, false] {
            let path = folder.path("things-\(keeps).sqlite")
            do {
                let database = try SQLiteFile(name: "thing store", path: path, keepsWriteAheadLogFiles: keeps).open(migrator: migrator)
                try database.write("insert") { try $0.execute(sql: "INSERT INTO thing (name) VALUES ('a')") }
            }
            for suffix in ["-wal", "-shm"] {
                #expect(FileManager.default.fileExists(atPath: path + suffix) == keeps, "\(suffix) with keeps = \(keeps)")
            }
            if keeps { #expect(LocalFile.permissions(of: path + "-wal") == PrivateDatabaseFile.permissions) }
        }
    }

    @Test("a file written by a newer version is refused before anything is migrated, naming the file and its migrations")
    func newerVersion() throws {
        let path = folder.path("things.sqlite")
        _ = try SQLiteFile(name: "thing store", path: path).open(migrator: migrator)
        try folder.rawQueue("things.sqlite").write {
            try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
        }
        var newer = migrator
        newer.registerMigration("v2-more") { db in try db.execute(sql: "CREATE TABLE more (id INTEGER PRIMARY KEY)") }
        #expect {
            _ = try SQLiteFile(name: "thing store", path: path).open(migrator: newer)
        } throws: { error in
            guard case .newerSchema("thing store", path, ["v9-from-the-future"]) = error as? StoreError else { return false }
            return "\(error)".contains("upgrade BorderNet")
        }
        // Refused before migrating: this version's next migration did not run.
        #expect(try folder.rawQueue("things.sqlite").read { try $0.tableExists("more") } == false)
    }

    @Test("a failed operation keeps SQLite's error as its cause and names the file and operation")
    func operationCause() throws {
        let database = try SQLiteFile(name: "thing store", path: folder.path("things.sqlite")).open(migrator: migrator)
        #expect {
            try database.write("insert nothing") { try $0.execute(sql: "INSERT INTO thing (name) VALUES (NULL)") }
        } throws: { error in
            guard let error = error as? StoreError, case .operationFailed("thing store", "insert nothing", _) = error else { return false }
            return error.sqliteResultCode == .SQLITE_CONSTRAINT && error.cause is DatabaseError
        }
    }

    @Test("a file that is not a database is a clear error with advice")
    func notADatabase() throws {
        let path = folder.path("things.sqlite")
        try Data(repeating: 0x41, count: 4_096).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteFile(name: "thing store", path: path).open(migrator: migrator)
        } throws: { error in
            guard case .cannotOpen("thing store", path, _) = error as? StoreError else { return false }
            return "\(error)".contains("restore it from a backup")
        }
    }
}
