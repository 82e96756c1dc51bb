import Foundation

/// A realistic bulletin the demo posts: one of `Schemas/examples`, posted from the node of the
/// state its example id names, without that id (the node assigns a new one).
public struct DemoSample: Sendable, Codable, Equatable {
    /// The example's file name without `.json` (`drug-trafficking`).
    public var example: String
    /// The state that posts it (the prefix of the example's id).
    public var origin: String
    /// Its incident type.
    public var incidentType: String
    /// Its title, in English if it has one, else French, else Arabic.
    public var title: String
    /// The draft posted: the example without `id`, as JSON text.
    public var draft: String

    /// The examples the demo posts: nine incident types from seven of the ten states (Libya,
    /// Sudan and Chad, in the middle of the map, only receive: the examples come from the others),
    /// two of them the terrorism and organised-crime types of schema 1.1; every one names people,
    /// documents, phones or places with the shared observables.
    public static let exampleNames = [
        "document-fraud", "drug-trafficking", "arms-trafficking", "migrant-smuggling", "goods-smuggling",
        "armed-group-movement", "suspicious-vessel", "terrorist-threat", "organised-crime-network",
    ]

    /// Reads the samples from the schema folder's `examples/`.
    public static func load(schemas: URL, names: [String] = exampleNames) throws(DemoError) -> [DemoSample] {
        var samples: [DemoSample] = []
        for name in names {
            let file = schemas.appendingPathComponent("examples").appendingPathComponent("\(name).json")
            let object: [String: Any]
            do {
                guard let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] else {
                    throw DemoError.samples("\(file.path) is not a JSON object")
                }
                object = parsed
            } catch let error as DemoError {
                throw error
            } catch {
                throw DemoError.samples("cannot read \(file.path): \(error.localizedDescription)")
            }
            guard let id = object["id"] as? String, let origin = id.split(separator: "-").first, origin.count == 2,
                let incidentType = object["incidentType"] as? String
            else {
                throw DemoError.samples("\(file.path) has no id of the form XX-… or no incidentType")
            }
            var draft = object
            draft["id"] = nil
            let titles = object["title"] as? [String: String] ?? [:]
            let text: String
            do {
                text = String(
                    decoding: try JSONSerialization.data(withJSONObject: draft, options: [.sortedKeys, .withoutEscapingSlashes]),
                    as: UTF8.self)
            } catch {
                throw DemoError.samples("cannot encode the draft of \(file.path): \(error.localizedDescription)")
            }
            samples.append(
                DemoSample(
                    example: name, origin: String(origin), incidentType: incidentType,
                    title: titles["en"] ?? titles["fr"] ?? titles["ar"] ?? name, draft: text))
        }
        return samples
    }

    /// Writes the draft, indented, to `folder/<example>.json` (replacing an older one), so that an
    /// officer can post it again with `bordernet post --file`.
    public func write(into folder: URL) throws(DemoError) -> URL {
        let file = folder.appendingPathComponent("\(example).json")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let object = try JSONSerialization.jsonObject(with: Data(draft.utf8))
            let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try (pretty + Data("\n".utf8)).write(to: file, options: .atomic)
        } catch {
            throw DemoError.samples("cannot write \(file.path): \(error.localizedDescription)")
        }
        return file
    }
}
