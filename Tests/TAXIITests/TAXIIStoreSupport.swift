import BulletinSchema
import Exchange
import Foundation
import STIX
import Store
import StoredSTIX

/// The repository's Schemas/, and stores of real bulletins in a temporary folder.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemas = root.appendingPathComponent("Schemas")

    static let catalog: SchemaCatalog = {
        do {
            return try SchemaCatalog.load(from: schemas)
        } catch {
            fatalError("Schemas/ must load: \(error)")
        }
    }()

    static let mapper = STIXMapper(crossingPoints: catalog.crossingPoints)

    /// The example bulletin `name` (without `.json`), validated.
    static func example(_ name: String) -> JSONValue {
        let path = schemas.appendingPathComponent("examples/\(name).json").path
        guard let data = FileManager.default.contents(atPath: path), let value = try? catalog.validate(Array(data)).value else {
            fatalError("example \(name) must validate")
        }
        return value
    }
}

/// A store in a temporary folder, filled with bulletins as a node receives them.
final class TestStore {
    let folder: URL
    let store: BulletinStore
    private var sequences: [StateCode: UInt64] = [:]

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxii-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try BulletinStore(path: folder.appendingPathComponent("store.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var engine: TAXIIObjectEngine {
        get throws {
            let reader = try BulletinReader(storeFile: folder.appendingPathComponent("store.sqlite"))
            return TAXIIObjectEngine(bodies: StoredBulletinBodies(reader: reader, catalog: Repository.catalog), mapper: Repository.mapper)
        }
    }

    /// A bulletin id of `origin` numbered `number` (a valid ULID).
    static func id(_ number: Int, origin: String) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var digits = ""
        var rest = number
        for _ in 0..<7 {
            digits = String(alphabet[rest % 32]) + digits
            rest /= 32
        }
        return "\(origin)-01J7333A92ZFM27JTCY\(digits)"
    }

    /// The example `name` as a new bulletin `id` with these markings; `corrects`/`withdraws`
    /// as given (removed otherwise).
    static func bulletin(
        _ name: String, id: String, group: String, tlp: String, handling: [String] = [], corrects: String? = nil, withdraws: String? = nil,
        reportedAt: String? = nil
    ) -> JSONValue {
        guard case .object(var members) = Repository.example(name) else { fatalError("an example is an object") }
        members["id"] = .string(id)
        members["workingGroup"] = .string(group)
        members["tlp"] = .string(tlp)
        members["handling"] = handling.isEmpty ? nil : .array(handling.map(JSONValue.string))
        members["corrects"] = corrects.map(JSONValue.string)
        members["withdraws"] = withdraws.map(JSONValue.string)
        if let reportedAt { members["reportedAt"] = .string(reportedAt) }
        return .object(members)
    }

    /// Stores `bulletin` as received from its origin at `storedAt` (milliseconds); returns it as
    /// stored (for a search index).
    @discardableResult
    func receive(_ bulletin: JSONValue, storedAt: UInt64) throws -> StoredBulletin {
        let body = CanonicalJSON.bytes(bulletin)
        let validated = try Repository.catalog.validate(body).value
        let reference = try BulletinReference(validated["id"]?.stringValue ?? "")
        let tlp = try TLP(label: validated["tlp"]?.stringValue ?? "")
        let stored = StoredBulletin(
            reference: reference, incidentType: validated["incidentType"]?.stringValue ?? "", tlp: tlp,
            createdAt: Timestamp(millisecondsSinceEpoch: storedAt - 1), storedAt: Timestamp(millisecondsSinceEpoch: storedAt), body: body)
        let sequence = (sequences[reference.origin] ?? 0) + 1
        sequences[reference.origin] = sequence
        var hash = [UInt8](repeating: 0, count: 32)
        for (index, byte) in reference.description.utf8.enumerated() { hash[index % 32] ^= byte }
        hash[31] = UInt8(truncatingIfNeeded: sequence)
        try store.recordDeliveries([
            BulletinStore.Delivery(
                envelope: IncomingEnvelope(
                    origin: reference.origin, sequence: sequence, bulletin: reference, hash: try EnvelopeHash(bytes: hash),
                    receivedAt: stored.storedAt),
                bulletin: stored)
        ])
        return stored
    }
}
