import ArgumentParser
import BulletinSchema
import Foundation
import LocalFiles
import STIX

/// `bordernet import stix FILE`: a STIX 2.1 bundle (MISP, OpenCTI, BorderNet) as bulletin drafts,
/// one file per report, for an officer to complete and post (docs/STIX.md, "Import").
struct ImportSTIXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stix",
        abstract: "Turn a STIX 2.1 bundle (MISP, OpenCTI, BorderNet) into bulletin drafts; posts nothing.",
        discussion: """
            Writes one draft per STIX report (or MISP grouping), and one per incident that no \
            report refers to, into --out: a JSON file in the form `bordernet post --file` takes, \
            named by a UUIDv5 of the source object's id (importing the same bundle again gives \
            the same names), created 0600, never overwriting: a file already there with other \
            content is left as it was and named in the report. Nothing is posted: an officer \
            reads each draft, completes what the report lists, checks it with `bordernet schema \
            validate --stage draft FILE`, then posts it with `bordernet post --file FILE --to …`.

            A bundle exported by BorderNet is restored field for field from its extension. From \
            other tools: name and description give title and summary in the language of `lang` \
            (ar, fr or en; language-content objects give the others); published, first_seen, \
            created give the times (UTC); a label that is one of the schema's incident types \
            gives the incident type; TLP 2.0 and TLP 1.0 markings and OpenCTI's TLP:AMBER+STRICT \
            give the TLP (none known: the draft has none and the officer chooses); locations, \
            identities and threat actors give the location, places, people and organisations; a \
            phone number given plainly (E.164) gives a phone. The report lists what mapped, \
            what the officer must complete, and every object or property not mapped, with why.

            The file may come from anyone: larger than --max-bytes (default 16 MiB), more \
            objects than --max-objects (default 50,000), nested deeper than 48 levels, not \
            UTF-8 JSON, or with a member name twice in one object, it is refused whole.

            Exit status: 0 every object mapped and every draft written; 2 drafts written, but \
            some objects or properties were not mapped or a draft file was already there with \
            other content; 1 nothing usable (a refused file, no report or incident, no draft \
            written).

            Examples:
              bordernet import stix misp-event.json --out drafts/
              bordernet import stix opencti-report.json --out drafts/ --json
              bordernet import stix big-feed.json --out drafts/ --max-bytes 67108864
            """)

    @Argument(help: ArgumentHelp("The STIX 2.1 bundle, JSON.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The folder the drafts are written to (it must exist).", valueName: "dir"))
    var out: String

    @Option(
        name: .customLong("max-bytes"),
        help: ArgumentHelp("The largest file read (default 16 MiB, at most 256 MiB).", valueName: "n"))
    var maxBytes = STIXImportLimits.defaultMaximumBytes

    @Option(
        name: .customLong("max-objects"),
        help: ArgumentHelp("The most objects in the bundle (default 50,000, at most 1,000,000).", valueName: "n"))
    var maxObjects = STIXImportLimits.defaultMaximumObjects

    @Option(help: ArgumentHelp("The bulletin schemas (default: the search of docs/SCHEMAS.md §8).", valueName: "dir"))
    var schemas: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard (1...STIXImportLimits.ceilingBytes).contains(maxBytes) else {
            throw ValidationError("--max-bytes must be between 1 and \(STIXImportLimits.ceilingBytes).")
        }
        guard (1...1_000_000).contains(maxObjects) else {
            throw ValidationError("--max-objects must be between 1 and 1000000.")
        }
    }

    func run() throws {
        let catalog: SchemaCatalog
        do {
            catalog = try SchemaCatalog.load(from: SchemaLocator.locate(explicit: schemas))
        } catch {
            printError("bordernet: schemas: \(error)")
            throw ExitCode(1)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue else {
            printError("bordernet: --out \(out) is not a folder: create it first")
            throw ExitCode(1)
        }
        let bytes = try Self.read(file, limit: maxBytes)
        let result: STIXImportResult
        do {
            result = try STIXImporter(catalog: catalog, limits: STIXImportLimits(maximumBytes: maxBytes, maximumObjects: maxObjects))
                .importBundle(bytes)
        } catch {
            printError("bordernet: \(file): " + DisplayText.neutralised("\(error)"))
            throw ExitCode(1)
        }
        var report = ImportReport(file: file, objects: result.objectCount, supersededVersions: result.supersededVersions)
        for draft in result.drafts {
            report.drafts.append(try Self.write(draft, to: out, catalog: catalog))
        }
        report.notMapped = result.notMapped.map(ImportReport.Note.init)
        if json {
            try printJSON(report)
        } else {
            print(report.text)
        }
        let written = report.drafts.filter { $0.status != .alreadyThereDifferent }
        if written.isEmpty { throw ExitCode(1) }
        if written.count < report.drafts.count || !report.notMapped.isEmpty || report.drafts.contains(where: { !$0.notMapped.isEmpty }) {
            throw ExitCode(2)
        }
    }

    /// The file's bytes, refused before reading when it is larger than `limit`.
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            guard data.count <= limit else {
                printError(
                    "bordernet: \(path) is larger than \(limit) bytes: split the bundle, or raise --max-bytes if it is trusted")
                throw ExitCode(1)
            }
            return Array(data)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("bordernet: cannot read \(path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }

    /// Writes `draft` into `folder` (0600, never over another file) and says what the schemas
    /// still find missing in it.
    static func write(_ draft: STIXImportedDraft, to folder: String, catalog: SchemaCatalog) throws -> ImportReport.Draft {
        let path = URL(fileURLWithPath: folder).appendingPathComponent(draft.fileName).path
        let bytes = draft.bytes
        let status: ImportReport.Status
        do {
            try LocalFile.write(bytes, to: path, permissions: .ownerReadWrite)
            status = .written
        } catch .alreadyExists {
            status = FileManager.default.contents(atPath: path).map(Array.init) == bytes ? .alreadyThereSame : .alreadyThereDifferent
        } catch {
            printError("bordernet: \(error)")
            throw ExitCode(1)
        }
        let failures = catalog.failures(in: bytes, stage: .draft).map { $0.line(in: .en) }
        return ImportReport.Draft(
            file: path, status: status, source: draft.sourceID, name: draft.sourceName, mapped: draft.mapped,
            toComplete: draft.toComplete, schemaFailures: failures, notMapped: draft.notMapped.map(ImportReport.Note.init))
    }
}

/// What `import stix` prints: per draft, the file, what mapped, what to complete, what did not map.
struct ImportReport: Encodable {
    enum Status: String, Encodable {
        case written
        case alreadyThereSame = "already-there-same"
        case alreadyThereDifferent = "already-there-different-not-overwritten"
    }
    struct Note: Encodable {
        let object: String
        let property: String?
        let reason: String
        init(_ note: STIXImportNote) {
            object = note.object
            property = note.property
            reason = note.reason
        }
        var line: String { "\(object)\(property.map { " \($0)" } ?? ""): \(reason)" }
    }
    struct Draft: Encodable {
        let file: String
        let status: Status
        let source: String
        let name: String?
        let mapped: [String]
        let toComplete: [String]
        let schemaFailures: [String]
        let notMapped: [Note]
    }
    let file: String
    let objects: Int
    let supersededVersions: Int
    var drafts: [Draft] = []
    var notMapped: [Note] = []

    var text: String {
        var lines = ["\(file): \(objects) object(s), \(drafts.count) draft(s); nothing was posted"]
        if supersededVersions > 0 { lines.append("\(supersededVersions) earlier version(s) of objects given again: the latest read") }
        for draft in drafts {
            let state: String
            switch draft.status {
            case .written: state = "written"
            case .alreadyThereSame: state = "already there, the same"
            case .alreadyThereDifferent: state = "NOT WRITTEN: a different file is already there (remove it or choose another --out)"
            }
            lines.append("")
            lines.append("draft \(draft.file) (\(state))")
            lines.append("  from \(draft.source)\(draft.name.map { " \"\($0)\"" } ?? "")")
            for line in draft.mapped { lines.append("  mapped: \(line)") }
            for line in draft.toComplete { lines.append("  to complete: \(line)") }
            for line in draft.schemaFailures { lines.append("  schemas: \(line)") }
            for note in draft.notMapped { lines.append("  not mapped: \(note.line)") }
        }
        if !notMapped.isEmpty {
            lines.append("")
            lines.append("in no draft:")
            for note in notMapped { lines.append("  \(note.line)") }
        }
        if !drafts.isEmpty {
            lines.append("")
            lines.append("next: complete each draft, `bordernet schema validate --stage draft FILE`, then `bordernet post --file FILE --to …`")
        }
        // Names, notes and values come from the bundle, which may be hostile: every line is
        // neutralised (controls, bidi overrides, line separators made visible) before the terminal
        // sees it, as `feed` does with a received bulletin's text.
        return lines.map { DisplayText.neutralised($0) }.joined(separator: "\n")
    }
}
