import Foundation
import NodeSetup
import Testing
import ZeroMQ

/// Issue 13, defect 8: `network.publish = "tcp://10.0.0.5:7450"` before any table was silently
/// ignored and the node bound the default 0.0.0.0:7450. Dotted keys are TOML 1.0's now, and no
/// line of node.toml is ever ignored. Every case goes through the real reader.
@Suite("node.toml: dotted keys, and no line ignored")
struct NodeConfigurationStrictnessTests {
    static func configuration(_ text: String) throws -> NodeConfiguration {
        try NodeConfiguration(document: TOMLDocument(parsing: text))
    }

    static func refusal(_ text: String) -> String {
        do {
            let configuration = try configuration(text)
            return "accepted: \(configuration)"
        } catch {
            return "\(error)"
        }
    }

    @Test("the reported case: a dotted key before any table sets network.publish")
    func dottedKeyBeforeAnyTable() throws {
        let configuration = try Self.configuration("network.publish = \"tcp://10.0.0.5:7450\"\n")
        #expect(configuration.publishBind == "tcp://10.0.0.5:7450")
        #expect(configuration.serviceBind == NodeConfiguration().serviceBind)
    }

    @Test("a real node whose node.toml has only top-level dotted keys binds the addresses they give")
    func realNodeBindsDottedKeys() throws {
        let region = try RegionHarness()
        let data = try region.addNode("MA")
        try region.signRoster(links: [])
        let card = try NodeDirectory(path: data.path).loadCard()
        let file = data.appendingPathComponent("node.toml")
        try Data(
            """
            # the reported case: dotted keys before any table
            network.publish = "\(card.endpoints.publish)"
            network.service = "\(card.endpoints.service)"
            paths.store = "dotted.sqlite"

            """.utf8
        ).write(to: file)
        try region.start("MA")
        defer { region.stop("MA") }
        for endpoint in [card.endpoints.publish, card.endpoints.service] {
            let probe = try Socket(Context(), type: .router)
            #expect(throws: ZeroMQError.addressInUse(endpoint: endpoint), "the node does not listen on \(endpoint)") {
                try probe.bind(endpoint)
            }
        }
        #expect(region.log("MA").contains("publish=\(card.endpoints.publish)"), "\(region.log("MA"))")
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("dotted.sqlite").path), "paths.store was not applied")
    }

    @Test("dotted keys at the top, inside tables, quoted and spaced all mean [table] key = value")
    func dottedKeyForms() throws {
        let configuration = try Self.configuration(
            """
            network.publish = "tcp://10.0.0.5:7450"
            "network".'service' = "tcp://10.0.0.5:7451"
            limits . replay_batch = 512
            log."level" = "debug"
            [paths]
            store = "/srv/store.sqlite"
            """)
        #expect(configuration.publishBind == "tcp://10.0.0.5:7450")
        #expect(configuration.serviceBind == "tcp://10.0.0.5:7451")
        #expect(configuration.replayBatchSize == 512)
        #expect(configuration.logLevel == "debug")
        #expect(configuration.storePath == "/srv/store.sqlite")

        let nested = try TOMLDocument(parsing: "[a]\nb.c = 1\nb.d = 'x'\n[a.b.e]\nf = true\n")
        #expect(nested.value("a.b", "c") == .integer(1))
        #expect(nested.value("a.b", "d") == .string("x"))
        #expect(nested.value("a.b.e", "f") == .boolean(true))
        #expect(nested.line("a.b", "d") == 3)
        let quoted = try TOMLDocument(parsing: "\"a.b\".c = 1\n")
        #expect(quoted.value("\"a.b\"", "c") == .integer(1))
        #expect(quoted.value("a.b", "c") == nil)
    }

    @Test(
        "redefinitions are refused with the line of both definitions (TOML 1.0)",
        arguments: [
            ("network.publish = \"tcp://a:1\"\n[network]\npublish = \"tcp://b:1\"\n", "line 2: table [network] is already defined by dotted keys at line 1"),
            ("[network]\npublish = \"tcp://a:1\"\n[network]\n", "line 3: table [network] is defined twice (first at line 1)"),
            ("[network]\npublish = \"tcp://a:1\"\npublish = \"tcp://b:1\"\n", "line 3: the key 'network.publish' is set twice (first at line 2)"),
            ("network.publish = \"tcp://a:1\"\n[network]\n", "line 2: table [network] is already defined"),
            ("[log]\nlevel = \"info\"\n\"level\" = \"debug\"\n", "line 3: the key 'log.level' is set twice (first at line 2)"),
            ("a = 1\na.b = 2\n", "line 2: 'a.b': 'a' is already a value (line 1)"),
            ("a.b = 1\na = 2\n", "line 2: 'a' is already a table (line 1)"),
            ("[a.b]\nc = 1\n[a]\nb.d = 2\n", "line 4: 'a.b.d': the table [a.b] is defined by a header (line 1)"),
            ("a = 1\n[a.b]\n", "line 2: [a.b]: 'a' is a value (line 1), not a table"),
        ])
    func redefinitions(text: String, expected: String) {
        let message = Self.refusal(text)
        #expect(message.contains(expected), "\(message)")
    }

    @Test(
        "unknown tables and keys are refused with the line, the name and the valid names",
        arguments: [
            ("[netwrk]\n", "line 1: unknown table [netwrk]; the valid tables are [network], [paths], [limits], [log], [search]"),
            ("[network]\npublsh = \"tcp://x:1\"\n", "line 2: unknown setting 'network.publsh'; the valid settings here are network.publish, network.service"),
            ("publish = \"tcp://x:1\"\n", "line 1: unknown setting 'publish'; the valid settings here are network.publish, network.service, paths.store"),
            ("network.publsh = \"tcp://x:1\"\n", "line 1: unknown setting 'network.publsh'"),
            ("# fine\n\n[limits]\nreplay_batch = 2\n[network.extra]\nx = 1\n", "line 5: unknown table [network.extra]"),
            ("network.publish.port = 1\n", "line 1: 'network.publish' must be a value (key = value), found a table"),
            ("network = \"tcp://x:1\"\n", "line 1: 'network' must be a table"),
            ("[network]\n[log]\nlevel = \"info\"\nfoo = 1\n[bar]\n", "line 4: unknown setting 'log.foo'"),
            ("[limits]\nreplay_batch = \"many\"\n", "line 2: 'limits.replay_batch' must be an integer in 1…10000, found \"many\""),
            ("[log]\nlevel = \"loud\"\n", "line 2: 'log.level' must be trace, debug, info, notice, warning, error, critical, found \"loud\""),
        ])
    func unknownNames(text: String, expected: String) {
        let message = Self.refusal(text)
        #expect(message.contains(expected), "\(message)")
    }

    @Test(
        "malformed lines are refused with their line and what is wrong, never skipped",
        arguments: [
            ("[network]\npublish = tcp://x:1\n", "line 2: expected a value (a string in quotes, an integer, true/false or an array), found tcp://x:1"),
            ("[network]\npublish\n", "line 2: expected '=' after the key publish"),
            ("[network\n", "line 1: expected ']' after the table name network"),
            ("[]\n", "line 1: a table name is missing"),
            ("= 3\n", "line 1: a key is missing"),
            ("a. = 3\n", "line 1: a key ends with '.'"),
            ("[[network]]\n", "line 1: arrays of tables ([[…]]) are not supported"),
            ("[network]\npublish = \"\"\"x\"\"\"\n", "line 2: multi-line strings"),
            ("[network]\npublish = \"tcp://x:1\" service = \"y\"\n", "line 2: unexpected text after the value of publish"),
            ("[network] publish = \"x\"\n", "line 1: unexpected text after the table header [network]"),
            ("[limits]\nreplay_batch = 1.5\n", "line 2: floating-point numbers are not supported"),
            ("[limits]\nreplay_batch = 2024-01-01\n", "line 2: dates and times are not supported"),
            ("[limits]\nreplay_batch = 07:30:00\n", "line 2: dates and times are not supported"),
            ("[limits]\nreplay_batch = 0100\n", "line 2: '0100': a decimal integer cannot start with 0"),
            ("[limits]\nreplay_batch = 1__0\n", "line 2: '1__0': '_' must stand between two digits"),
            ("[limits]\nreplay_batch = 99999999999999999999\n", "does not fit in a 64-bit integer"),
            ("[network]\nservice = { a = 1 }\n", "line 2: inline tables"),
            ("[network]\nservice = \"a\\qb\"\n", "line 2: unknown escape \\q"),
            ("[network]\nservice = \"\\uD800\"\n", "is not a Unicode character"),
            ("[network]\nservice = \"unterminated\n", "line 2: a string is not closed"),
            ("a = [1,\n2\n", "the array opened at line 1 is not closed with ']'"),
            ("a = [1 2]\n", "line 1: expected ',' or ']' in the array opened at line 1"),
            ("[network]\npubl\u{1}sh = 1\n", "line 2: control character U+0001 at column 5"),
            ("é = 1\n", "line 1: 'é' is not allowed in a bare key"),
        ])
    func malformedLines(text: String, expected: String) {
        let message = Self.refusal(text)
        #expect(message.contains(expected), "\(message)")
    }

    @Test("bytes that are not UTF-8 are refused with the line and column, not read as U+FFFD")
    func invalidUTF8() {
        let bytes = Array("[network]\npub".utf8) + [0xFF] + Array("lish = \"x\"\n".utf8)
        #expect {
            try TOMLDocument(bytes: bytes)
        } throws: { error in
            "\(error)" == "node.toml line 2: the file is not valid UTF-8: byte 0xFF at column 4; save it as UTF-8"
        }
    }

    @Test("CRLF line ends, a byte order mark, tabs and every integer form read as TOML says")
    func lineEndsAndIntegers() throws {
        let document = try TOMLDocument(
            parsing: "\u{FEFF}[limits]\r\nreplay_batch\t=\t1_000\r\nhex = 0xff\r\noct = 0o17\r\nbin = 0b101\r\nnegative = -42\r\nsmallest = -9223372036854775808\r\n")
        #expect(document.value("limits", "replay_batch") == .integer(1_000))
        #expect(document.value("limits", "hex") == .integer(255))
        #expect(document.value("limits", "oct") == .integer(15))
        #expect(document.value("limits", "bin") == .integer(5))
        #expect(document.value("limits", "negative") == .integer(-42))
        #expect(document.value("limits", "smallest") == .integer(Int64.min))
        let escapes = try TOMLDocument(parsing: "s = \"\\b\\f\\U0001F600\\u00e9\"\n")
        #expect(escapes.value("", "s") == .string("\u{8}\u{C}\u{1F600}é"))
    }

    @Test("nesting is bounded: 32 arrays deep is read, 33 is refused, 10,000 does not overflow the stack")
    func boundedNesting() throws {
        let deepest = "a = " + String(repeating: "[", count: 32) + String(repeating: "]", count: 32) + "\n"
        #expect(throws: Never.self) { try TOMLDocument(parsing: deepest) }
        for depth in [33, 10_000] {
            let text = "a = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
            #expect { try TOMLDocument(parsing: text) } throws: { "\($0)".contains("arrays nest deeper than 32 levels") }
        }
        let longKey = (0..<40).map { "k\($0)" }.joined(separator: ".") + " = 1\n"
        #expect { try TOMLDocument(parsing: longKey) } throws: { "\($0)".contains("more than 32 dotted parts") }
    }

    @Test("no input traps: every prefix of valid and invalid files, and random bytes, give a document or an error")
    func noTrap() {
        let samples = [
            NodeConfiguration().renderedFile,
            "network.publish = \"tcp://10.0.0.5:7450\"\n[limits]\nreplay_batch = [1, [2, 'x'], \"\\u00e9\"] # c\n",
            "[a.\"b\".'c']\nd.e = 0x7fffffffffffffff\nf = -0b1\n",
        ]
        for sample in samples {
            let scalars = Array(sample.unicodeScalars)
            for length in 0...scalars.count {
                var prefix = ""
                prefix.unicodeScalars.append(contentsOf: scalars[..<length])
                _ = try? TOMLDocument(parsing: prefix)
            }
        }
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("[]{}=\"'\\.,#_-+ \t\nabxo019eE:".utf8) + [0xFF, 0xC3, 0xA9, 0x00]
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...60, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            if let document = try? TOMLDocument(bytes: bytes) { _ = try? NodeConfiguration(document: document) }
        }
    }
}
