import ArgumentParser
import BulletinSchema
import Exchange
import Foundation
import NodeSetup
import STIX
import Store
import StoredSTIX

/// `bordernet export stix`: a STIX 2.1 bundle of bulletins of the node's store (read-only), or of
/// bulletin files (docs/STIX.md).
struct ExportSTIXCommand: ParsableCommand {
    /// The most bulletins in one bundle unless --max says otherwise.
    static let defaultMaximum = 1_000
    /// The highest --max accepted.
    static let ceiling = 100_000

    static let configuration = CommandConfiguration(
        commandName: "stix",
        abstract: "Write bulletins as a STIX 2.1 bundle (report, incident, locations, people, markings…).",
        discussion: """
            Reads the node's store read-only (beside a running node) and writes one bundle, \
            canonical JSON, oldest bulletin first: the same bulletins always give the same bytes. \
            A correction is a new version (modified) of the objects of the bulletin it corrects; \
            a withdrawal revokes them. The mapping is described in docs/STIX.md.

            Select bulletins with --id (repeatable), or with filters (--since, --type, --origin; \
            none: every bulletin). A selection of more than --max bulletins (default \
            \(ExportSTIXCommand.defaultMaximum), at most \(ExportSTIXCommand.ceiling)) is refused before anything \
            is written: narrow it or raise --max. --file maps bulletin files instead of the store.

            The bundle goes to --out (written whole or not at all) or to standard output; a \
            summary goes to standard error (with --json, as one JSON object). A bulletin that no \
            longer validates against the schemas is left out and named in the summary, and the \
            exit status is 2.

            The bundle holds decrypted bulletins with their TLP markings: hand it only to whom \
            they allow. STIX consumers ignore BorderNet's handling codes, so by default a \
            bulletin of the store marked TLP:RED or carrying no-further-dissemination is left \
            out (and named with --id): --tlp-max RED and --allow-handling \
            no-further-dissemination include them when the recipient may have them.

            Correlation links (docs/SEARCH.md) become STIX relationships: for each link the \
            arrival of an exported bulletin made to an earlier bulletin, a related-to \
            relationship from its report to the earlier one's (its correction chain's report), \
            with the reason as description and the score as confidence (0-100), when the \
            earlier bulletin passes the same --tlp-max and --allow-handling and its report is \
            in the bundle (select both). They come from the node's search index \
            (DATA/search.sqlite): with [search] enabled = false, no index yet, --file or \
            --profile misp, the bundle has none and is otherwise the same. The export waits \
            at most 2 s for the index to reach the newest bulletin; one not indexed yet is \
            exported without its links (counted in the summary).

            Attachments (schema 1.2): each file is a note (its name, type, size and caption). \
            With --attachment-url, the address of the web console (its public origin), each \
            file is also an artifact with its SHA-256, its type and the url \
            ORIGIN/bulletins/ID/attachments/N, where the console serves it to signed-in users \
            cleared for the bulletin. Without it no artifact is written (STIX requires an \
            artifact's content or url; the note gives the SHA-256). The file's key is never \
            exported.

            Examples:
              bordernet export stix --data /var/lib/bordernet --id DZ-01JFK6SY9541SJ3EQHB6GD1GHC --out bulletin.json
              bordernet export stix --data /var/lib/bordernet --since 24h --type drug-trafficking --out today.json
              bordernet export stix --data /var/lib/bordernet --origin TN --max 5000 --json > tunisia.json
              bordernet export stix --file Schemas/examples/arms-cache.json
              bordernet export stix --data /var/lib/bordernet --since 24h --profile misp --out for-misp.json
              bordernet export stix --data /var/lib/bordernet --since 24h --attachment-url https://console.example.org
            """)

    @OptionGroup var data: DataOption

    @Option(name: .customLong("id"), help: ArgumentHelp("A bulletin to export (repeatable).", valueName: "bulletin"))
    var ids: [String] = []

