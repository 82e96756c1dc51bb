import BulletinSchema
import STIX
import Store

/// A bulletin of the store that no longer validates against the schemas loaded: left out of
/// exports and TAXII pages, and named.
public struct InvalidStoredBulletin: Error, Sendable, CustomStringConvertible {
    /// The bulletin's id.
    public let id: String
    /// Why.
    public let description: String
}

/// The bodies of the store's bulletins as validated JSON, for the STIX mapping: read through the
/// console's read-only ``BulletinReader`` and validated against the schemas loaded (a body the
/// schemas no longer accept is refused, never mapped half).
public struct StoredBulletinBodies: Sendable {
    /// The store, read-only.
    public let reader: BulletinReader
    /// The schemas bodies are validated against.
    public let catalog: SchemaCatalog

    /// Bodies of `reader`'s store validated by `catalog`.
    public init(reader: BulletinReader, catalog: SchemaCatalog) {
        self.reader = reader
        self.catalog = catalog
    }

    /// The validated JSON of `body`, the stored bulletin `id`.
    public func json(id: String, body: [UInt8]) throws(InvalidStoredBulletin) -> JSONValue {
        do {
            return try catalog.validate(body).value
        } catch {
            throw InvalidStoredBulletin(
                id: id,
                description:
                    "it does not validate against the schemas: \(error.failures.first.map { "\($0)" } ?? "unknown")")
        }
    }

    /// The validated JSON of the bulletin `id` names; `nil` when the store has none.
    public func bulletin(_ id: String) throws -> JSONValue? {
        guard let record = try reader.summaryAndBody(id: id) else { return nil }
        return try json(id: id, body: record.body)
    }

    /// A lineage resolver over the store for a recipient that may have the bulletins `receivable`
    /// admits (a bulletin that cannot be read counts as not known; one `receivable` refuses is
    /// followed to the chain's first bulletin but never mapped: ``STIXLineage/Earlier``).
    public func lineageResolver(receivable: @escaping (BulletinSummary) -> Bool) -> STIXLineageResolver {
        STIXLineageResolver(earlier: { id in
            guard let record = try? reader.summaryAndBody(id: id), let json = try? json(id: id, body: record.body)
            else {
                return nil
            }
            return STIXLineage.Earlier(bulletin: json, receivable: receivable(record.summary))
        })
    }
}
