import Foundation
import Testing

/// The values commands take are parsed once, as typed options (Sources/bordernet/Arguments.swift):
/// a wrong value stops the command before it reads a file or asks the node (exit status 64, the
/// option named, the accepted values or the option's help beneath), and the accepted spellings
/// reach the command. Real `bordernet` processes; none of them reaches a node.
@Suite("bordernet arguments")
struct CommandArgumentsTests {
    /// Runs `bordernet` with the repository's schemas; status and standard output and error.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = RegionHarness.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging([
            "BORDERNET_SCHEMAS": RegionHarness.schemas.path
        ]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: text, as: UTF8.self))
    }

    static let post = [
        "post", "--data", "/nonexistent/bordernet", "--type", "migrant-smuggling", "--title", "t", "--summary", "s",
    ]

    static let refused: [([String], String)] = [
        (
            post + ["--lang", "de"],
            "The value 'de' is invalid for '--lang <ar|fr|en>'. Please provide one of 'ar', 'fr' or 'en'."
        ),
        (post + ["--to", "D1"], "The value 'D1' is invalid for '--to <DZ,TN>'"),
        (post + ["--to", "DZ,,TN"], "The value 'DZ,,TN' is invalid for '--to <DZ,TN>'"),
        (post + ["--to", "DZA"], "Help:  --to <DZ,TN>  Recipients: state codes (two letters)"),
        (post + ["--tlp", "PURPLE"], "Please provide one of 'CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT' or 'RED'."),
        (post + ["--country", "Morocco"], "The value 'Morocco' is invalid for '--country <code>'"),
        (post + ["--corrects", "MA-1"], "The value 'MA-1' is invalid for '--corrects <MA-ulid>'"),
        (post + ["--withdraws", "MA-01jfk6sy9541sj3eqhb6gd1ghc"], "is invalid for '--withdraws <MA-ulid>'"),
        (["feed", "--lang", "de"], "The value 'de' is invalid for '--lang <ar|fr|en>'"),
        (["feed", "--origin", "M"], "The value 'M' is invalid for '--origin <code>'"),
        (["feed", "--since", "yesterday"], "The value 'yesterday' is invalid for '--since <time>'"),
        (["feed", "--since", "1e300d"], "The value '1e300d' is invalid for '--since <time>'"),
        (["schema", "list", "--lang", "de"], "Please provide one of 'ar', 'fr' or 'en'."),
        (["schema", "validate", "--stage", "final", "x.json"], "Please provide one of 'draft' and 'issued'."),
        (
            ["init", "--state", "M1", "--name", "n", "--secretariat-key", String(repeating: "ab", count: 32)],
            "invalid for '--state <code>'"
        ),
        (
            ["init", "--state", "MA", "--name", "n", "--secretariat-key", "abc"],
            "Help:  --secretariat-key <hex>  The secretariat's public key: the 64 hexadecimal digits"
        ),
        (
            [
                "init", "--state", "MA", "--name", "n", "--secretariat-key", String(repeating: "ab", count: 32),
                "--advertise-publish", "rabat:7450",
            ],
            "The value 'rabat:7450' is invalid for '--advertise-publish <endpoint>'"
        ),
        (["secretariat", "init", "--state", "X"], "The value 'X' is invalid for '--state <code>'"),
        (
            ["roster", "add", "card.json", "--role", "observer"],
            "Please provide one of 'member', 'partner' or 'secretariat'."
        ),
        (["roster", "link", "MA", "D"], "The value 'D' is invalid for '<state>'"),
        (["roster", "remove", "M4"], "The value 'M4' is invalid for '<state>'"),
        (["node", "run", "--log-level", "loud"], "The value 'loud' is invalid for '--log-level <level>'"),
    ]

    @Test("a wrong value is refused before anything is read, naming the option and what it accepts", arguments: refused)
    func refusedValue(_ arguments: [String], _ expected: String) throws {
        let (status, output) = try Self.run(arguments)
        #expect(status == 64, "\(arguments): \(output)")
        #expect(output.contains(expected), "\(arguments): \(output)")
    }

    @Test("post without a readable card says that the state comes from the card and what to do, and never assumes one")
    func postWithoutCard() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bn-args-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Lower case codes and languages, a TLP with its prefix and a correction parse.
        let arguments = [
            "post", "--data", folder.path, "--type", "migrant-smuggling", "--title", "t", "--summary", "s", "--lang",
            "FR", "--to", "dz, tn",
            "--tlp", "tlp:amber+strict", "--corrects", "MA-01JFK6SY9541SJ3EQHB6GD1GHC",
        ]
        let (status, output) = try Self.run(arguments)
        #expect(status == 1)
        #expect(
            output.contains(
                "this node's state (the bulletin's default --country) comes from its card, which cannot be read"),
            "\(output)")
        #expect(output.contains("card.json"), "\(output)")
        #expect(
            output.contains(
                "Give --data the node's data folder (it is \(folder.path)), or say where it happened with --country."),
            "\(output)")

        // With the country given the card is not needed: the draft is made and the node asked.
        let (countryStatus, countryOutput) = try Self.run(arguments + ["--country", "ma"])
        #expect(countryStatus == 1)
        #expect(countryOutput.contains("no node is running"), "\(countryOutput)")
    }

    @Test("post from flags reads the state from a node's card, then asks the node")
    func postWithCard() throws {
        let region = try RegionHarness()
        let data = try region.addNode("MA")
        let (status, output) = try Self.run([
            "post", "--data", data.path, "--type", "migrant-smuggling", "--title", "t", "--summary", "s",
        ])
        #expect(status == 1)
        #expect(
            output.contains(
                "no node is running (no control socket at \(data.appendingPathComponent("control.sock").path))"),
            "\(output)")
    }

    @Test("--lang is read in either case by every command that takes it")
    func languageSpellings() throws {
        let (status, output) = try Self.run(["schema", "list", "--lang", "FR"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("Trafic illicite de migrants"), "\(output)")
    }
}
