import ArgumentParser
import BulletinSchema
import Foundation

/// `bordernet schema validate <file>…`: checks bulletins against the schemas.
struct SchemaValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate bulletin files against the schemas.",
        discussion: """
            Each file is one bulletin (JSON, at most 64 KiB). Prints `<file>: valid`, or one line \
            per failure: `<file>: <JSON pointer> (<field>) [<keyword>]: <message>`. Exits 0 when \
            every file is valid, 1 otherwise.

            An issued bulletin must carry the `id` its origin node assigned; a draft (--stage \
            draft, what an officer submits) must not.

            Examples:
              bordernet schema validate Schemas/examples/*.json
              bordernet schema validate --stage draft --lang fr seizure.json
              bordernet schema validate --json bulletin.json
            """
    )

    @Argument(help: "Bulletin files (JSON).")
    var files: [String]

    @Option(help: ArgumentHelp("issued (has an id) or draft (no id yet).", valueName: "issued|draft"))
    var stage: BulletinStage = .issued

    @OptionGroup var options: SchemaOptions

    private struct Report: Encodable {
        let file: String
        let valid: Bool
        let failures: [Failure]
    }

    private struct Failure: Encodable {
        let pointer: String
        let keyword: String
        let message: String
        let field: String?
    }

    func run() async throws {
        let catalog = try options.loadCatalog()
        let language = options.language
        var reports: [Report] = []
        for file in files {
            let failures: [ValidationFailure]
            if let data = FileManager.default.contents(atPath: file) {
                failures = catalog.failures(in: data, stage: stage)
            } else {
                failures = [ValidationFailure(pointer: .root, keyword: "x-json", reason: .malformedJSON(detail: "cannot read \(file)"))]
            }
            reports.append(
                Report(
                    file: file, valid: failures.isEmpty,
                    failures: failures.map {
                        Failure(pointer: $0.pointer.description, keyword: $0.keyword, message: $0.message(in: language), field: $0.field?[language])
                    }))
            if !options.json {
                if failures.isEmpty {
                    print("\(file): \(Self.valid(language))")
                }
                for failure in failures {
                    print("\(file): \(failure.line(in: language))")
                }
            }
        }
        if options.json {
            try printJSON(reports)
        }
        if reports.contains(where: { !$0.valid }) {
            throw ExitCode(1)
        }
    }

    private static func valid(_ language: Language) -> String {
        switch language {
        case .en: return "valid"
        case .fr: return "valide"
        case .ar: return "صالحة"
        }
    }
}
