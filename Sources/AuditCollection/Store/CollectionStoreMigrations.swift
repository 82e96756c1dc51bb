import GRDB

/// The schema of the secretariat's `collected.sqlite`, as migrations applied in order and never
/// edited once released.
enum CollectionStoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-heads-entries-findings") { db in
            try db.execute(
                sql: """
                    CREATE TABLE head (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        state TEXT NOT NULL,
                        tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
                        root BLOB NOT NULL CHECK (length(root) = 32),
                        signed_bytes BLOB NOT NULL UNIQUE,
                        collected_at INTEGER NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('accepted', 'evidence'))
                    );
                    CREATE INDEX head_by_state_size ON head(state, tree_size);

                    CREATE TABLE entry (
                        state TEXT NOT NULL,
                        leaf_index INTEGER NOT NULL CHECK (leaf_index >= 0),
                        bytes BLOB NOT NULL,
                        leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
                        PRIMARY KEY (state, leaf_index)
                    ) WITHOUT ROWID;

                    CREATE TABLE finding (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        state TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        detail TEXT NOT NULL,
                        found_at INTEGER NOT NULL,
                        head_id INTEGER REFERENCES head(id),
                        other_head_id INTEGER REFERENCES head(id)
                    );

                    CREATE TABLE attempt (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        state TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        outcome TEXT NOT NULL,
                        detail TEXT NOT NULL
                    );
                    CREATE INDEX attempt_by_state ON attempt(state, id);
                    """)
        }
        // A finding may name one entry (a rewritten entry found by re-checking, docs/AUDIT.md §12.2).
        migrator.registerMigration("v2-finding-entry-index") { db in
            try db.execute(sql: "ALTER TABLE finding ADD COLUMN entry_index INTEGER CHECK (entry_index IS NULL OR entry_index >= 0)")
        }
        return migrator
    }
}
