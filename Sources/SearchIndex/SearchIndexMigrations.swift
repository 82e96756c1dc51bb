import GRDB

/// The tables of `search.sqlite` (docs/SEARCH.md): a node's search index and correlation links,
/// all derived from its store and rebuilt from it when the file is removed.
enum SearchIndexMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-search-index") { db in
            try db.execute(
                sql: """
                    -- One row per bulletin of the store, in the store's commit order: its rowid is
                    -- also the rowid of its text in bulletin_text, and grows with stored_at.
                    CREATE TABLE indexed_bulletin (
                        rowid INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        origin TEXT NOT NULL,
                        incident_type TEXT NOT NULL,
                        tlp TEXT NOT NULL,
                        working_group TEXT,
                        own INTEGER NOT NULL,
                        stored_at INTEGER NOT NULL,
                        occurred_at INTEGER
                    );
                    CREATE INDEX indexed_bulletin_by_type ON indexed_bulletin(incident_type);
                    CREATE INDEX indexed_bulletin_by_origin ON indexed_bulletin(origin);
                    CREATE INDEX indexed_bulletin_by_occurred_at ON indexed_bulletin(occurred_at);
                    CREATE TABLE indexed_handling (
                        code TEXT NOT NULL,
                        bulletin INTEGER NOT NULL,
                        PRIMARY KEY (code, bulletin)
                    ) WITHOUT ROWID;
                    -- A reader's scope asks whether a bulletin carries a code outside its set.
                    CREATE INDEX indexed_handling_by_bulletin ON indexed_handling(bulletin, code);

                    -- The folded text (SearchFolding), contentless: the store keeps the bodies.
                    CREATE VIRTUAL TABLE bulletin_text USING fts5(
                        title, summary, details, content = '', tokenize = 'unicode61 remove_diacritics 2'
                    );

                    -- Identifiers (ObservableIdentifier.key by kind) and crossing points
                    -- (kind 'crossing-point'), for filters and exact correlation.
                    CREATE TABLE observable (
                        kind TEXT NOT NULL,
                        key TEXT NOT NULL,
                        bulletin INTEGER NOT NULL,
                        PRIMARY KEY (kind, key, bulletin)
                    ) WITHOUT ROWID;
                    CREATE INDEX observable_by_bulletin ON observable(bulletin);

                    -- Persons, and their names' blocking keys (PersonName.blockingKeys).
                    CREATE TABLE person (
                        rowid INTEGER PRIMARY KEY,
                        bulletin INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        aliases TEXT NOT NULL DEFAULT '[]',
                        birth_date TEXT,
                        birth_year INTEGER,
                        nationalities TEXT NOT NULL DEFAULT '[]'
                    );
                    CREATE INDEX person_by_bulletin ON person(bulletin);
                    CREATE TABLE person_key (
                        key TEXT NOT NULL,
                        person INTEGER NOT NULL,
                        PRIMARY KEY (key, person)
                    ) WITHOUT ROWID;

                    -- Correlation: a bulletin linked at arrival to an earlier one.
                    CREATE TABLE bulletin_link (
                        bulletin INTEGER NOT NULL,
                        earlier INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        score REAL NOT NULL,
                        PRIMARY KEY (bulletin, earlier, kind)
                    ) WITHOUT ROWID;
                    CREATE INDEX bulletin_link_by_earlier ON bulletin_link(earlier);

                    -- How far the index has followed the store: the last bulletin indexed.
                    CREATE TABLE index_position (
                        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                        stored_at INTEGER NOT NULL,
                        id TEXT NOT NULL
                    );
                    """)
        }
        return migrator
    }
}

/// The tables of `watchlists.sqlite` (docs/SEARCH.md, "Watch-lists"): entries written by the node
/// on its control socket's requests, read by its indexer; never sent anywhere.
enum WatchListMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-watch-lists") { db in
            try db.execute(
                sql: """
                    CREATE TABLE watch_entry (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        owner TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        value TEXT NOT NULL,
                        label TEXT,
                        scope TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        removed_at INTEGER
                    );
                    CREATE INDEX watch_entry_by_owner ON watch_entry(owner, id);
                    CREATE TABLE watch_key (
                        key TEXT NOT NULL,
                        entry INTEGER NOT NULL,
                        PRIMARY KEY (key, entry)
                    ) WITHOUT ROWID;
                    """)
        }
        // Alerts are user state (backed up with the entries), not derived: a rebuilt search.sqlite
        // raises none again, and their numbers keep growing. Each carries the facts of its
        // bulletin the clearance policy reads, so that readers need no index.
        migrator.registerMigration("v2-alerts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE alert (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        entry INTEGER NOT NULL,
                        owner TEXT NOT NULL,
                        bulletin TEXT NOT NULL,
                        score REAL NOT NULL,
                        reason TEXT NOT NULL,
                        raised_at INTEGER NOT NULL,
                        tlp TEXT NOT NULL,
                        working_group TEXT,
                        handling TEXT NOT NULL,
                        origin TEXT NOT NULL,
                        own INTEGER NOT NULL,
                        UNIQUE (entry, bulletin)
                    );
                    CREATE INDEX alert_by_owner ON alert(owner, id);
                    -- alerted_*: the last indexed bulletin whose alerts are raised (the indexer's
                    -- thread); published_through: the last alert published and audited (the I/O thread).
                    CREATE TABLE alert_progress (
                        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                        alerted_stored_at INTEGER,
                        alerted_id TEXT,
                        published_through INTEGER NOT NULL DEFAULT 0
                    );
                    INSERT INTO alert_progress (singleton) VALUES (1);
                    """)
        }
        return migrator
    }
}
