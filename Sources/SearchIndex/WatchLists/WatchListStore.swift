import Clearance
import Foundation
import GRDB
import Observables
import Store

/// `DATA/watchlists.sqlite`: the node's watch-list entries. Written by the node alone, on its
/// control socket's requests (the console and `bordernet watch` ask it); read by its indexer.
/// Entries never leave the node and their values are never in the audit log.
public final class WatchListStore: Sendable {
    /// The file as errors name it.
    public static let fileName = "watchlists"
    /// The most entries one owner may keep.
    public static let maximumEntriesPerOwner = 1_000

    let database: SQLiteDatabase

    /// Opens (creating if needed, 0600) the file at `path`.
    public init(path: String) throws(StoreError) {
        database = try SQLiteFile(name: Self.fileName, path: path).open(migrator: WatchListMigrations.migrator)
    }

    // SKELETON: the watch-lists helper adds add/remove/list and the candidates of a bulletin.
}
