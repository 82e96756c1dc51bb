import ArgumentParser
import BulletinSchema
import Exchange
import Foundation
import NodeSetup
import Observables
import SearchIndex
import Store

/// `bordernet search`: the node's search index, as its operator sees it (every bulletin).
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the node's bulletins by words, a person's name in any script, and filters.",
        discussion: """
            Reads DATA/search.sqlite, which the running node's indexer keeps (docs/SEARCH.md), \
            and the store for each hit's title, both read-only. Words are folded (Arabic without \
            diacritics and with one alef; Latin without accents or case) and must all appear; \
            the same text is also read as a person's name, so that محمد بن يوسف is found by \
            "Mohamed Ben Youssef" and the other way round. Each hit says why it matched. \
            Newest first. The operator sees every bulletin of the node.

            Examples:
              bordernet search "Mohamed Ben Youssef" --data /var/lib/bordernet
              bordernet search قارب --type migrant-smuggling --since 7d --data /var/lib/bordernet
              bordernet search --document MA:AB123456 --json --data /var/lib/bordernet
            """)

    @OptionGroup var data: DataOption

    @Argument(help: ArgumentHelp("Words to find, or a person's name (Arabic or Latin letters).", valueName: "text"))
    var text: String?

    @Option(help: ArgumentHelp("Only this incident type.", valueName: "type"))
    var type: String?

    @Option(help: ArgumentHelp("Only from this state (two letters, ISO 3166-1 alpha-2).", valueName: "code"))
    var origin: StateCode?

    @Option(help: ArgumentHelp("Only bulletins that occurred (else were stored) since: an RFC 3339 time, or 30m, 12h, 7d before now.", valueName: "time"))
    var since: PastTime?

    @Option(help: ArgumentHelp("Only bulletins that occurred (else were stored) until: an RFC 3339 time, or 30m, 12h, 7d before now.", valueName: "time"))
    var until: PastTime?

    @Option(name: .customLong("working-group"), help: ArgumentHelp("Only this working group (repeat for several).", valueName: "group"))
    var workingGroups: [String] = []

    @Option(name: .customLong("tlp"), help: ArgumentHelp("Only this TLP (repeat for several).", valueName: "label"))
    var tlps: [TLP] = []

    @Option(name: .customLong("crossing-point"), help: ArgumentHelp("Only bulletins naming this crossing-point code.", valueName: "code"))
    var crossingPoint: String?

    @Option(help: ArgumentHelp("Only bulletins naming this document (MA:AB123456, issuing state first when known).", valueName: "number"))
    var document: String?
    @Option(help: ArgumentHelp("Only bulletins naming this registration plate (country first when known).", valueName: "plate"))
    var plate: String?
    @Option(help: ArgumentHelp("Only bulletins naming this vehicle identification number.", valueName: "vin"))
    var vin: String?
    @Option(help: ArgumentHelp("Only bulletins naming this vessel IMO number.", valueName: "number"))
    var imo: String?
    @Option(help: ArgumentHelp("Only bulletins naming this vessel MMSI.", valueName: "number"))
    var mmsi: String?
    @Option(help: ArgumentHelp("Only bulletins naming this phone number.", valueName: "number"))
    var phone: String?
    @Option(help: ArgumentHelp("Only bulletins naming this handset IMEI.", valueName: "number"))
    var imei: String?

    @Option(help: ArgumentHelp("How many results at most (1…\(SearchQuery.maximumLimit)).", valueName: "n"))
    var limit = 20

    @OptionGroup var output: JSONOption

    func validate() throws {
        guard (1...SearchQuery.maximumLimit).contains(limit) else {
            throw ValidationError("--limit must be 1…\(SearchQuery.maximumLimit)")
        }
        if identifiers.count > 1 {
            throw ValidationError("give at most one of --document, --plate, --vin, --imo, --mmsi, --phone, --imei")
        }
        if let text, text.unicodeScalars.count > SearchQuery.maximumTextLength {
            throw ValidationError("the text is longer than \(SearchQuery.maximumTextLength) characters")
        }
    }

    /// The identifier options given, by kind.
    private var identifiers: [(IdentifierKind, String)] {
        [(.document, document), (.plate, plate), (.vin, vin), (.imo, imo), (.mmsi, mmsi), (.phone, phone), (.imei, imei)]
            .compactMap { kind, value in value.map { (kind, $0) } }
    }

    func run() throws {
        let directory = NodeDirectory(path: data.path)
        let indexPath = directory.root.appendingPathComponent("search.sqlite").path
        guard FileManager.default.fileExists(atPath: indexPath) else {
            printError(
                "bordernet: \(data.path) has no search index yet (search.sqlite). Start the node (`bordernet node run`) with "
                    + "[search] enabled = true in node.toml: it builds the index from its store.")
            throw ExitCode(1)
        }
        let reader: SearchReader
        let store: BulletinReader
        do {
            reader = try SearchReader(path: indexPath)
            let storePath = try directory.loadConfiguration().storePath
            let storeFile = storePath.hasPrefix("/") ? URL(fileURLWithPath: storePath) : directory.root.appendingPathComponent(storePath)
            store = try BulletinReader(storeFile: storeFile)
        } catch {
            printError("bordernet: cannot read the search index of \(data.path): \(error)")
            throw ExitCode(1)
        }
        var query = SearchQuery(scope: .everything, text: text, limit: limit)
        query.incidentType = type
        query.origin = origin
        query.since = since?.milliseconds()
        query.until = until?.milliseconds()
        query.workingGroups = workingGroups.isEmpty ? nil : Set(workingGroups)
        query.tlps = tlps.isEmpty ? nil : Set(tlps)
        query.crossingPoint = crossingPoint
        if let (kind, value) = identifiers.first {
            query.identifierKind = kind.rawValue
            query.identifierValue = value
        }
        let page: SearchPage
        do {
            page = try reader.search(query)
        } catch {
            printError("bordernet: the search failed: \(error)")
            throw ExitCode(1)
        }
        for hit in page.hits {
            let summary = try? store.summary(id: hit.reference.description)
            let title = summary.flatMap { summary in ["en", "fr", "ar"].lazy.compactMap { summary.title[$0] }.first ?? summary.title.values.first }
            let date = Date(timeIntervalSince1970: Double(hit.storedAtMilliseconds) / 1000).formatted(.iso8601)
            if output.json {
                var line: [String: Any] = [
                    "id": hit.reference.description, "origin": hit.reference.origin.description, "incidentType": hit.incidentType,
                    "tlp": hit.tlp.label, "storedAt": hit.storedAtMilliseconds, "reasons": hit.reasons,
                ]
                if let title { line["title"] = title }
                if let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes]) {
                    print(String(decoding: data, as: UTF8.self))
                }
            } else {
                // Titles come from other states' bulletins: neutralised before the terminal.
                print("── \(hit.reference) ── \(DisplayText.neutralised(hit.incidentType))")
                print("   from \(hit.reference.origin) · TLP:\(hit.tlp.label) · \(date)")
                if let title { print("   " + DisplayText.neutralised(title)) }
                print("   matched: " + hit.reasons.map { DisplayText.neutralised($0) }.joined(separator: "; "))
                print("")
            }
        }
        if !output.json {
            if page.hits.isEmpty { print("No bulletin matches.") }
            if page.next != nil { print("More bulletins match: narrow the search or raise --limit.") }
        }
    }
}
