import Foundation
import Testing

/// docs/OPERATIONS.md is followed, not only written: Deploy/operations-walkthrough.sh runs its
/// procedures with the real commands, and its steps carry the guide's section names.
@Suite("docs/OPERATIONS.md, walked")
struct OperationsWalkthroughTests {
    static let guide = Deploy.repository.appendingPathComponent("docs/OPERATIONS.md")
    static let script = Deploy.repository.appendingPathComponent("Deploy/operations-walkthrough.sh")

    /// The guide's sections that the walkthrough does not run, and where each is checked instead.
    static let checkedElsewhere: [String: String] = [
        "Installing": "PackageTests (the package's contents)",
        "Firewall ports": "reference (the ports are the node's defaults, tested by NodeConfigurationTests)",
        "What the logs mean": "the test below: every line quoted is a message of Sources/Node",
        "The systemd units": "PackageTests (verify, security, the seccomp sandbox)",
        "A console user who lost their security key": "ConsoleCommandTests (console user reset-second-factor) and Tests/Browser/webauthn_test.py (the operator's reset on /users)",
        "The web console": "Tests/Browser/deploy_test.py (the unit's mounts and seccomp filters, the shipped nginx site, an unprivileged user)",
        "STIX exports for agencies": "Tests/Interop/stix_test.py (export stix against a real node's store)",
        "Connecting agency platforms over TAXII (OpenCTI, MISP)":
            "Tests/Interop/taxii_test.py (taxii2-client against a real node's console with agencies added by console agency add)",
        "A test region on one machine": "RegionTests",
    ]

    static func headings() throws -> [String] {
        try String(contentsOf: guide, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
    }

    static func walkedSections() throws -> [String] {
        try String(contentsOf: script, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("section \"") }
            .map { String($0.dropFirst("section \"".count).dropLast()) }
    }

    @Test("every step of the walkthrough is a section of the guide, in the guide's order, and every section is walked or checked elsewhere")
    func sectionsMatch() throws {
        let headings = try Self.headings()
        let walked = try Self.walkedSections()
        #expect(walked.count >= 10)
        for section in walked { #expect(headings.contains(section), "the walkthrough's \"\(section)\" is not a heading of OPERATIONS.md") }
        #expect(walked == headings.filter { walked.contains($0) }, "the walkthrough runs the sections in another order than the guide")
        for heading in headings where !walked.contains(heading) {
            #expect(Self.checkedElsewhere[heading] != nil, "\"\(heading)\" is neither walked nor checked elsewhere")
        }
        // The guide marks what is walked, and only that.
        let text = try String(contentsOf: Self.guide, encoding: .utf8)
        for heading in headings {
            guard let range = text.range(of: "## \(heading)\n") else { continue }
            let body = text[range.upperBound...].prefix(200)
            #expect(body.contains("*(walked") == walked.contains(heading), "\"\(heading)\": the *(walked)* mark disagrees with the script")
        }
    }

    @Test("every log line the guide explains is one the node really writes, and every warning, error and critical line of the node is explained")
    func logLinesAreReal() throws {
        let text = try String(contentsOf: Self.guide, encoding: .utf8)
        let table = try #require(text.components(separatedBy: "## What the logs mean").last?.components(separatedBy: "\n## ").first)
        let sources = try FileManager.default.subpathsOfDirectory(atPath: Deploy.repository.appendingPathComponent("Sources/Node").path)
            .filter { $0.hasSuffix(".swift") }
            .map { try String(contentsOf: Deploy.repository.appendingPathComponent("Sources/Node").appendingPathComponent($0), encoding: .utf8) }
            .joined()
        var quoted: [String] = []
        for row in table.split(separator: "\n") where row.hasPrefix("| `") {
            let firstCell = row.dropFirst(2).prefix { $0 != "|" }
            quoted += firstCell.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        }
        #expect(quoted.count >= 25)
        // The other way: each message logged at warning or above in Sources/Node has its row.
        let logged = try NSRegularExpression(pattern: #"logger\.(?:warning|error|critical)\(\s*"([^"\\]+)""#)
        let range = NSRange(sources.startIndex..., in: sources)
        let messages = Set(logged.matches(in: sources, range: range).compactMap { Range($0.range(at: 1), in: sources).map { String(sources[$0]) } })
        #expect(messages.count >= 25)
        for message in messages.sorted() {
            #expect(quoted.contains(message), "the node logs \"\(message)\" and OPERATIONS.md, What the logs mean, does not explain it")
        }
        for line in quoted {
            #expect(sources.contains("\"\(line)\""), "OPERATIONS.md quotes \"\(line)\", which no logger in Sources/Node writes")
        }
    }

    @Test("Deploy/operations-walkthrough.sh runs every procedure to the end", .timeLimit(.minutes(5)))
    func walkthrough() async throws {
        let folder = try Deploy.temporaryFolder("bn-operations")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try Deploy.freePorts(6)
        let outcome = try await Deploy.onOwnThread {
            try Deploy.run(
                "/bin/bash", [Self.script.path, folder.appendingPathComponent("work").path],
                environment: ["B": Deploy.bordernet.path, "PORT": "\(port)", "BORDERNET_SCHEMAS": Deploy.schemas.path], seconds: 240)
        }
        #expect(outcome.succeeded, "\(outcome)")
        #expect(outcome.output.contains("walkthrough: every step of OPERATIONS.md held"))
        for section in try Self.walkedSections() {
            #expect(outcome.output.contains("=== OPERATIONS.md: \(section)"), "the walkthrough did not reach \"\(section)\"")
        }
    }
}
