import ArgumentParser
import BulletinSchema
import Exchange
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
            build it from flags. Built from flags, it happened in this node's state (from \
            DATA/card.json) unless --country says where; without a readable card, post stops \
            and says so. Recipients default to every state the roster links this node to. \
            An invalid bulletin is refused before anything is stored, with each error's JSON \
            pointer.

            Examples:
              bordernet post --data /var/lib/bordernet --file seizure.json --to DZ,TN
              bordernet post --data /var/lib/bordernet --type drug-trafficking --lang fr \\
                --title "Saisie de résine de cannabis" --summary "Saisie de 300 kg à Ahfir, deux interpellations." \\
                --severity high --details '{"seizures":[{"substance":"cannabis-resin","quantity":{"value":300,"unit":"kg"}}]}'
              bordernet post --data /var/lib/bordernet --file correction.json --corrects MA-01JFK6SY9541SJ3EQHB6GD1GHC
              bordernet post --data /var/lib/bordernet --file seizure.json --attach truck.jpg:"Le camion à Ahfir" --attach pv.pdf

            Attached files (--attach, up to 16; schema 1.2) are checked by their content: \
            JPEG, PNG, WebP or PDF, named with a matching extension, within the node's \
            [attachments] limits. The node removes a photo's metadata (EXIF with the GPS \
            position where it was taken, XMP, comments) unless --keep-metadata. The bulletin \
            and its files are stored together before anything is sent; the recipients pull \
            the files after the bulletin (bordernet attachment list|get).
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

    @Option(help: ArgumentHelp("Language of --title and --summary.", valueName: "ar|fr|en"))
    var lang: Language = .en

    @Option(help: "low, medium, high or critical.")
    var severity = "medium"

    @Option(help: ArgumentHelp("How far the recipients may share it, TLP 2.0, with or without TLP: (default: AMBER).", valueName: "label"))
    var tlp: TLP?

    @Option(help: ArgumentHelp("Where it happened, ISO 3166-1 alpha-2 (default: this node's state, from its card).", valueName: "code"))
    var country: StateCode?

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

    @Option(
        help: ArgumentHelp(
            "Recipients: state codes (two letters), comma-separated (default: every state the roster links this node to).",
            valueName: "DZ,TN"))
    var to: StateList?

    @Option(help: ArgumentHelp("This bulletin corrects that earlier one.", valueName: "MA-ulid"))
    var corrects: BulletinReference?

    @Option(help: ArgumentHelp("This bulletin withdraws that earlier one (a withdrawal carries no details).", valueName: "MA-ulid"))
    var withdraws: BulletinReference?

    @Option(
        name: .customLong("attach"),
        help: ArgumentHelp(
            "Attach a file (JPEG, PNG, WebP or PDF), with a caption after a colon; repeat for more.", valueName: "file[:caption]"))
    var attachments: [String] = []

    @Option(help: ArgumentHelp("Language of the captions of --attach (default: --lang).", valueName: "ar|fr|en"))
    var captionLang: Language?

    @Flag(help: "Keep the photos' metadata (EXIF, including the GPS position where a photo was taken; XMP; comments).")
    var keepMetadata = false

    @OptionGroup var output: JSONOption

    func validate() throws {
        if attachments.count > ControlRequest.maximumAttachments {
            throw ValidationError("at most \(ControlRequest.maximumAttachments) files may be attached (--attach)")
        }
        guard (file == nil) != (type == nil) else {
            throw ValidationError("give either --file, or --type with --title and --summary")
        }
        if type != nil, title == nil || summary == nil {
            throw ValidationError("--type needs --title and --summary")
        }
    }

    func run() throws {
        var draft = try file.map(Self.readDraft) ?? draftFromFlags()
        if let corrects { draft.correct(corrects.description) }
        if let withdraws { draft.withdraw(withdraws.description) }
        let (uploads, files) = try readAttachments()
        let request = ControlRequest(
            command: .post, draft: draft.jsonBytes, recipients: to.map { $0.states.map(\.description) },
            attachments: uploads.isEmpty ? nil : uploads, files: files)
        let response = try askNode(request, data: data)
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

    /// The files of `--attach`, each with its name and caption. A path that exists as given is
    /// a file without a caption; otherwise the caption follows the first colon.
    private func readAttachments() throws -> ([AttachmentUpload], [[UInt8]]) {
        let language = (captionLang ?? lang).rawValue
        var uploads: [AttachmentUpload] = []
        var files: [[UInt8]] = []
        for argument in attachments {
            var path = argument
            var caption: String?
            if !FileManager.default.fileExists(atPath: argument), let colon = argument.firstIndex(of: ":") {
                path = String(argument[..<colon])
                caption = String(argument[argument.index(after: colon)...])
            }
            let bytes: [UInt8]
            do {
                let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
                defer { try? handle.close() }
                // The node's limit is at most 1 GiB (max_file_bytes): reading past it is useless.
                bytes = [UInt8](try handle.read(upToCount: Self.largestAttachment + 1) ?? Data())
            } catch {
                printError("bordernet: cannot read the attached file \(path): \(error.localizedDescription)")
                throw ExitCode(1)
            }
            guard bytes.count <= Self.largestAttachment else {
                printError("bordernet: \(path) is larger than any node takes (1 GiB)")
                throw ExitCode(1)
            }
            uploads.append(
                AttachmentUpload(
                    fileName: URL(fileURLWithPath: path).lastPathComponent, caption: caption.map { [language: $0] },
                    keepMetadata: keepMetadata ? true : nil))
            files.append(bytes)
        }
        return (uploads, files)
    }

    /// The largest file a node's `[attachments] max_file_bytes` may allow.
    static let largestAttachment = 1 << 30

    /// The draft of the flags. `--details` is read first (what is wrong with it is said before
    /// anything else); the country defaults to this node's state, from its card, never to a
    /// guess; the schema version is that of the schemas this command finds.
    private func draftFromFlags() throws -> BulletinDraft {
        guard let type, let title, let summary else { throw ValidationError("--type needs --title and --summary") }
        let details = try details.map { try Self.jsonObject(Self.rawDetails($0), source: "--details") } ?? [:]
        let country = try country ?? nodeState()
        let schemaVersion: SchemaVersion
        do {
            schemaVersion = try SchemaCatalog.load(from: SchemaLocator.locate()).version
        } catch {
            throw PostError.schemasUnavailable(cause: error)
        }
        return BulletinDraft(
            schemaVersion: schemaVersion, incidentType: type, language: lang, title: title, summary: summary, occurredAt: occurredAt,
            location: BulletinDraft.Location(country: country.description, region: region, borderCrossingPoint: crossing),
            severity: severity, tlp: (tlp ?? .amber).label, sourceReliability: reliability, informationCredibility: credibility,
            workingGroup: workingGroup, details: details)
    }

    /// The state of the node whose data folder this is, from its card.
    private func nodeState() throws(PostError) -> StateCode {
        do {
            return try NodeDirectory(path: data.path).loadCard().state
        } catch {
            throw PostError.unreadableCard(data: data.path, cause: error)
        }
    }

    /// The draft of a file, read as is (the node says what is wrong with a draft that has an id
    /// or misses a field). A file that is not UTF-8, not JSON, too deep or not an object is
    /// refused here with the spot.
    private static func readDraft(_ path: String) throws(PostError) -> BulletinDraft {
        let contents: Data
        do {
            contents = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PostError.unreadableFile(path: path, reason: (error as NSError).localizedFailureReason ?? error.localizedDescription)
        }
        return BulletinDraft(members: try jsonObject(Array(contents), source: path))
    }

    /// The members of the JSON object in `bytes`, or what is wrong with it and where.
    private static func jsonObject(_ bytes: [UInt8], source: String) throws(PostError) -> [String: JSONValue] {
        do {
            return try JSONObjectInput.parse(bytes, source: source)
        } catch {
            throw PostError.invalidJSON(error)
        }
    }

    /// The bytes of `--details` as the shell passed them: Swift reads each argument with invalid
    /// UTF-8 replaced by U+FFFD, which would hide the mistake, so the raw argument is taken from
    /// /proc/self/cmdline when one matches.
    private static func rawDetails(_ details: String) -> [UInt8] {
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
}
