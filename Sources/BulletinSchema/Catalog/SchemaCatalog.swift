import Foundation

/// The incident schemas of one schema version, loaded from a directory and compiled once, and the
/// validator of bulletins against them.
///
/// A catalog is an immutable value: load it at start-up (``load(from:)``), then call
/// ``validate(_:stage:)`` for each bulletin from any thread.
public struct SchemaCatalog: Sendable {
    /// The largest bulletin accepted, in bytes of JSON: 64 KiB.
    public static let maximumBulletinBytes = 65_536

    /// The directory the files were loaded from.
    public let directory: URL
    /// The version of the loaded files (`x-schema-version`).
    public let version: SchemaVersion
    /// The incident types, sorted by id.
    public let incidentTypes: [IncidentType]
    /// The common fields of every bulletin (`bulletin.schema.json`).
    public let bulletinFields: [FieldDescription]
    /// Every file loaded, relative to ``directory``.
    public let files: [String]
    /// The region's border crossing points (`reference/crossing-points.json`), sorted by code;
    /// empty for schema sets before 1.1, which have no list.
    public let crossingPoints: [CrossingPoint]

    private let evaluator: SchemaEvaluator
    private let bulletinRoot: Int
    private let incidentRoots: [String: Int]

    /// Loads and compiles `bulletin.schema.json`, the other `*.schema.json` files beside it and
    /// every `incidents/*.schema.json`.
    ///
    /// Refuses the whole directory, naming the file and pointer, if any file is not valid JSON,
    /// uses a keyword outside ``SchemaKeyword/all``, lacks a translation, has a `$ref` that
    /// resolves nowhere, or disagrees on the schema version.
    public static func load(from directory: URL) throws(SchemaLoadError) -> SchemaCatalog {
        let fileManager = FileManager.default
        let bulletinFile = "bulletin.schema.json"
        guard fileManager.fileExists(atPath: directory.appendingPathComponent(bulletinFile).path) else {
            throw .notASchemaDirectory(path: directory.path, source: "load")
        }
        func schemaFiles(in folder: String) -> [String] {
            let url = folder.isEmpty ? directory : directory.appendingPathComponent(folder)
            let names = (try? fileManager.contentsOfDirectory(atPath: url.path)) ?? []
            return names.filter { $0.hasSuffix(".schema.json") }.sorted().map { folder.isEmpty ? $0 : folder + "/" + $0 }
        }
        let shared = schemaFiles(in: "").filter { $0 != bulletinFile }
        let incidents = schemaFiles(in: "incidents")

        let bulletinDocument = try readDocument(bulletinFile, in: directory)
        guard let versionText = bulletinDocument["x-schema-version"]?.stringValue,
            let version = SchemaVersion(versionText)
        else {
            throw .versionMismatch(file: bulletinFile, detail: "\"x-schema-version\" must be a version such as \"1.0.0\"")
        }

        var compiler = SchemaCompiler(requiresValueLabels: SchemaVersion(major: 1, minor: 1, patch: 0) <= version)
        var roots: [String: Int] = [:]
        var documents: [String: JSONValue] = [bulletinFile: bulletinDocument]
        for file in [bulletinFile] + shared + incidents {
            let document: JSONValue
            if let known = documents[file] {
                document = known
            } else {
                document = try readDocument(file, in: directory)
                documents[file] = document
            }
            let id = try checkHeader(document, file: file, version: version)
            roots[file] = try compiler.compile(document: document, file: file, id: id)
        }
        try compiler.finish()
        let nodes = compiler.nodes
        for file in [bulletinFile] + shared {
            if let root = roots[file], nodes[root].since != nil {
                throw .invalidKeywordValue(
                    file: file, pointer: "", keyword: "x-since", expected: "only at the root of an incident file (it marks the type's version)")
            }
        }

        let declared = Set(
            bulletinDocument["properties"]?["incidentType"]?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var incidentRoots: [String: Int] = [:]
        var types: [IncidentType] = []
        let describer = FieldDescriber(nodes: nodes)
        for file in incidents {
            let name = String(file.dropFirst("incidents/".count).dropLast(".schema.json".count))
            guard let root = roots[file], let document = documents[file] else { continue }
            guard document["x-incident-type"]?.stringValue == name else {
                throw .incidentFileMismatch(file: file, detail: "\"x-incident-type\" must be \"\(name)\", the file's name")
            }
            guard let labels = nodes[root].labels, let descriptions = nodes[root].descriptions else {
                throw .missingTranslations(file: file, pointer: "", keyword: "x-labels/x-descriptions")
            }
            guard nodes[root].types == [.object], nodes[root].closed else {
                throw .incidentFileMismatch(
                    file: file, detail: "the root must be \"type\": \"object\" with \"additionalProperties\": false (it describes the bulletin's details)")
            }
            incidentRoots[name] = root
            types.append(
                IncidentType(
                    id: name, labels: labels, descriptions: descriptions,
                    fields: describer.fields(of: root), file: file))
        }
        let fileTypes = Set(incidentRoots.keys)
        guard declared == fileTypes else {
            throw .incidentTypesMismatch(
                onlyInEnumeration: declared.subtracting(fileTypes).sorted(),
                onlyAsFiles: fileTypes.subtracting(declared).sorted())
        }
        guard let bulletinRoot = roots[bulletinFile] else {
            throw .unreadable(file: bulletinFile, reason: "not compiled")
        }
        let crossingPoints = try loadCrossingPoints(in: directory, nodes: nodes)
        return SchemaCatalog(
            directory: directory, version: version, incidentTypes: types.sorted { $0.id < $1.id },
            bulletinFields: describer.fields(of: bulletinRoot),
            files: [bulletinFile] + shared + incidents + (crossingPoints.isEmpty ? [] : [CrossingPointList.file]),
            crossingPoints: crossingPoints,
            evaluator: SchemaEvaluator(nodes: nodes), bulletinRoot: bulletinRoot, incidentRoots: incidentRoots)
    }

    private init(
        directory: URL, version: SchemaVersion, incidentTypes: [IncidentType], bulletinFields: [FieldDescription],
        files: [String], crossingPoints: [CrossingPoint], evaluator: SchemaEvaluator, bulletinRoot: Int, incidentRoots: [String: Int]
    ) {
        self.directory = directory
        self.version = version
        self.incidentTypes = incidentTypes
        self.bulletinFields = bulletinFields
        self.files = files
        self.crossingPoints = crossingPoints
        self.evaluator = evaluator
        self.bulletinRoot = bulletinRoot
        self.incidentRoots = incidentRoots
    }

    /// The reference list of crossing points, checked against the `crossingPoint` enumeration
    /// that names them; none when the schemas define no such enumeration (before 1.1).
    private static func loadCrossingPoints(in directory: URL, nodes: [SchemaNode]) throws(SchemaLoadError) -> [CrossingPoint] {
        let named = nodes.first { $0.location == CrossingPointList.schemaLocation }
        let exists = FileManager.default.fileExists(atPath: directory.appendingPathComponent(CrossingPointList.file).path)
        guard let named else {
            if exists {
                throw .referenceListMismatch(file: CrossingPointList.file, detail: "no \(CrossingPointList.schemaLocation) enumeration names its codes")
            }
            return []
        }
        guard exists else {
            throw .referenceListMismatch(file: CrossingPointList.file, detail: "missing: \(CrossingPointList.schemaLocation) names crossing points the list must describe")
        }
        let points = try CrossingPointList.parse(readDocument(CrossingPointList.file, in: directory))
        try CrossingPointList.check(points, against: named)
        return points.sorted { $0.code < $1.code }
    }

    /// The incident type with identifier `id`, if this catalog has it.
    public func incidentType(_ id: String) -> IncidentType? {
        incidentTypes.first { $0.id == id }
    }

    /// The bulletin's `details` as labelled lines in `language`, members in the schema's order,
    /// enumerated values by their labels; empty when the bulletin has no details (a withdrawal)
    /// or an incident type this catalog does not know.
    public func labelledDetails(of bulletin: JSONValue, in language: Language) -> [LabelledValue] {
        guard let type = bulletin["incidentType"]?.stringValue, let root = incidentRoots[type],
            let details = bulletin["details"]
        else { return [] }
        return ValueLabeller(nodes: evaluator.nodes, language: language).lines(of: details, root: root)
    }

    /// The label of `value` in the enumeration of the common field `field` (`severity`, `tlp`,
    /// `workingGroup`, `reportKind`…), if it is one of its values.
    public func label(ofValue value: String, inBulletinField field: String) -> LocalizedText? {
        bulletinFields.first { $0.name == field }?.allowedValues.first { $0.value == value }?.labels
    }

    /// Validates a bulletin (raw JSON bytes) against the common schema and its incident type's
    /// schema; returns it parsed, or throws every failure found.
    public func validate(_ bytes: some Collection<UInt8>, stage: BulletinStage = .issued) throws(BulletinRejection) -> ValidatedBulletin {
        let (tape, failures) = check(bytes, stage: stage)
        guard failures.isEmpty, let tape,
            let incidentType = tape.rootString("incidentType"),
            let versionText = tape.rootString("schemaVersion"),
            let schemaVersion = SchemaVersion(versionText),
            let tlp = tape.rootString("tlp")
        else {
            throw BulletinRejection(failures: failures.isEmpty ? [ValidationFailure(pointer: .root, keyword: "required", reason: .missingMember(name: "incidentType"))] : failures)
        }
        return ValidatedBulletin(
            tape: tape, id: tape.rootString("id"), incidentType: incidentType,
            schemaVersion: schemaVersion, tlp: tlp)
    }

    /// Every failure of a bulletin (raw JSON bytes); empty when it is valid.
    public func failures(in bytes: some Collection<UInt8>, stage: BulletinStage = .issued) -> [ValidationFailure] {
        check(bytes, stage: stage).failures
    }

    private func check(_ bytes: some Collection<UInt8>, stage: BulletinStage) -> (tape: JSONTape?, failures: [ValidationFailure]) {
        let size = bytes.count
        guard size <= SchemaCatalog.maximumBulletinBytes else {
            return (nil, [ValidationFailure(pointer: .root, keyword: "x-max-bytes", reason: .tooLarge(limit: SchemaCatalog.maximumBulletinBytes, found: size))])
        }
        let tape: JSONTape
        let containsForbiddenText: Bool
        let containsLineBreak: Bool
        do {
            (tape, containsForbiddenText, containsLineBreak) = try JSONParser(maximumDepth: 64).parseTapeNotingText(bytes)
        } catch {
            return (nil, [ValidationFailure(pointer: .root, keyword: "x-json", reason: .malformedJSON(detail: error.description))])
        }
        let root = JSONTape.root
        let declaredText = tape.rootString("schemaVersion")
        if let text = declaredText, let declared = SchemaVersion(text), !version.accepts(declared) {
            let reason: ValidationReason = declared.major == version.major
                ? .unsupportedSchemaVersion(found: text, known: version.description)
                : .unknownMajorVersion(found: text, known: version.description)
            return (tape, [ValidationFailure(pointer: JSONPointer(tokens: ["schemaVersion"]), keyword: "x-schema-version", reason: reason)])
        }
        let declared = declaredText.flatMap(SchemaVersion.init)
        var failures = evaluator.evaluate(root, of: tape, against: bulletinRoot, at: .root, checkingLineBreaks: containsLineBreak, declared: declared)
        // Rare (an attack or a mistake): the text rule reads the document as a tree.
        if containsForbiddenText { failures += TextRule.failures(in: tape.value(at: root)) }
        if tape.kind(at: root) == .object {
            let hasID = tape.member("id", of: root) != nil
            if hasID != (stage == .issued) {
                failures.append(ValidationFailure(pointer: JSONPointer(tokens: ["id"]), keyword: "x-stage", reason: .identifierStage(stage: stage)))
            }
            let type = tape.rootString("incidentType")
            if let type, let typeRoot = incidentRoots[type],
                let since = evaluator.nodes[typeRoot].since, let declared, declared < since
            {
                failures.append(
                    ValidationFailure(
                        pointer: JSONPointer(tokens: ["incidentType"]), keyword: "x-since",
                        reason: .addedInLaterVersion(member: type, since: "\(since.major).\(since.minor)", declared: declared.description)))
            } else if let type, let typeRoot = incidentRoots[type],
                let details = tape.member("details", of: root)
            {
                failures += evaluator.evaluate(
                    details, of: tape, against: typeRoot, at: JSONPointer(tokens: ["details"]), checkingLineBreaks: containsLineBreak,
                    declared: declared)
                failures += LocalReferences.failures(in: details, of: tape, at: JSONPointer(tokens: ["details"]))
            }
        }
        // Stable order by pointer, so the same bulletin always yields the same report.
        let ordered = failures.enumerated().sorted {
            ($0.element.pointer.description, $0.offset) < ($1.element.pointer.description, $1.offset)
        }.map(\.element)
        return (tape, ordered)
    }

    // MARK: - Loading

    private static let maximumSchemaFileBytes = 4 << 20

    private static func readDocument(_ file: String, in directory: URL) throws(SchemaLoadError) -> JSONValue {
        let url = directory.appendingPathComponent(file)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: file, reason: error.localizedDescription)
        }
        guard data.count <= maximumSchemaFileBytes else {
            throw .unreadable(file: file, reason: "larger than \(maximumSchemaFileBytes) bytes")
        }
        do {
            return try JSONParser(maximumDepth: 256).parse(data)
        } catch {
            throw .malformedJSON(file: file, error: error)
        }
    }

    /// Checks `$schema`, `x-schema-version` and `$id` of a file's root; returns the `$id`.
    private static func checkHeader(_ document: JSONValue, file: String, version: SchemaVersion) throws(SchemaLoadError) -> String {
        let dialect = document["$schema"]?.stringValue
        guard dialect == SchemaKeyword.dialect else { throw .wrongDialect(file: file, found: dialect) }
        guard document["x-schema-version"]?.stringValue == version.description else {
            throw .versionMismatch(
                file: file, detail: "\"x-schema-version\" must be \"\(version)\" like bulletin.schema.json")
        }
        guard let id = document["$id"]?.stringValue, id.contains("://") else {
            throw .versionMismatch(file: file, detail: "\"$id\" must be an absolute URI")
        }
        guard id.hasSuffix("/\(version)/\(file)") else {
            throw .versionMismatch(
                file: file, detail: "\"$id\" (\(id)) must end with \"/\(version)/\(file)\": the version and the file's path")
        }
        return id
    }
}
