import BulletinSchema
import Foundation
import STIX

/// The repository's Schemas/ and docs/stix/, located from this file.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemas = root.appendingPathComponent("Schemas")
    static let examples = schemas.appendingPathComponent("examples")
    static let workedExamples = root.appendingPathComponent("docs/stix")

    static let catalog: SchemaCatalog = {
        do {
            return try SchemaCatalog.load(from: schemas)
        } catch {
            fatalError("Schemas/ must load: \(error)")
        }
    }()

    static let mapper = STIXMapper(crossingPoints: catalog.crossingPoints)

    /// The example bulletins by file name (without `.json`), validated.
    static let examplesByName: [String: JSONValue] = {
        var out: [String: JSONValue] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
        for name in names where name.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: examples.appendingPathComponent(name).path),
                let bulletin = try? catalog.validate(Array(data)).value
            else { fatalError("example \(name) must validate") }
            out[String(name.dropLast(".json".count))] = bulletin
        }
        return out
    }()

    /// The bulletins of the worked example `name`: a correction or withdrawal after the bulletin it
    /// names (as docs/stix/generate.sh exports them).
    static func workedExample(_ name: String) -> [JSONValue] {
        guard let bulletin = examplesByName[name] else { return [] }
        guard let target = bulletin["corrects"]?.stringValue ?? bulletin["withdraws"]?.stringValue,
            let first = examplesByName.values.first(where: { $0["id"]?.stringValue == target })
        else { return [bulletin] }
        return [first, bulletin]
    }
}

extension JSONValue {
    /// A copy with member `name` set to `value` (`nil` removes it).
    func setting(_ name: String, _ value: JSONValue?) -> JSONValue {
        guard var members = objectValue else { return self }
        members[name] = value
        return .object(members)
    }
}
