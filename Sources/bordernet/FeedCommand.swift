import ArgumentParser
import BulletinSchema
import Dispatch
import Exchange
import Foundation
import LocalFiles
import NodeClient
import NodeSetup
import SearchIndex
import Synchronization
import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// `bordernet feed`: what the neighbours sent, for the state's own agencies.
struct FeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed",
        abstract: "Show the bulletins received from other states; with --follow, keep showing new ones as they arrive.",
        discussion: """
            History comes from the node's store, then (with --follow) live bulletins from its \
            local feed, DATA/feed.sock (ZeroMQ PUB, topic = incident type), which agencies' own \
            systems can also subscribe to.

            With --json each bulletin carries "links": the earlier and later bulletins the node's \
            search index linked it to (a shared document, plate, vessel, phone or person; \
            docs/SEARCH.md). The command waits up to 2 seconds for the indexer to reach a \
            bulletin; "links": null means it has not been indexed yet (or search is off).

            A bulletin accepted under keys the secretariat later revoked (from a compromise time \
            before it was created or stored) is flagged for review: it stays stored, the text \
            output marks it FLAGGED FOR REVIEW, with --json it carries "flag" (reason, since, \
            rosterVersion, flaggedAt, incidentType; null when not flagged), --flagged lists only those, \
            and --follow also shows each flag as the node raises it (of --type only, when given; \
            docs/OPERATIONS.md, "Revoking a state").

            Examples:
              bordernet feed --data /var/lib/bordernet --lang fr
              bordernet feed --data /var/lib/bordernet --follow --type arms-trafficking --origin DZ
              bordernet feed --data /var/lib/bordernet --since 24h --json
              bordernet feed --data /var/lib/bordernet --flagged --origin DZ
            """)

    @OptionGroup var data: DataOption

    @Flag(help: "Keep running and show bulletins as they arrive (Ctrl-C to stop).")
    var follow = false

    @Option(help: ArgumentHelp("Only this incident type.", valueName: "type"))
    var type: String?

    @Option(help: ArgumentHelp("Only from this state (two letters, ISO 3166-1 alpha-2).", valueName: "code"))
    var origin: StateCode?

    @Option(help: ArgumentHelp("Only bulletins stored since: an RFC 3339 time, or 30m, 12h, 7d before now.", valueName: "time"))
    var since: PastTime?

    @Option(help: "How many past bulletins to show at most.")
    var limit = 50

    @Flag(help: "Also show the bulletins this node posted.")
    var includeOwn = false

    @Flag(help: "Only the bulletins flagged for review (accepted under keys revoked since).")
    var flagged = false

    @Option(help: ArgumentHelp("Language of labels.", valueName: "ar|fr|en"))
    var lang: Language = .en

    @OptionGroup var output: JSONOption

    func run() throws {
        let catalog = try? SchemaCatalog.load(from: SchemaLocator.locate())
        let printer = FeedPrinter(catalog: catalog, language: lang, json: output.json)
        let links = output.json ? FeedLinks(directory: NodeDirectory(path: data.path)) : nil
        let directory = NodeDirectory(path: data.path)

        // Subscribe before reading the history, so nothing falls between the two.
        let live = try follow ? FeedSubscription(directory: directory, incidentType: type) : nil
        let query = HistoryQuery(
            incidentType: type, origin: origin?.description, since: since?.milliseconds(), limit: limit, includeOwn: includeOwn,
            flaggedOnly: flagged ? true : nil)
        let response = try askNode(ControlRequest(command: .history, query: query), data: data)
        guard response.ok else {
            printError("bordernet: \(response.error ?? "no history")")
            throw ExitCode(1)
        }
        var shown = Set<String>()
        for bulletin in response.bulletins ?? [] {
            shown.insert(bulletin.id)
            printer.show(bulletin, links: links?.links(of: bulletin.id, live: false))
        }
        guard let live else { return }
        let stopFlag = StopFlag()
        let stopSignals = StopSignals { stopFlag.set() }
        defer { withExtendedLifetime(stopSignals) {} }
        while !stopFlag.isSet {
            switch try live.nextEvent(timeoutMilliseconds: 200) {
            case .bulletin(let bulletin):
                // A flag is raised on what is stored, never on a bulletin as it arrives.
                if flagged { continue }
                if let origin, bulletin.origin != origin.description { continue }
                if shown.insert(bulletin.id).inserted { printer.show(bulletin, links: links?.links(of: bulletin.id, live: true)) }
            case .flag(let flag):
                if let origin, flag.origin != origin.description { continue }
                if let type, let flagType = flag.incidentType, flagType != type { continue }
                printer.show(flag)
            case nil:
                continue
            }
        }
    }
}

/// Set from a signal handler's queue, read by the loop.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// Prints feed bulletins as readable blocks (labels in the chosen language) or JSON lines.
struct FeedPrinter {
    let catalog: SchemaCatalog?
    let language: Language
    let json: Bool

