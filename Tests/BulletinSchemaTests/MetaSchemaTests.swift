import BulletinSchema
import Foundation
import Testing

/// Checks every file under `Schemas/` against the rules of docs/SCHEMAS.md with code independent
/// of the loader (Foundation's JSONSerialization and a walker written here), so a loader bug
/// cannot hide a bad file.
@Suite("Schemas/ meta-schema")
struct MetaSchemaTests {
    static let schemaFiles: [URL] = {
        var files = Repository.jsonFiles(in: Repository.schemas)
        files += Repository.jsonFiles(in: Repository.schemas.appendingPathComponent("incidents"))
        return files
    }()

    /// The keywords a file may use, written out here rather than taken from `SchemaKeyword`.
    static let allowed: Set<String> = [
        "type", "properties", "required", "additionalProperties", "minProperties", "enum", "const", "pattern",
        "format", "minimum", "maximum", "minLength", "maxLength", "items", "minItems", "maxItems", "uniqueItems",
        "$ref", "$defs", "allOf", "oneOf", "x-check", "x-text", "x-ordered", "x-distinct", "x-since",
        "$schema", "$id", "$comment", "title", "description", "examples", "default",
        "x-labels", "x-descriptions", "x-enum-labels", "x-schema-version", "x-incident-type",
    ]

    /// Every rule a schema file breaks, as `pointer: problem` lines; empty when the file is good.
    static func problems(in document: Any, file: String) -> [String] {
        var problems: [String] = []
        guard let root = document as? [String: Any] else { return ["(root): not an object"] }
        if root["$schema"] as? String != "https://json-schema.org/draft/2020-12/schema" {
            problems.append("/$schema: not draft 2020-12")
        }
        let version = root["x-schema-version"] as? String ?? ""
        if version.split(separator: ".").count != 3 { problems.append("/x-schema-version: not MAJOR.MINOR.PATCH") }
        if let id = root["$id"] as? String {
            if !id.contains("/\(version)/") { problems.append("/$id: does not contain the version \(version)") }
            if !id.hasSuffix(file) { problems.append("/$id: does not end with \(file)") }
        } else {
            problems.append("/$id: missing")
        }
        if file.hasPrefix("incidents/") {
            problems += translationProblems(root, at: "")
        }
        walk(root, at: "", file: file, into: &problems)
        return problems
    }

