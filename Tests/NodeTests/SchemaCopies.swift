import Foundation
import Testing

/// Copies of the repository's `Schemas/` that claim another version, for tests of nodes that run
/// different schema versions side by side.
///
/// The repository's schemas may be at 1.0.0 or 1.1.0 when a test runs (they move on their own),
/// so a test never relies on what they say: it copies the folder and rewrites, in every `.json`
/// file of the copy, each occurrence of the repository's version (read from
/// `bulletin.schema.json`'s `x-schema-version`) in the three places a version is written —
/// `"x-schema-version": "…"`, the `/schemas/…/` segment of every `$id`, and the examples'
/// `"schemaVersion": "…"` — to the version wanted. Values that are not the repository's version
/// (an invalid example's deliberately wrong `schemaVersion`) are left alone. The content is the
/// repository's: only the version the schemas claim changes, which is what the node and the
/// roster look at.
enum SchemaCopies {
    /// The version the repository's `Schemas/` declare now, e.g. `1.0.0`.
    static func repositoryVersion(of schemas: URL) throws -> String {
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: schemas.appendingPathComponent("bulletin.schema.json"))) as? [String: Any])
        return try #require(root["x-schema-version"] as? String)
    }

    /// Copies `schemas` to `destination` (which must not exist) with every version rewritten to
    /// `version` (`MAJOR.MINOR.PATCH`); returns `destination`.
    @discardableResult
    static func copy(_ schemas: URL, to destination: URL, claiming version: String) throws -> URL {
        let current = try repositoryVersion(of: schemas)
        try FileManager.default.copyItem(at: schemas, to: destination)
        let escaped = NSRegularExpression.escapedPattern(for: current)
        var rewrites: [(NSRegularExpression, String)] = []
        for (pattern, template) in [
            (#"("x-schema-version"\s*:\s*")"# + escaped + #"""#, "$1\(version)\""),
            (#"(/schemas/)"# + escaped + "/", "$1\(version)/"),
            (#"("schemaVersion"\s*:\s*")"# + escaped + #"""#, "$1\(version)\""),
        ] {
            rewrites.append((try NSRegularExpression(pattern: pattern), template))
        }
        let files = FileManager.default.enumerator(at: destination, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" } ?? []
        #expect(!files.isEmpty)
        for file in files {
            var text = try String(contentsOf: file, encoding: .utf8)
            for (pattern, template) in rewrites {
                text = pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
            }
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        #expect(try repositoryVersion(of: destination) == version)
        return destination
    }
}