    @Option(
        help: ArgumentHelp(
            "Only bulletins stored since: an RFC 3339 time, or 30m, 12h, 7d before now.", valueName: "time"))
    var since: PastTime?

    @Option(help: ArgumentHelp("Only this incident type.", valueName: "type"))
    var type: String?

    @Option(help: ArgumentHelp("Only from this state (two letters, ISO 3166-1 alpha-2).", valueName: "code"))
    var origin: StateCode?

    @Option(
        name: .customLong("file"),
        help: ArgumentHelp("A bulletin JSON file to map instead of the store (repeatable).", valueName: "file"))
    var files: [String] = []

    @Option(help: ArgumentHelp("Write the bundle to this file instead of standard output.", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("The most bulletins in the bundle.", valueName: "n"))
    var max = ExportSTIXCommand.defaultMaximum

    @Option(
        name: .customLong("tlp-max"),
        help: ArgumentHelp(
            "The highest TLP exported from the store: CLEAR, GREEN, AMBER, AMBER+STRICT or RED (default: AMBER+STRICT; TLP:RED only when named).",
            valueName: "label"))
    var tlpMax: String = TLP.amberStrict.label

    @Option(
        name: .customLong("allow-handling"),
        help: ArgumentHelp(
            "Also export store bulletins carrying this handling code (repeatable); no-further-dissemination is left out unless named.",
            valueName: "code"))
    var allowedHandling: [String] = []

    @Option(help: ArgumentHelp("The bulletin schemas (default: the search of docs/SCHEMAS.md §8).", valueName: "dir"))
    var schemas: String?

    @Option(
        help: ArgumentHelp(
            "standard (default), or misp: without what MISP's converter misp-stix cannot load (docs/STIX.md).",
            valueName: "profile"))
    var profile: String = STIXProfile.standard.rawValue

    @Option(
        help: ArgumentHelp(
            "The web console's public origin (https://console.example.org): attachments become artifacts with the url ORIGIN/bulletins/ID/attachments/N (without it: no artifact, docs/STIX.md).",
            valueName: "origin"))
    var attachmentURL: String?

    @Flag(help: "Print the summary on standard error as JSON.")
    var json = false

    /// The handling codes a store bulletin may carry to be exported without --allow-handling:
    /// every code of schema 1.1 but `no-further-dissemination`, which an export to an agency would
    /// break (a code this version does not know keeps a bulletin out).
    static let handlingExportedByDefault: Set<String> = [
        "law-enforcement-use-only", "no-judicial-use-without-consent", "no-action-without-consultation",
        "not-for-third-states",
    ]

    /// The TLPs exported: up to --tlp-max.
    var exportedTLPs: Set<TLP> {
        get throws {
            let highest = try TLP(label: tlpMax)
            return Set(TLP.allCases.filter { $0.rawValue <= highest.rawValue })
        }
    }

    /// The handling codes a store bulletin may carry to be exported.
    var exportedHandling: Set<String> { Self.handlingExportedByDefault.union(allowedHandling) }

    func validate() throws {
        guard STIXProfile(rawValue: profile) != nil else {
            throw ValidationError("--profile must be standard or misp, not \(profile).")
        }
        if let attachmentURL {
            guard let components = URLComponents(string: attachmentURL),
                ["http", "https"].contains(components.scheme?.lowercased() ?? ""), components.host?.isEmpty == false,
                components.query == nil, components.fragment == nil, components.user == nil, components.password == nil
            else {
                throw ValidationError(
                    "--attachment-url must be the console's http or https address (https://console.example.org), not \(attachmentURL)."
                )
            }
        }
        guard (try? TLP(label: tlpMax)) != nil else {
            throw ValidationError("--tlp-max must be CLEAR, GREEN, AMBER, AMBER+STRICT or RED, not \(tlpMax).")
        }
        guard (1...Self.ceiling).contains(max) else {
            throw ValidationError("--max must be between 1 and \(Self.ceiling).")
        }
        guard files.isEmpty || (ids.isEmpty && since == nil && type == nil && origin == nil) else {
            throw ValidationError(
                "--file maps files; it does not combine with --id, --since, --type or --origin (which read the store).")
        }
        guard ids.count <= max, files.count <= max else {
            throw ValidationError("more bulletins named than --max (\(max)).")
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
        let source: any BulletinSource =
            files.isEmpty
            ? try StoreSource(data: data.path, catalog: catalog) : try FileSource(paths: files, catalog: catalog)
        let selected = try source.select(ids: ids, query: try query(), maximum: max, handling: exportedHandling)
        let export = try BundleExport(
            source: source,
            mapper: STIXMapper(
                crossingPoints: catalog.crossingPoints, options: STIXMapper.Options(attachmentBase: attachmentURL)),
            ids: selected, out: out,
            profile: STIXProfile(rawValue: profile) ?? .standard, tlps: try exportedTLPs, handling: exportedHandling)
        try export.run()
        let summary = export.summary
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            printError(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            printError(
                "exported \(summary.bulletins) bulletin(s), \(summary.objects) STIX object(s) to \(summary.out), \(summary.relationships) of them relationship(s) of correlation links"
            )
            if let reason = summary.linksUnavailable { printError("no correlation links: \(reason)") }
            if summary.notIndexed > 0 {
                printError(
                    "\(summary.notIndexed) bulletin(s) exported without their correlation links: the search index has not reached them yet or could not be read (export again)"
                )
            }
            for skipped in summary.skipped { printError("left out \(skipped.id): \(skipped.reason)") }
        }
        if !summary.skipped.isEmpty { throw ExitCode(2) }
    }

    private func query() throws -> BulletinQuery {
        BulletinQuery(
            incidentType: type, origin: origin, tlps: try exportedTLPs, permittedHandling: exportedHandling,
            storedSince: since.map { Timestamp(millisecondsSinceEpoch: UInt64(Swift.max(0, $0.milliseconds()))) },
            storedUntil: Timestamp.now, limit: BulletinQuery.maximumLimit)
    }
}

/// What `export stix` prints on standard error.
struct ExportSummary: Encodable {
    struct Skipped: Encodable {
        let id: String
        let reason: String
    }
    var bundle: String
    var bulletins = 0
    var objects = 0
    var out: String
    var skipped: [Skipped] = []
    /// The relationships of correlation links written.
    var relationships = 0
    /// Why no correlation link was read (`nil`: they were).
    var linksUnavailable: String?
    /// Bulletins exported without their links: the search index had not reached them, or could
    /// not be read then.
    var notIndexed = 0
}

/// Where the bulletins come from: the store, or files.
protocol BulletinSource {
    /// The ids to export, oldest first; refuses more than `maximum`.
    /// The bulletins to export: `ids`, each refused when `query`'s TLPs or `handling` do not
    /// admit it, or what `query` selects; more than `maximum` is refused.
    func select(ids: [String], query: BulletinQuery, maximum: Int, handling: Set<String>) throws -> [String]
    /// The bulletin `id` names, validated; `nil` when there is none; throws a reason it is not valid.
    func bulletin(_ id: String) throws -> JSONValue?
    /// The earlier bulletin `id` names for a correction chain, and whether `tlps` and `handling`
    /// admit it (a store bulletin they refuse is followed to the chain's first bulletin, never
    /// mapped: its objects are not revoked in the bundle); `nil` when there is none or it is not
    /// valid.
    func earlier(_ id: String, tlps: Set<TLP>, handling: Set<String>) -> STIXLineage.Earlier?
    /// Why no correlation link is exported; `nil` when they are read.
    var linksUnavailable: String? { get }
    /// Waits a bounded time for the links of `id` (the newest bulletin exported) to be known.
    func waitForLinks(upTo id: String)
    /// The relationships of the correlation links of bulletin `id`, mapped as `objects`, to the
    /// earlier bulletins `tlps` and `handling` admit, with the markings they need
    /// (``STIXMapper/linkRelationships(_:of:bulletinID:)``); `nil` when the index has not
    /// reached `id` yet.
    func linkRelationships(of id: String, objects: [STIXObject], tlps: Set<TLP>, handling: Set<String>) throws
        -> [STIXObject]?
}

/// One ``CorrelationLinkResolver`` for a whole export (what it remembers is kept between
/// bulletins: many link to the same earlier ones).
final class LinkResolverBox {
    var resolver: CorrelationLinkResolver

    init(_ resolver: CorrelationLinkResolver) { self.resolver = resolver }
}

/// Why a bulletin was left out.
struct InvalidBulletin: Error, CustomStringConvertible {
    let description: String
}

/// The node's store, read-only.
struct StoreSource: BulletinSource {
    let reader: BulletinReader
    let bodies: StoredBulletinBodies
    let links: ExportLinks
    /// The earlier bulletins' summaries and chains, read once for the whole export.
    let resolver: LinkResolverBox

    init(data: String, catalog: SchemaCatalog) throws {
        let directory = NodeDirectory(path: data)
        do {
            let storePath = try directory.loadConfiguration().storePath
            let storeFile =
                storePath.hasPrefix("/")
                ? URL(fileURLWithPath: storePath) : directory.root.appendingPathComponent(storePath)
            reader = try BulletinReader(storeFile: storeFile)
        } catch {
            printError("bordernet: the store of \(data) cannot be read: \(error)")
            throw ExitCode(1)
        }
        bodies = StoredBulletinBodies(reader: reader, catalog: catalog)
        links = ExportLinks(directory: directory)
        resolver = LinkResolverBox(CorrelationLinkResolver(reader: reader))
    }

    var linksUnavailable: String? { links.unavailable }

    func waitForLinks(upTo id: String) { _ = links.waitUntilIndexed(id) }

    func linkRelationships(of id: String, objects: [STIXObject], tlps: Set<TLP>, handling: Set<String>) throws
        -> [STIXObject]?
    {
        switch try links.earlierLinks(of: id) {
        case .noIndex: return []
        case .notIndexedYet, .unreadable: return nil
        case .links(let correlated):
            let found = try resolver.resolver.stixLinks(correlated) { summary in
                tlps.contains(summary.tlp) && summary.handling.allSatisfy { handling.contains($0) }
            }
            return STIXMapper.linkRelationships(found, of: objects, bulletinID: id)
        }
    }

    func select(ids: [String], query: BulletinQuery, maximum: Int, handling: Set<String>) throws -> [String] {
        if !ids.isEmpty {
            var chosen: [(id: String, storedAt: Timestamp)] = []
            for id in ids where !chosen.contains(where: { $0.id == id }) {
                guard let summary = try reader.summary(id: id) else {
                    printError("bordernet: no bulletin \(id) in the store (check the id with `bordernet feed`)")
                    throw ExitCode(1)
                }
                if let tlps = query.tlps, !tlps.contains(summary.tlp) {
                    printError(
                        "bordernet: \(id) is TLP:\(summary.tlp.label), above --tlp-max: give --tlp-max \(summary.tlp.label) if the recipient may have it"
                    )
                    throw ExitCode(1)
                }
                if let code = summary.handling.first(where: { !handling.contains($0) }) {
                    printError(
                        "bordernet: \(id) carries the handling code \(code): give --allow-handling \(code) if the recipient may have it"
                    )
                    throw ExitCode(1)
                }
                chosen.append((id, summary.storedAt))
            }
            return chosen.sorted { ($0.storedAt, $0.id) < ($1.storedAt, $1.id) }.map(\.id)
        }
        // Newest first, page by page; stop as soon as the selection is over the bound.
        var newestFirst: [String] = []
        var page = query
        while true {
            let result = try reader.page(page)
            newestFirst += result.items.map(\.id.description)
            guard newestFirst.count <= maximum else {
                printError(
                    "bordernet: more than \(maximum) bulletins match; narrow the selection (--since, --type, --origin) or raise --max (at most \(ExportSTIXCommand.ceiling))"
                )
                throw ExitCode(1)
            }
            guard let next = result.next else { break }
            page.before = next
        }
        return newestFirst.reversed()
    }

    func bulletin(_ id: String) throws -> JSONValue? {
        do {
            return try bodies.bulletin(id)
        } catch let error as InvalidStoredBulletin {
            throw InvalidBulletin(description: error.description)
        }
    }

    func earlier(_ id: String, tlps: Set<TLP>, handling: Set<String>) -> STIXLineage.Earlier? {
        guard let record = try? reader.summaryAndBody(id: id), let json = try? bodies.json(id: id, body: record.body)
        else {
            return nil
        }
        let admitted = tlps.contains(record.summary.tlp) && record.summary.handling.allSatisfy { handling.contains($0) }
        return STIXLineage.Earlier(bulletin: json, receivable: admitted)
    }
}

/// Bulletin files (the worked examples of docs/STIX.md), validated, in the order given.
struct FileSource: BulletinSource {
    let bulletins: [String: JSONValue]
    let order: [String]

    init(paths: [String], catalog: SchemaCatalog) throws {
        var bulletins: [String: JSONValue] = [:]
        var order: [String] = []
        for path in paths {
            let bytes: Data
            do {
                let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
                defer { try? handle.close() }
                bytes = try handle.read(upToCount: SchemaCatalog.maximumBulletinBytes + 1) ?? Data()
            } catch {
                printError("bordernet: cannot read \(path): \(error.localizedDescription)")
                throw ExitCode(1)
            }
            let value: JSONValue
            do {
                value = try catalog.validate(Array(bytes)).value
            } catch {
                printError(
                    "bordernet: \(path) is not a valid issued bulletin: \(error.failures.first.map { "\($0)" } ?? "unknown")"
                )
                throw ExitCode(1)
            }
            guard let id = value["id"]?.stringValue, bulletins[id] == nil else {
                printError("bordernet: \(path): its id is given twice")
                throw ExitCode(1)
            }
            bulletins[id] = value
            order.append(id)
        }
        self.bulletins = bulletins
        self.order = order
    }

    func select(ids: [String], query: BulletinQuery, maximum: Int, handling: Set<String>) throws -> [String] { order }

    func bulletin(_ id: String) throws -> JSONValue? { bulletins[id] }

    /// Files are mapped as given: every one is the recipient's.
    func earlier(_ id: String, tlps: Set<TLP>, handling: Set<String>) -> STIXLineage.Earlier? {
        bulletins[id].map { STIXLineage.Earlier(bulletin: $0, receivable: true) }
    }

    /// Files have no search index.
    var linksUnavailable: String? { "bulletin files (--file) have no correlation links" }

    func waitForLinks(upTo id: String) {}

    func linkRelationships(of id: String, objects: [STIXObject], tlps: Set<TLP>, handling: Set<String>) -> [STIXObject]?
    {
        []
    }
}

/// One export: selection, lineage, mapping, the bundle written whole (to a `.partial` file renamed
/// at the end) or to standard output.
final class BundleExport {
    let source: any BulletinSource
    let mapper: STIXMapper
    let profile: STIXProfile
    let ids: [String]
    let out: String?
    /// The TLPs and handling codes of the store bulletins the recipient may have.
    let tlps: Set<TLP>
    let handling: Set<String>
    private(set) var summary: ExportSummary

    init(
        source: any BulletinSource, mapper: STIXMapper, ids: [String], out: String?, profile: STIXProfile = .standard,
        tlps: Set<TLP>, handling: Set<String>
    ) throws {
        self.source = source
        self.tlps = tlps
        self.handling = handling
        self.mapper = mapper
        self.profile = profile
        self.ids = ids
        self.out = out
        summary = ExportSummary(bundle: STIXBundleWriter.bundleID(bulletinIDs: ids), out: out ?? "standard output")
    }

    func run() throws {
        let handle: FileHandle
        let partial = out.map { $0 + ".partial" }
        if let partial {
            guard FileManager.default.createFile(atPath: partial, contents: nil) else {
                printError("bordernet: cannot create \(partial) (check the folder exists and is writable)")
                throw ExitCode(1)
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partial))
        } else {
            handle = FileHandle.standardOutput
        }
        do {
            try write(to: handle)
            if let partial, let out {
                try handle.close()
                _ = try? FileManager.default.removeItem(atPath: out)
                try FileManager.default.moveItem(atPath: partial, toPath: out)
            }
        } catch {
            if let partial {
                try? handle.close()
                try? FileManager.default.removeItem(atPath: partial)
            }
            throw error
        }
    }

    private func write(to handle: FileHandle) throws {
        var writer = STIXBundleWriter()
        var buffer = writer.begin(id: summary.bundle)
        // The chain lookups read the source; a bulletin read once is kept for the others. An
        // earlier version above --tlp-max or with a handling code not allowed is never mapped.
        let source = self.source
        let tlps = self.tlps
        let handling = self.handling
        let resolver = STIXLineageResolver(earlier: { id in source.earlier(id, tlps: tlps, handling: handling) })
        // Correlation links: in the standard profile (MISP correlates on its own, and misp-stix
        // reads one event per report), from the node's search index.
        summary.linksUnavailable =
            profile == .standard ? source.linksUnavailable : "the misp profile has no correlation links"
        let withLinks = summary.linksUnavailable == nil
        if withLinks, let newest = ids.last { source.waitForLinks(upTo: newest) }
        // The reports in the bundle so far: a relationship is written once its target is (the
        // bundle stays whole: every reference resolves in it), and the rest at the end.
        var reports: Set<String> = []
        var pending: [(target: String, objects: [STIXObject])] = []
        for id in ids {
            let bulletin: JSONValue
            do {
                guard let found = try source.bulletin(id) else { continue }
                bulletin = found
            } catch let error as InvalidBulletin {
                summary.skipped.append(.init(id: id, reason: error.description))
                continue
            }
            let objects: [STIXObject]
            do {
                objects = profile.apply(try mapper.objects(for: bulletin, lineage: resolver.lineage(of: bulletin)))
                buffer += writer.add(objects)
                summary.bulletins += 1
            } catch {
                summary.skipped.append(.init(id: id, reason: error.description))
                continue
            }
            for object in objects where object.type == "report" { reports.insert(object.id) }
            if withLinks {
                guard let found = try source.linkRelationships(of: id, objects: objects, tlps: tlps, handling: handling)
                else {
                    summary.notIndexed += 1
                    continue
                }
                for group in Self.relationshipGroups(found) {
                    if reports.contains(group.target) {
                        buffer += writer.add(group.objects)
                        summary.relationships += 1
                    } else {
                        pending.append(group)
                    }
                }
            }
            if buffer.count >= 1 << 16 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        for group in pending where reports.contains(group.target) {
            buffer += writer.add(group.objects)
            summary.relationships += 1
        }
        buffer += writer.end()
        try handle.write(contentsOf: buffer)
        summary.objects = writer.objectCount
    }

    /// Each relationship of `objects` with the marking-definition it uses when `objects` brings
    /// it, and its target.
    static func relationshipGroups(_ objects: [STIXObject]) -> [(target: String, objects: [STIXObject])] {
        let markings = objects.filter { $0.type == "marking-definition" }
        return objects.filter { $0.type == "relationship" }.compactMap { relationship in
            guard let target = relationship.content["target_ref"]?.stringValue else { return nil }
            let used = (relationship.content["object_marking_refs"]?.arrayValue ?? []).compactMap(\.stringValue)
            return (target, markings.filter { used.contains($0.id) } + [relationship])
        }
    }
}
