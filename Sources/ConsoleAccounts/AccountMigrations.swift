import GRDB
import Store

/// The schema of `console.sqlite` (docs/CONSOLE.md, "Accounts and sessions"). Times are Unix
/// milliseconds; booleans are 0 or 1.
enum AccountMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-accounts-sessions-attempts-recovery") { db in
            try db.execute(
                sql: """
                    CREATE TABLE account (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        username TEXT NOT NULL UNIQUE,
                        display_name TEXT NOT NULL,
                        role TEXT NOT NULL CHECK (role IN ('officer', 'reader', 'operator', 'auditor')),
                        highest_tlp TEXT NOT NULL CHECK (highest_tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
                        agency_kind TEXT NOT NULL,
                        language TEXT NOT NULL CHECK (language IN ('ar', 'fr', 'en')),
                        arabic_digits INTEGER NOT NULL CHECK (arabic_digits IN (0, 1)),
                        disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),
                        password_hash TEXT NOT NULL,
                        must_change_password INTEGER NOT NULL CHECK (must_change_password IN (0, 1)),
                        password_changed_at INTEGER NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE account_working_group (
                        account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        working_group TEXT NOT NULL,
                        PRIMARY KEY (account_id, working_group)
                    ) WITHOUT ROWID;
                    CREATE TABLE session (
                        token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
                        account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                        created_at INTEGER NOT NULL,
                        last_seen_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX session_by_account ON session(account_id);
                    CREATE TABLE sign_in_attempt (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        username TEXT NOT NULL,
                        address TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'locked'))
                    );
                    CREATE INDEX sign_in_attempt_by_username ON sign_in_attempt(username, at);
                    CREATE INDEX sign_in_attempt_by_address ON sign_in_attempt(address, at);
                    CREATE TABLE recovery_code (
                        account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                        code_hash BLOB NOT NULL CHECK (length(code_hash) = 32),
                        created_at INTEGER NOT NULL,
                        used_at INTEGER,
                        PRIMARY KEY (account_id, code_hash)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2-security-keys-second-factor") { db in
            try db.execute(
                sql: """
                    CREATE TABLE credential (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                        credential_id BLOB NOT NULL UNIQUE CHECK (length(credential_id) BETWEEN 1 AND 1023),
                        public_key BLOB NOT NULL CHECK (length(public_key) BETWEEN 1 AND 1024),
                        sign_count INTEGER NOT NULL CHECK (sign_count BETWEEN 0 AND 4294967295),
                        aaguid BLOB NOT NULL CHECK (length(aaguid) = 16),
                        name TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        last_used_at INTEGER
                    );
                    CREATE INDEX credential_by_account ON credential(account_id);
                    CREATE TABLE pending_sign_in (
                        token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
                        account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        failures INTEGER NOT NULL DEFAULT 0
                    ) WITHOUT ROWID;
                    CREATE TABLE webauthn_challenge (
                        token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
                        purpose TEXT NOT NULL CHECK (purpose IN ('register', 'authenticate')),
                        challenge BLOB NOT NULL CHECK (length(challenge) = 32),
                        expires_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        // Agency systems' TAXII credentials (docs/CONSOLE.md, "Agency credentials (TAXII)"). The id
        // is AUTOINCREMENT so that it is never reused: it is the agency's pseudonym in the node's
        // audit log. Working groups are a sorted, comma-separated list of Clearance's names.
        migrator.registerMigration("v3-agency-credentials") { db in
            try db.execute(
                sql: """
                    CREATE TABLE agency (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 3 AND 64),
                        working_groups TEXT NOT NULL CHECK (length(working_groups) BETWEEN 1 AND 256),
                        highest_tlp TEXT NOT NULL CHECK (highest_tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
                        agency_kind TEXT NOT NULL,
                        token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        revoked_at INTEGER,
                        last_used_at INTEGER
                    );
                    """)
        }
        return migrator
    }
}

extension StoredTable {
    static let account = StoredTable(file: AccountStore.fileName, name: "account", key: ["id", "username"])
    static let accountWorkingGroup = StoredTable(
        file: AccountStore.fileName, name: "account_working_group", key: ["account_id", "working_group"])
    static let session = StoredTable(file: AccountStore.fileName, name: "session", key: ["account_id"])
    static let signInAttempt = StoredTable(file: AccountStore.fileName, name: "sign_in_attempt", key: ["id"])
    static let credential = StoredTable(file: AccountStore.fileName, name: "credential", key: ["id"])
    static let agency = StoredTable(file: AccountStore.fileName, name: "agency", key: ["id", "name"])
    static let pendingSignIn = StoredTable(file: AccountStore.fileName, name: "pending_sign_in", key: ["account_id"])
}
