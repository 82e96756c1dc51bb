import GRDB

/// The store's schema, as a list of migrations applied in order and never edited once released:
/// a change to the schema is a new migration.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-bulletins-envelopes-receipts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE bulletin (
                        id TEXT PRIMARY KEY NOT NULL,
                        origin TEXT NOT NULL,
                        incident_type TEXT NOT NULL,
                        tlp TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        stored_at INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE INDEX bulletin_by_stored_at ON bulletin(stored_at);

                    CREATE TABLE outgoing_envelope (
                        recipient TEXT NOT NULL,
                        sequence INTEGER NOT NULL CHECK (sequence >= 1),
                        bulletin_id TEXT NOT NULL REFERENCES bulletin(id),
                        hash BLOB NOT NULL,
                        bytes BLOB NOT NULL,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (recipient, sequence)
                    ) WITHOUT ROWID;

                    CREATE TABLE incoming_envelope (
                        origin TEXT NOT NULL,
                        sequence INTEGER NOT NULL CHECK (sequence >= 1),
                        bulletin_id TEXT NOT NULL,
                        hash BLOB NOT NULL,
                        received_at INTEGER NOT NULL,
                        status INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (origin, sequence)
                    ) WITHOUT ROWID;

                    CREATE TABLE receipt (
                        recipient TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        envelope_hash BLOB NOT NULL,
                        status INTEGER NOT NULL,
                        received_at INTEGER NOT NULL,
                        stored_at_us INTEGER NOT NULL,
                        bytes BLOB NOT NULL,
                        PRIMARY KEY (recipient, sequence, status)
                    ) WITHOUT ROWID;

                    CREATE TABLE rejection (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        peer TEXT NOT NULL,
                        sequence INTEGER,
                        reason TEXT NOT NULL,
                        at INTEGER NOT NULL
                    );
                    CREATE INDEX rejection_by_peer_reason ON rejection(peer, reason);
                    """)
        }
        // Outgoing envelopes (about 2 KiB each) in a rowid table with their bytes last: in the
        // first version's WITHOUT ROWID table, whose rows are its primary-key B-tree, each insert
        // moved large rows between pages and a row's later columns were read through its
        // overflow pages (the origin's store took 6.8 KB per bulletin; see docs/PERFORMANCE.md).
        migrator.registerMigration("v2-outgoing-envelopes-rowid") { db in
            try db.execute(
                sql: """
                    CREATE TABLE outgoing_envelope_v2 (
                        recipient TEXT NOT NULL,
                        sequence INTEGER NOT NULL CHECK (sequence >= 1),
                        bulletin_id TEXT NOT NULL REFERENCES bulletin(id),
                        hash BLOB NOT NULL,
                        created_at INTEGER NOT NULL,
                        bytes BLOB NOT NULL,
                        UNIQUE (recipient, sequence)
                    );
                    INSERT INTO outgoing_envelope_v2 (recipient, sequence, bulletin_id, hash, created_at, bytes)
                        SELECT recipient, sequence, bulletin_id, hash, created_at, bytes FROM outgoing_envelope
                        ORDER BY recipient, sequence;
                    DROP TABLE outgoing_envelope;
                    ALTER TABLE outgoing_envelope_v2 RENAME TO outgoing_envelope;
                    """)
        }
        return migrator
    }
}
