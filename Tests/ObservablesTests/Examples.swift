import Foundation
import Observables

/// The repository's bulletin examples (Schemas/examples), located from this file's path.
enum Examples {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Schemas/examples")

    /// The bytes of one example, e.g. `migrant-smuggling.json`.
    static func body(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// The names of every valid example (not those under `invalid/`).
    static func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
    }

    /// The incident type written in an example.
    static func incidentType(_ name: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(try body(name))) as? [String: Any]
        return object?["incidentType"] as? String ?? ""
    }
}
