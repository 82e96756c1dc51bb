import GRDB

/// The audit log's schema, as migrations applied in order and never edited once released: a
/// change to the schema is a new migration.
enum AuditLogMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-entries-tree-heads") { db in
            try db.execute(
                sql: """
                    CREATE TABLE entry (
                        leaf_index INTEGER PRIMARY KEY NOT NULL CHECK (leaf_index >= 0),
                        bytes BLOB NOT NULL,
                        leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32)
                    );

                    CREATE TABLE tree_head (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
                        signed_bytes BLOB NOT NULL
                    );
                    CREATE INDEX tree_head_by_size ON tree_head(tree_size);
                    """)
        }
        return migrator
    }
}
