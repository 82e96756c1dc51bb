import NodeSetup
import Testing

@Suite("node.toml")
struct NodeConfigurationTests {
    @Test("the rendered default file reads back as the defaults")
    func defaultsRoundTrip() throws {
        let defaults = NodeConfiguration()
        #expect(try NodeConfiguration(document: TOMLDocument(parsing: defaults.renderedFile)) == defaults)
    }

    @Test("the rendered file reads back paths with quotes, backslashes and control characters (found by FuzzTOML)")
    func renderedStringsAreEscaped() throws {
        var settings = NodeConfiguration()
        settings.storePath = "\\"  // a lone backslash once rendered as store = "\", which does not parse
        settings.schemasPath = "/srv/\"quoted\"/tab\there/\u{7F}/\u{01}"
        #expect(try NodeConfiguration(document: TOMLDocument(parsing: settings.renderedFile)) == settings)
    }

    @Test("settings override defaults; comments, literal strings, escapes and arrays parse")
    func overrides() throws {
        let document = try TOMLDocument(
            parsing: """
                # a comment
                [network]
                publish = 'tcp://127.0.0.1:17450'   # trailing comment
                service = "tcp://127.0.0.1:\\u0031\\u0037451"
                [limits]
                replay_batch = 1_000
                [log]
                level = "debug"
                """)
        let configuration = try NodeConfiguration(document: document)
        #expect(configuration.publishBind == "tcp://127.0.0.1:17450")
        #expect(configuration.serviceBind == "tcp://127.0.0.1:17451")
        #expect(configuration.replayBatchSize == 1_000)
        #expect(configuration.logLevel == "debug")
        #expect(configuration.storePath == "store.sqlite")
        let arrays = try TOMLDocument(parsing: "values = [\n  \"a\", # first\n  2,\n  true,\n]\n")
        #expect(arrays.value("", "values") == .array([.string("a"), .integer(2), .boolean(true)]))
    }

    @Test(
        "mistakes are refused with the line or key",
        arguments: [
            ("[network]\npublish = tcp://x", "line 2"),
            ("[limits]\nreplay_batch = \"many\"", "limits.replay_batch"),
            ("[limits]\nreplay_batch = 0", "limits.replay_batch"),
            ("[network]\npublsh = \"tcp://x\"", "unknown setting 'network.publsh'"),
            ("[log]\nlevel = \"loud\"", "log.level"),
            ("[network]\nservice = \"unterminated", "line 2"),
            ("[network]\nservice = { a = 1 }", "inline tables"),
            ("[network]\n[network]", "defined twice"),
            ("[log]\nlevel = \"info\"\nlevel = \"debug\"", "set twice"),
        ])
    func mistakes(text: String, expected: String) {
        #expect {
            try NodeConfiguration(document: TOMLDocument(parsing: text))
        } throws: { error in
            "\(error)".contains(expected)
        }
    }
}
