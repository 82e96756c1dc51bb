import Foundation

/// The bulletin every benchmark posts: a real migrant-smuggling draft from `Schemas/examples`,
/// its summary extended so that the JSON is about 1 KiB like the reference peers' bulletins.
enum BenchDraft {
    static func make(schemas: URL) throws -> String {
        let example = schemas.appendingPathComponent("examples/migrant-smuggling.json")
        guard var object = try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any] else {
            throw BenchError("cannot read \(example.path)")
        }
        object["id"] = nil
        var draft = try encode(object)
        var summary = (object["summary"] as? [String: String]) ?? [:]
        var french = summary["fr"] ?? ""
        while draft.utf8.count < 1_000 {
            french += " Patrouille mixte maintenue sur la piste."
            summary["fr"] = french
            object["summary"] = summary
            draft = try encode(object)
        }
        return draft
    }

    private static func encode(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
