import Foundation
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
        // The console's feed (docs/CONSOLE.md) filters by working group and handling code and
        // pages newest first at 100,000 bulletins: those members of the body get columns of their
        // own (filled by every insert, and here from the bodies already stored), `own` tells this
        // node's posts from what it received (the store does not know its state; a received
        // bulletin always came with an incoming envelope), corrections and withdrawals are found
        // by the id they name, and a bulletin's envelopes by its id.
        migrator.registerMigration("v3-bulletin-console-columns") { db in
            try db.execute(
                sql: """
                    ALTER TABLE bulletin ADD COLUMN own INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE bulletin ADD COLUMN working_group TEXT;
                    ALTER TABLE bulletin ADD COLUMN corrects_id TEXT;
                    ALTER TABLE bulletin ADD COLUMN withdraws_id TEXT;
                    CREATE TABLE bulletin_handling (
                        code TEXT NOT NULL,
                        stored_at INTEGER NOT NULL,
                        bulletin_id TEXT NOT NULL REFERENCES bulletin(id),
                        PRIMARY KEY (code, stored_at, bulletin_id)
                    ) WITHOUT ROWID;
                    UPDATE bulletin SET own = (id NOT IN (SELECT bulletin_id FROM incoming_envelope));
                    """)
            // The bodies in batches by rowid: never all of them in memory, and no update under an
            // open cursor of the same table.
            var after: Int64 = 0
            while true {
                let rows = try Row.fetchAll(
                    db, sql: "SELECT rowid, id, stored_at, body FROM bulletin WHERE rowid > ? ORDER BY rowid LIMIT 500", arguments: [after])
                guard let last = rows.last else { break }
                after = last["rowid"]
                for row in rows {
                    let body: [UInt8] = (row["body"] as Data?).map { [UInt8]($0) } ?? []
                    let fields = BulletinBodyFields(body: body).indexFields
                    let id = row["id"] as DatabaseValue
                    try db.execute(
                        sql: "UPDATE bulletin SET working_group = ?, corrects_id = ?, withdraws_id = ? WHERE id = ?",
                        arguments: [fields.workingGroup, fields.corrects, fields.withdraws, id])
                    try BulletinStore.insertHandling(fields.handling, id: id, storedAt: row["stored_at"] as DatabaseValue, in: db)
                }
            }
            try db.execute(
                sql: """
                    DROP INDEX bulletin_by_stored_at;
                    CREATE INDEX bulletin_by_stored_at_id ON bulletin(stored_at, id);
                    CREATE INDEX bulletin_by_working_group ON bulletin(working_group, stored_at, id);
                    CREATE INDEX bulletin_by_corrects ON bulletin(corrects_id) WHERE corrects_id IS NOT NULL;
                    CREATE INDEX bulletin_by_withdraws ON bulletin(withdraws_id) WHERE withdraws_id IS NOT NULL;
                    CREATE INDEX bulletin_handling_by_bulletin ON bulletin_handling(bulletin_id);
                    CREATE INDEX outgoing_envelope_by_bulletin ON outgoing_envelope(bulletin_id);
                    """)
        }
        // Bulletins put aside for review (issue 19): accepted under a key the secretariat later
        // revoked, created or stored from the compromise time on. Each accepted envelope keeps
        // which key signed it (`signer`, the key's first 8 bytes; NULL for envelopes accepted
        // before this version, which are never flagged), so that a revocation flags exactly what
        // the revoked key signed, never what the state's new keys sign. The revocations applied
        // are kept so that each is audited once.
        migrator.registerMigration("v4-bulletin-flags") { db in
            try db.execute(
                sql: """
                    ALTER TABLE incoming_envelope ADD COLUMN signer INTEGER;
                    CREATE TABLE bulletin_flag (
                        bulletin_id TEXT PRIMARY KEY NOT NULL REFERENCES bulletin(id),
                        origin TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        since INTEGER NOT NULL,
                        roster_version INTEGER NOT NULL,
                        flagged_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE revocation_review (
                        origin TEXT NOT NULL,
                        signer INTEGER NOT NULL,
                        since INTEGER NOT NULL,
                        roster_version INTEGER NOT NULL,
                        reviewed_at INTEGER NOT NULL,
                        flagged INTEGER NOT NULL,
                        PRIMARY KEY (origin, signer, since)
                    ) WITHOUT ROWID;
                    """)
        }
        // Attachments (issue 21, docs/PROTOCOL.md §17): per bulletin, the files its body lists,
        // each with what this node holds of it, and their sealed chunks. The origin stores every
        // chunk with the bulletin in one transaction (state `complete`); a recipient stores the
        // list with the bulletin (state `transfer`) and each chunk as it pulls it, so a restart
        // resumes with the chunks it lacks. Chunks stay sealed at rest; `attachment get` opens them.
        // A recipient signs an attachment receipt once a file is finished (`receipt_acknowledged`
        // when the origin said it kept it); the origin keeps them in `attachment_receipt`.
        migrator.registerMigration("v5-attachments") { db in
            try db.execute(
                sql: """
                    CREATE TABLE attachment (
                        bulletin_id TEXT NOT NULL REFERENCES bulletin(id),
                        number INTEGER NOT NULL,
                        origin TEXT NOT NULL,
                        sha256 BLOB NOT NULL,
                        size INTEGER NOT NULL,
                        media_type TEXT NOT NULL,
                        file_name TEXT NOT NULL,
                        key TEXT NOT NULL,
                        chunk_count INTEGER NOT NULL,
                        chunks_held INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        detail TEXT,
                        updated_at INTEGER NOT NULL,
                        receipt_acknowledged INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (bulletin_id, number)
                    ) WITHOUT ROWID;
                    CREATE INDEX attachment_receipt_due ON attachment(origin) WHERE state != 'transfer' AND receipt_acknowledged = 0;
                    CREATE TABLE attachment_receipt (
                        bulletin_id TEXT NOT NULL,
                        number INTEGER NOT NULL,
                        recipient TEXT NOT NULL,
                        held INTEGER NOT NULL,
                        received_at INTEGER NOT NULL,
                        bytes BLOB NOT NULL,
                        PRIMARY KEY (bulletin_id, number, recipient)
                    ) WITHOUT ROWID;
                    CREATE INDEX attachment_in_transfer ON attachment(origin, updated_at) WHERE state = 'transfer';
                    CREATE TABLE attachment_chunk (
                        bulletin_id TEXT NOT NULL,
                        number INTEGER NOT NULL,
                        chunk INTEGER NOT NULL,
                        sealed BLOB NOT NULL,
                        UNIQUE (bulletin_id, number, chunk)
                    );
                    """)
        }
        return migrator
    }
}