    /// Shows `bulletin`; with JSON, `links` (its correlation links, `nil`: not indexed yet) too.
    func show(_ bulletin: FeedBulletin, links: [BulletinLink]? = nil) {
        let body = (try? JSONSerialization.jsonObject(with: Data(bulletin.body.utf8))) as? [String: Any] ?? [:]
        if json {
            var line: [String: Any] = [
                "id": bulletin.id, "origin": bulletin.origin, "incidentType": bulletin.incidentType, "tlp": bulletin.tlp,
                "storedAt": bulletin.storedAt,
            ]
            line["bulletin"] = body
            line["links"] = FeedLinks.json(links)
            line["flag"] = bulletin.flag.map(Self.json) ?? NSNull()
            if let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes]) {
                print(String(decoding: data, as: UTF8.self))
                // One line per bulletin, delivered as it comes even into a pipe (`| jq`).
                fflush(nil)  // nil: every stream; naming stdout is not concurrency-safe in Swift 6
            }
            return
        }
        // Everything below comes from another state's node, which may be older or hostile: each
        // string is neutralised (controls, bidi overrides, separators made visible) before it
        // reaches the terminal. The JSON output above stays exact.
        let safe = { (text: String) in DisplayText.neutralised(text) }
        let typeLabel = catalog?.incidentType(bulletin.incidentType)?.labels[language] ?? bulletin.incidentType
        print("── \(safe(bulletin.id)) ── \(safe(typeLabel))")
        if let flag = bulletin.flag { print("   " + flagLine(flag)) }
        var facts = [words.from + safe(bulletin.origin), "TLP:\(safe(bulletin.tlp))"]
        for field in ["severity", "reportKind"] {
            if let value = body[field] as? String { facts.append(safe(labelled(value, field))) }
        }
        if let occurred = body["occurredAt"] as? String { facts.append(safe(occurred)) }
        if let location = body["location"] as? [String: Any] {
            facts.append([location["borderCrossingPoint"], location["region"], location["country"]].compactMap { $0 as? String }.map(safe).joined(separator: ", "))
        }
        print("   " + facts.joined(separator: " · "))
        if let title = localized(body["title"]) { print("   " + safe(title)) }
        if let summary = localized(body["summary"]) {
            // A summary may span lines (LF and TAB are allowed in it); each line is indented, so
            // no line of it can pass for the start of another bulletin.
            print("   " + DisplayText.neutralised(summary, keepingLineBreaks: true).replacingOccurrences(of: "\n", with: "\n   "))
        }
        if let handling = body["handling"] as? [String], !handling.isEmpty {
            print("   " + handling.map { safe(labelled($0, "handling")) }.joined(separator: " · "))
        }
        if let validUntil = body["validUntil"] as? String { print("   \(words.validUntil)\(safe(validUntil))") }
        if let corrected = body["corrects"] as? String { print("   \(words.corrects)\(safe(corrected))") }
        if let withdrawn = body["withdraws"] as? String { print("   \(words.withdraws)\(safe(withdrawn))") }
        // The incident's own fields, labelled in the reader's language; enumerated values by
        // their labels, free text (from another state) neutralised.
        if let catalog, let value = try? JSONParser(maximumDepth: 64).parse(Data(bulletin.body.utf8)) {
            for line in catalog.labelledDetails(of: value, in: language) {
                let indent = "   " + String(repeating: "  ", count: line.depth)
                // The label too: for a member this node's schemas do not know, it is the bulletin's own name.
                print(indent + safe(line.label) + (line.value.map { ": " + safe($0) } ?? ":"))
            }
        }
        print("")
        fflush(nil)  // nil: every stream; naming stdout is not concurrency-safe in Swift 6
    }

    /// Shows a flag the node just raised: `{"flagged": {…}}` with JSON, else one line.
    func show(_ flag: FlagNotice) {
        if json {
            let line: [String: Any] = ["flagged": Self.json(flag)]
            if let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes]) {
                print(String(decoding: data, as: UTF8.self))
            }
        } else {
            print("── \(DisplayText.neutralised(flag.bulletin)) ── " + flagLine(flag) + "\n")
        }
        fflush(nil)  // nil: every stream; naming stdout is not concurrency-safe in Swift 6
    }

    /// A flag as a JSON object (``FlagNotice``'s members).
    static func json(_ flag: FlagNotice) -> [String: Any] {
        [
            "bulletin": flag.bulletin, "origin": flag.origin, "reason": flag.reason, "since": flag.since,
            "rosterVersion": flag.rosterVersion, "flaggedAt": flag.flaggedAt, "incidentType": flag.incidentType ?? NSNull(),
        ]
    }

    /// `FLAGGED FOR REVIEW: DZ's keys were revoked from … (roster 4); check this bulletin with DZ`.
    private func flagLine(_ flag: FlagNotice) -> String {
        let since = Timestamp(millisecondsSinceEpoch: UInt64(clamping: flag.since)).description
        let origin = DisplayText.neutralised(flag.origin)
        switch language {
        case .en:
            return "FLAGGED FOR REVIEW: \(origin)'s keys were revoked from \(since) (roster \(flag.rosterVersion)); check this bulletin with \(origin)"
        case .fr:
            return "À VÉRIFIER : les clés de \(origin) sont révoquées depuis \(since) (liste \(flag.rosterVersion)) ; vérifiez ce bulletin auprès de \(origin)"
        case .ar:
            return "للمراجعة: أُلغيت مفاتيح \(origin) منذ \(since) (القائمة \(flag.rosterVersion))؛ تحقّقوا من هذه النشرة مع \(origin)"
        }
    }

    /// The label of a common field's enumerated value (severity, report kind, handling code)
    /// in the chosen language, else the value itself.
    private func labelled(_ value: String, _ field: String) -> String {
        catalog?.label(ofValue: value, inBulletinField: field)?[language] ?? value
    }

    private var words: (from: String, validUntil: String, corrects: String, withdraws: String) {
        switch language {
        case .en: return ("from ", "valid until ", "corrects ", "withdraws ")
        case .fr: return ("de ", "valable jusqu'au ", "rectifie ", "retire ")
        case .ar: return ("من ", "صالحة حتى ", "تصحّح ", "تسحب ")
        }
    }

    /// The text in the chosen language, else the first one present.
    private func localized(_ value: Any?) -> String? {
        guard let texts = value as? [String: String] else { return nil }
        return texts[language.rawValue] ?? Language.allCases.lazy.compactMap { texts[$0.rawValue] }.first
    }
}
