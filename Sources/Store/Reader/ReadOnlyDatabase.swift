import Foundation
import GRDB

/// A SQLite file opened read-only beside the process that writes it: the console's and the command
/// line's view of the node's store, search index and watch-lists. Reads run concurrently on a pool
/// of read-only connections (WAL: they never block the writer). Opening refuses a missing file
/// (it is never created), a file written by a newer BorderNet and one its writer has not brought
/// to this version's schema yet, since rows would not mean what this version reads.
public struct ReadOnlyDatabase: Sendable {
    /// The file as errors name it (`store`, `search`, `watchlists`).
    public let name: String
    /// The path of the SQLite file.
    public let path: String
    private let pool: DatabasePool

    /// Opens `path` read-only and checks that its applied migrations are exactly `migrator`'s.
    /// Throws ``StoreError/cannotOpen(file:path:cause:)`` when it does not exist or cannot be
    /// opened, ``StoreError/newerSchema(file:path:unknownMigrations:)`` and
    /// ``StoreError/olderSchema(file:path:missingMigrations:)`` when its schema is another version's.
    public init(name: String, path: String, migrator: DatabaseMigrator, label: String) throws(StoreError) {
        self.name = name
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw .cannotOpen(file: name, path: path, cause: CocoaError(.fileNoSuchFile))
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = label
        configuration.busyMode = .timeout(5)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .cannotOpen(file: name, path: path, cause: error)
        }
        let applied: Set<String>
        do {
            applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
        } catch {
            throw .cannotOpen(file: name, path: path, cause: error)
        }
        let known = Set(migrator.migrations)
        let unknown = applied.subtracting(known)
        guard unknown.isEmpty else { throw .newerSchema(file: name, path: path, unknownMigrations: unknown.sorted()) }
        let missing = known.subtracting(applied)
        guard missing.isEmpty else { throw .olderSchema(file: name, path: path, missingMigrations: missing.sorted()) }
        self.pool = pool
    }

    /// Runs `body` in a read transaction on a read-only connection; a failure is
    /// ``StoreError/operationFailed(file:operation:cause:)`` naming `operation`.
    public func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .operationFailed(file: name, operation: operation, cause: error)
        }
    }
}
