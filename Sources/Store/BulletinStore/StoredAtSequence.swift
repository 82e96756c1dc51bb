import Exchange
import GRDB
import Synchronization

/// The `stored_at` of the bulletins a ``BulletinStore`` inserts: strictly increasing in commit
/// order, whatever the clock does.
///
/// A bulletin proposes the time it was stored at (the node's clock); it gets
/// `max(proposed, last + 1)` in milliseconds, where `last` is the highest `stored_at` handed out
/// so far, read once when the store opens (`SELECT … ORDER BY stored_at DESC LIMIT 1`, one index
/// lookup) and kept in memory: no query per insert. Two bulletins committed in the same
/// millisecond, or after NTP stepped the clock back, therefore still sort in the order they were
/// committed, and a TAXII poller or a feed reader that has passed a position never misses a
/// bulletin committed after it (docs/TAXII.md, "added_after").
///
/// Values are handed out inside the store's write transaction, which GRDB serialises: the order
/// of ``next(after:)`` calls is the commit order. One writer of bulletins per file: the node
/// (``BulletinStore`` is opened for writing only by the node, which holds `DATA/node.lock`; the
/// console and the export read through ``BulletinReader``). A row inserted by another connection
/// while the store is open is not seen here; tests that write rows with raw SQL keep their times.
///
/// `last` advances when a row takes a value, before the transaction commits. A transaction
/// that rolls back leaves an unused millisecond: harmless, since no row holds it and later
/// values stay above every committed one; and a commit whose outcome was uncertain can never
/// lead to a value being handed out twice.
final class StoredAtSequence: Sendable {
    private let last: Mutex<UInt64>

    /// Continues after the highest `stored_at` of the store's bulletins (0 when there are none).
    /// A stored value that is not a time is ``StoreError/invalidValue(file:table:column:row:found:expected:)``.
    init(database: SQLiteDatabase) throws(StoreError) {
        let highest = try database.read("last stored bulletin") { db throws(StoreError) -> UInt64 in
            // The (stored_at, id) index answers this with one lookup.
            let row: Row?
            do {
                row = try Row.fetchOne(db, sql: "SELECT id, stored_at FROM bulletin ORDER BY stored_at DESC, id DESC LIMIT 1")
            } catch {
                throw .operationFailed(file: BulletinStore.fileName, operation: "last stored bulletin", cause: error)
            }
            guard let row else { return 0 }
            return try StoredRow(row, of: .bulletin).value("stored_at", as: Timestamp.self).millisecondsSinceEpoch
        }
        last = Mutex(highest)
    }

    /// The `stored_at` for a bulletin that proposes `proposed`: `proposed` when it is later than
    /// every value handed out, otherwise one millisecond after the last one. Nothing is handed
    /// out until ``take(_:)``. Call only inside the write transaction that inserts the bulletin.
    func value(after proposed: Timestamp) -> Timestamp {
        last.withLock { last in
            // Timestamps are stored clamped to SQLite's largest integer (Timestamp+StoredValue).
            let ceiling = UInt64(Int64.max)
            let following = last < ceiling ? last + 1 : ceiling
            return Timestamp(millisecondsSinceEpoch: min(max(proposed.millisecondsSinceEpoch, following), ceiling))
        }
    }

    /// Records that `value` (from ``value(after:)``) was given to an inserted row. A bulletin
    /// already stored, whose insert changed nothing, takes nothing. Call only inside the same
    /// write transaction.
    func take(_ value: Timestamp) {
        last.withLock { last in last = max(last, value.millisecondsSinceEpoch) }
    }
}