    static func containsArabic(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) }
    }

    static func containsLatin(_ text: String) -> Bool {
        text.unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
    }

    static func translationProblems(_ schema: [String: Any], at pointer: String) -> [String] {
        var problems: [String] = []
        for keyword in ["x-labels", "x-descriptions"] {
            guard let texts = schema[keyword] as? [String: Any] else {
                problems.append("\(pointer): no \(keyword)")
                continue
            }
            if Set(texts.keys) != ["ar", "fr", "en"] { problems.append("\(pointer)/\(keyword): languages must be exactly ar, fr, en") }
            for language in ["ar", "fr", "en"] {
                guard let text = texts[language] as? String, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    problems.append("\(pointer)/\(keyword)/\(language): missing or empty")
                    continue
                }
                if language == "ar", !containsArabic(text) { problems.append("\(pointer)/\(keyword)/ar: no Arabic script") }
                if language != "ar", !containsLatin(text) { problems.append("\(pointer)/\(keyword)/\(language): no Latin letters") }
            }
        }
        return problems
    }

    /// The schema object a `$ref` of `file` names, read independently of the loader: a path
    /// relative to the file's folder, then a JSON pointer of plain member names.
    static func resolve(_ reference: String, from file: String) -> [String: Any]? {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let folder = file.split(separator: "/").dropLast().map { $0 + "/" }.joined()
        var path = parts[0].isEmpty ? file : folder + parts[0]
        while let range = path.range(of: "[^/]+/\\.\\./", options: .regularExpression) { path.removeSubrange(range) }
        guard let data = try? Data(contentsOf: Repository.schemas.appendingPathComponent(path)),
            var node = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        for token in (parts.count > 1 ? parts[1] : "").split(separator: "/") {
            guard let next = node[String(token)] as? [String: Any] else { return nil }
            node = next
        }
        return node
    }

    /// Every `enum` carries `x-enum-labels` with exactly its values, each labelled in the three
    /// languages (Arabic in Arabic script).
    static func valueLabelProblems(_ schema: [String: Any], at pointer: String) -> [String] {
        guard let values = schema["enum"] as? [Any] else {
            return schema["x-enum-labels"] == nil ? [] : ["\(pointer)/x-enum-labels: without an enum"]
        }
        guard let labels = schema["x-enum-labels"] as? [String: Any] else { return ["\(pointer): enum without x-enum-labels"] }
        let keys = values.map { ($0 as? String) ?? "\($0)" }
        var problems: [String] = []
        if Set(keys) != Set(labels.keys) { problems.append("\(pointer)/x-enum-labels: keys differ from the enum's values") }
        for key in keys {
            guard let texts = labels[key] as? [String: Any], Set(texts.keys) == ["ar", "fr", "en"] else {
                problems.append("\(pointer)/x-enum-labels/\(key): not exactly ar, fr, en")
                continue
            }
            for language in ["ar", "fr", "en"] where ((texts[language] as? String) ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append("\(pointer)/x-enum-labels/\(key)/\(language): missing or empty")
            }
            if let arabic = texts["ar"] as? String, !containsArabic(arabic) {
                problems.append("\(pointer)/x-enum-labels/\(key)/ar: no Arabic script")
            }
        }
        return problems
    }

    static func walk(_ schema: [String: Any], at pointer: String, file: String, into problems: inout [String]) {
        problems += valueLabelProblems(schema, at: pointer)
        for key in schema.keys.sorted() where !allowed.contains(key) {
            problems.append("\(pointer): keyword \"\(key)\" is not supported")
        }
        if let additional = schema["additionalProperties"], (additional as? Bool) != false {
            problems.append("\(pointer)/additionalProperties: only false is supported")
        }
        if let format = schema["format"] as? String, !["date-time", "date"].contains(format) {
            problems.append("\(pointer)/format: \(format) is not enforced")
        }
        if let pattern = schema["pattern"] as? String, (try? NSRegularExpression(pattern: pattern)) == nil {
            problems.append("\(pointer)/pattern: does not compile")
        }
        if let type = schema["type"] {
            let names = (type as? [String]) ?? [(type as? String) ?? "?"]
            for name in names where !["null", "boolean", "integer", "number", "string", "array", "object"].contains(name) {
                problems.append("\(pointer)/type: unknown type \(name)")
            }
        }
        let properties = schema["properties"] as? [String: Any] ?? [:]
        if let required = schema["required"] as? [String], schema["properties"] != nil {
            for name in required where properties[name] == nil {
                problems.append("\(pointer)/required: \(name) is not a declared property")
            }
        }
        if schema["type"] as? String == "object", schema["properties"] != nil, schema["additionalProperties"] == nil {
            problems.append("\(pointer): an object with properties must say additionalProperties: false")
        }
        for (name, value) in properties {
            guard let child = value as? [String: Any] else {
                problems.append("\(pointer)/properties/\(name): not a schema object")
                continue
            }
            if let reference = child["$ref"] as? String, Set(child.keys).isSubset(of: ["$ref", "$comment", "x-since"]) {
                // A member given only by `$ref` shows the labels of what it refers to.
                if let target = resolve(reference, from: file) {
                    problems += translationProblems(target, at: "\(pointer)/properties/\(name) → \(reference)")
                } else {
                    problems.append("\(pointer)/properties/\(name): $ref \(reference) resolves to nothing")
                }
            } else {
                problems += translationProblems(child, at: "\(pointer)/properties/\(name)")
            }
            walk(child, at: "\(pointer)/properties/\(name)", file: file, into: &problems)
        }
        for (name, value) in schema["$defs"] as? [String: Any] ?? [:] {
            if let child = value as? [String: Any] { walk(child, at: "\(pointer)/$defs/\(name)", file: file, into: &problems) }
        }
        if let items = schema["items"] as? [String: Any] { walk(items, at: "\(pointer)/items", file: file, into: &problems) }
        for keyword in ["allOf", "oneOf"] {
            for (index, value) in (schema[keyword] as? [Any] ?? []).enumerated() {
                if let child = value as? [String: Any] { walk(child, at: "\(pointer)/\(keyword)/\(index)", file: file, into: &problems) }
            }
        }
    }

    @Test("every schema file follows the rules", arguments: schemaFiles)
    func fileFollowsTheRules(_ url: URL) throws {
        let relative = String(url.path.dropFirst(Repository.schemas.path.count + 1))
        let document = try JSONSerialization.jsonObject(with: try Data(contentsOf: url))
        let problems = Self.problems(in: document, file: relative)
        #expect(problems.isEmpty, "\(relative): \(problems.joined(separator: "; "))")
    }

    @Test("the meta-schema check catches a broken file")
    func metaCheckCanFail() throws {
        let broken = """
            {"$schema": "http://json-schema.org/draft-07/schema#", "$id": "https://bordernet.example/schemas/incidents/x.schema.json",
             "x-schema-version": "1.0.0", "x-labels": {"ar": "Trafic", "fr": "Trafic", "en": "Traffic"},
             "x-descriptions": {"ar": "وصف", "fr": "desc", "en": "desc"},
             "type": "object", "properties": {"a": {"type": "string", "anyOf": [], "x-labels": {"fr": "A", "en": "A"}},
               "b": {"enum": ["x", "y"], "x-enum-labels": {"x": {"ar": "x", "fr": "X", "en": "X"}},
                     "x-labels": {"ar": "ب", "fr": "B", "en": "B"}, "x-descriptions": {"ar": "ب", "fr": "B", "en": "B"}}}}
            """
        let document = try JSONSerialization.jsonObject(with: Data(broken.utf8))
        let problems = Self.problems(in: document, file: "incidents/x.schema.json")
        #expect(problems.contains("/$schema: not draft 2020-12"))
        #expect(problems.contains("/$id: does not contain the version 1.0.0"))
        #expect(problems.contains("/x-labels/ar: no Arabic script"))
        #expect(problems.contains("/properties/a: keyword \"anyOf\" is not supported"))
        #expect(problems.contains("/properties/a/x-labels/ar: missing or empty"))
        #expect(problems.contains("/properties/a: no x-descriptions"))
        #expect(problems.contains(": an object with properties must say additionalProperties: false"))
        #expect(problems.contains("/properties/b/x-enum-labels: keys differ from the enum's values"))
        #expect(problems.contains("/properties/b/x-enum-labels/x/ar: no Arabic script"))
    }

    @Test("all files share one version and the incident-type enumeration matches the files")
    func versionsAndTypesAgree() throws {
        var versions: Set<String> = []
        for url in Self.schemaFiles {
            let document = try #require(try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [String: Any])
            versions.insert(document["x-schema-version"] as? String ?? "")
        }
        #expect(versions.count == 1)
        let bulletin = try #require(
            try JSONSerialization.jsonObject(with: try Data(contentsOf: Repository.schemas.appendingPathComponent("bulletin.schema.json"))) as? [String: Any])
        let properties = try #require(bulletin["properties"] as? [String: Any])
        let incidentType = try #require(properties["incidentType"] as? [String: Any])
        let declared = Set(try #require(incidentType["enum"] as? [String]))
        let files = Set(Repository.jsonFiles(in: Repository.schemas.appendingPathComponent("incidents")).map {
            String($0.lastPathComponent.dropLast(".schema.json".count))
        })
        #expect(declared == files)
        #expect(files.count >= 12)
    }

    @Test("the loader accepts the repository's schemas and every type has labels in three languages")
    func loaderAccepts() throws {
        let catalog = try Repository.loadedCatalog()
        #expect(catalog.version == SchemaVersion(major: 1, minor: 2, patch: 0))
        for type in catalog.incidentTypes {
            #expect(Self.containsArabic(type.labels.ar), "\(type.id)")
            #expect(!type.labels.fr.isEmpty && !type.labels.en.isEmpty)
            #expect(!type.fields.isEmpty)
        }
        let required = [
            "arms-trafficking", "drug-trafficking", "human-trafficking", "migrant-smuggling", "goods-smuggling",
            "fuel-smuggling", "cash-and-precious-metals-smuggling", "armed-group-movement", "document-fraud",
            "wanted-person", "stolen-vehicle", "border-incident",
            "terrorist-threat", "foreign-terrorist-fighters", "arms-cache", "organised-crime-network",
        ]
        for id in required {
            #expect(catalog.incidentType(id) != nil, "missing \(id)")
        }
    }

    @Test("every incident type carries the shared observables, in the same shape")
    func everyTypeCarriesTheObservables() throws {
        let catalog = try Repository.loadedCatalog()
        let observables = ["people", "documents", "vehicles", "vessels", "aircraft", "phones", "organisations", "places"]
        var shapes: [String: FieldDescription] = [:]
        for type in catalog.incidentTypes {
            for name in observables {
                let field = try #require(type.fields.first { $0.name == name }, "\(type.id) has no \(name)")
                if let first = shapes[name] {
                    #expect(field.fields == first.fields, "\(type.id).\(name) differs from the other types'")
                } else {
                    shapes[name] = field
                }
            }
        }
        #expect(shapes["people"]?.fields.contains { $0.name == "name" && $0.required } == true)
    }

    @Test("the crossing points list names real places of the region, in the three languages")
    func crossingPoints() throws {
        let catalog = try Repository.loadedCatalog()
        #expect(catalog.crossingPoints.count >= 15)
        for point in catalog.crossingPoints {
            #expect(Self.containsArabic(point.names.ar), "\(point.code)")
            #expect(Self.containsLatin(point.names.fr) && Self.containsLatin(point.names.en), "\(point.code)")
            // North and West Africa and the Strait of Gibraltar: a coordinate outside is a typo.
            #expect((5.0...38.0).contains(point.latitude) && (-20.0...40.0).contains(point.longitude), "\(point.code)")
        }
        #expect(catalog.crossingPoints.contains { $0.code == "LY-TN-RAS-JEDIR" })
    }
}
