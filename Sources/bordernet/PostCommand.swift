import ArgumentParser
import BulletinSchema
import Foundation
import NodeSetup
import Wire

/// `bordernet post`: a liaison officer posts a bulletin through the local node.
struct PostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Post a bulletin: the node validates it, assigns its id, seals and stores it, then publishes it.",
        discussion: """
            Give the bulletin as a JSON file (a draft without "id"; see Schemas/examples), or \
            build it from flags. Recipients default to every state the roster links this node to. \
            An invalid bulletin is refused before anything is stored, with each error's JSON \
            pointer.

            Examples:
              bordernet post --data /var/lib/bordernet --file seizure.json --to DZ,TN
              bordernet post --data /var/lib/bordernet --type drug-trafficking --lang fr \\
                --title "Saisie de résine de cannabis" --summary "Saisie de 300 kg à Ahfir, deux interpellations." \\
                --severity high --details '{"seizures":[{"substance":"cannabis-resin","quantity":{"value":300,"unit":"kg"}}]}'
              bordernet post --data /var/lib/bordernet --file correction.json --corrects MA-01JFK6SY9541SJ3EQHB6GD1GHC
            """)

    @OptionGroup var data: DataOption

    @Option(help: ArgumentHelp("The bulletin draft, JSON.", valueName: "file"))
    var file: String?

    @Option(help: ArgumentHelp("Incident type (see `bordernet schema list`).", valueName: "type"))
    var type: String?

    @Option(help: "Title (in --lang).")
    var title: String?

    @Option(help: "Summary (in --lang).")
    var summary: String?

    @Option(help: ArgumentHelp("Language of --title and --summary: ar, fr or en.", valueName: "ar|fr|en"))
    var lang = "en"

    @Option(help: "low, medium, high or critical.")
    var severity = "medium"

    @Option(help: "CLEAR, GREEN, AMBER, AMBER+STRICT or RED.")
    var tlp = "AMBER"

    @Option(help: ArgumentHelp("Where it happened, ISO 3166-1 alpha-2 (default: this node's state).", valueName: "code"))
    var country: String?

    @Option(help: "Region or province.")
    var region: String?

    @Option(help: "Named border crossing point.")
    var crossing: String?

    @Option(help: ArgumentHelp("When it happened, RFC 3339 (default: now).", valueName: "time"))
    var occurredAt: String?

    @Option(help: "Source reliability, A (reliable) … F (cannot be judged).")
    var reliability = "F"

    @Option(help: "Information credibility, 1 (confirmed) … 6 (cannot be judged).")
    var credibility = 6

    @Option(help: "security, intelligence, customs or justice.")
    var workingGroup = "security"

    @Option(help: ArgumentHelp("The incident type's own fields, as a JSON object.", valueName: "json"))
    var details: String?

    @Option(help: ArgumentHelp("Recipients, comma-separated (default: every linked state).", valueName: "DZ,TN"))
    var to: String?

    @Option(help: ArgumentHelp("This bulletin corrects that earlier one.", valueName: "id"))
    var corrects: String?

    @Option(help: ArgumentHelp("This bulletin withdraws that earlier one.", valueName: "id"))
    var withdraws: String?

    @OptionGroup var output: JSONOption

    func validate() throws {
        guard (file == nil) != (type == nil) else {
            throw ValidationError("give either --file, or --type with --title and --summary")
        }
        if type != nil, title == nil || summary == nil {
            throw ValidationError("--type needs --title and --summary")
        }
        guard ["ar", "fr", "en"].contains(lang) else { throw ValidationError("--lang must be ar, fr or en") }
    }

    func run() throws {
        var draft = try file.map(readDraft) ?? draftFromFlags()
        if let corrects { draft["corrects"] = corrects }
        if let withdraws {
            draft["withdraws"] = withdraws
            draft["details"] = nil
        }
        let text: String
        do {
            text = String(decoding: try JSONSerialization.data(withJSONObject: draft, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        } catch {
            throw ValidationError("cannot encode the bulletin: \(error)")
        }
        let recipients = to.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() } }
        let response = try askNode(ControlRequest(command: .post, draft: Array(text.utf8), recipients: recipients), data: data)
        guard response.ok, let posted = response.posted else {
            if output.json {
                try printJSON(response)
            } else {
                printError("bordernet: \(response.error ?? "the node refused the bulletin")")
                for failure in response.failures ?? [] { printError("  \(failure)") }
            }
            throw ExitCode(1)
        }
        if output.json {
            try printJSON(posted)
        } else {
            print("posted \(posted.id)")
            for envelope in posted.envelopes { print("  → \(envelope.recipient)  (link sequence \(envelope.sequence))") }
        }
    }

    /// The draft of a file; a file with the invalid-example marker or an id is read as is (the
    /// node will say what is wrong). A file that is not UTF-8, not JSON, too deep or not an object
    /// is refused here with the spot.
    private func readDraft(_ path: String) throws -> [String: Any] {
        let contents: Data
        do {
            contents = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("cannot read \(path): \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
        }
        return try jsonObject(Array(contents), source: path)
    }

    /// `bytes` as a JSON object for JSONSerialization, after the strict reader has said what is
    /// wrong with it, if anything.
    private func jsonObject(_ bytes: [UInt8], source: String) throws -> [String: Any] {
        do {
            _ = try JSONObjectInput.parse(bytes, source: source)
        } catch {
            throw ValidationError(error.description)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw ValidationError("\(source) is valid JSON but could not be converted; report this with the input")
        }
        return object
    }

    /// The bytes of `--details` as the shell passed them: Swift reads each argument with invalid
    /// UTF-8 replaced by U+FFFD, which would hide the mistake, so the raw argument is taken from
    /// /proc/self/cmdline when one matches.
    private func rawDetails(_ details: String) -> [UInt8] {
        guard details.unicodeScalars.contains("\u{FFFD}"),
            let cmdline = FileManager.default.contents(atPath: "/proc/self/cmdline")
        else { return Array(details.utf8) }
        for argument in cmdline.split(separator: 0, omittingEmptySubsequences: false) {
            for prefix in [[UInt8](), Array("--details=".utf8)] where argument.starts(with: prefix) {
                let raw = Array(argument.dropFirst(prefix.count))
                if String(decoding: raw, as: UTF8.self) == details { return raw }
            }
        }
        return Array(details.utf8)
    }

    private func draftFromFlags() throws -> [String: Any] {
        let directory = NodeDirectory(path: data.path)
        let state = (try? directory.loadCard().state.description) ?? "MA"
        let schemaVersion = (try? SchemaCatalog.load(from: SchemaLocator.locate()).version.description) ?? "1.0.0"
        let now = Date().formatted(.iso8601)
        var location: [String: Any] = ["country": country ?? state]
        if let region { location["region"] = region }
        if let crossing { location["borderCrossingPoint"] = crossing }
        var draft: [String: Any] = [
            "schemaVersion": schemaVersion, "incidentType": type ?? "", "title": [lang: title ?? ""],
            "summary": [lang: summary ?? ""], "occurredAt": occurredAt ?? now, "reportedAt": now, "location": location,
            "severity": severity, "tlp": tlp, "sourceReliability": reliability, "informationCredibility": credibility,
            "workingGroup": workingGroup,
        ]
        if let details {
            draft["details"] = try jsonObject(rawDetails(details), source: "--details")
        } else {
            draft["details"] = [String: Any]()
        }
        return draft
    }
}
