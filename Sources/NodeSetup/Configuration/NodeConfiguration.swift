import Exchange
/// The settings of a node, read from `node.toml` in its data folder. Every setting has a default
/// (documented in docs/CONFIGURATION.md and written, commented, into a new `node.toml`), so the
/// file only needs what differs.
public struct NodeConfiguration: Sendable, Equatable {
    /// Where this node publishes its envelopes for neighbours to subscribe (PUB, CURVE).
    public var publishBind = "tcp://0.0.0.0:7450"
    /// Where neighbours send replay requests and receipts, and the secretariat asks for audit
    /// heads (ROUTER, CURVE).
    public var serviceBind = "tcp://0.0.0.0:7451"
    /// The SQLite store, relative to the data folder unless absolute.
    public var storePath = "store.sqlite"
    /// The incident schema folder; empty for the default search (docs/SCHEMAS.md).
    public var schemasPath = ""
    /// The largest envelope accepted from a peer, in bytes; ZeroMQ drops a bigger frame and the
    /// connection that sent it.
    public var maximumEnvelopeBytes = 96 * 1024
    /// Envelopes per replay batch (a recipient asks for the next batch when it has stored one).
    public var replayBatchSize = 256
    /// Messages ZeroMQ may queue per peer before it drops (PUB) or stops reading.
    public var highWaterMark = 10_000
    /// The kernel's buffer per TCP connection for envelopes, in bytes (`SO_SNDBUF` on the
    /// publisher, `SO_RCVBUF` on subscriptions); 0 keeps the operating system's default.
    public var socketBufferBytes = 0
    /// How often the node announces the last sequence of each of its links, in milliseconds.
    public var heartbeatIntervalMilliseconds = 2_000
    /// How long a local command (post, status) may wait for the node, in milliseconds.
    public var controlTimeoutMilliseconds = 10_000
    /// `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`.
    public var logLevel = "info"
    /// Whether the node keeps its search index (`search.sqlite`, docs/SEARCH.md): its indexer
    /// follows the store on a thread of its own. Off, nothing is indexed, correlated or watched.
    public var searchEnabled = true
    /// How often the node asks the secretariat's node and its origins for a newer signed roster,
    /// in milliseconds (docs/PROTOCOL.md §16.3, "Rosters"); it also asks at start and right after
    /// it installs a roster.
    public var rosterCheckIntervalMilliseconds = 300_000
    /// The largest file an officer may attach, in bytes; also the largest this node pulls from
    /// an origin (docs/PROTOCOL.md §17).
    public var attachmentMaximumFileBytes = 20 * 1_048_576
    /// The most bytes of files one bulletin may carry, in bytes.
    public var attachmentMaximumBulletinBytes = 50 * 1_048_576
    /// The most bytes per second this node pulls from one origin's attachments (0: no cap), so
    /// that a slow (satellite) link keeps room for bulletins.
    public var attachmentLinkBytesPerSecond = 0

    /// The defaults.
    public init() {}

    /// The settings `node.toml` may hold, by table, in the order of docs/CONFIGURATION.md.
    public static let settingNames: [(table: String, keys: [String])] = [
        ("network", ["publish", "service"]),
        ("paths", ["store", "schemas"]),
        (
            "limits",
            ["max_envelope_bytes", "replay_batch", "high_water_mark", "socket_buffer_bytes", "heartbeat_interval_ms", "control_timeout_ms"]
        ),
        ("log", ["level"]),
        ("search", ["enabled"]),
        ("roster", ["check_interval_ms"]),
        ("attachments", ["max_file_bytes", "max_bulletin_bytes", "link_bytes_per_second"]),
    ]

    /// Reads the settings from a parsed `node.toml`, refusing unknown tables and keys (with their
    /// line and the valid names) and wrong types. Dotted keys are TOML's: `network.publish = …`
    /// at the top of the file is the `publish` setting of `[network]`.
    public init(document: TOMLDocument) throws(ConfigurationError) {
        try Self.refuseUnknownNames(in: document)
        let reader = SettingsReader(document: document)
        publishBind = try reader.string("network", "publish", default: publishBind)
        serviceBind = try reader.string("network", "service", default: serviceBind)
        storePath = try reader.string("paths", "store", default: storePath)
        schemasPath = try reader.string("paths", "schemas", default: schemasPath)
        maximumEnvelopeBytes = try reader.integer("limits", "max_envelope_bytes", default: maximumEnvelopeBytes, in: 1_024...(1 << 24))
        replayBatchSize = try reader.integer("limits", "replay_batch", default: replayBatchSize, in: 1...ReplayLimit.maximumEnvelopes)
        highWaterMark = try reader.integer("limits", "high_water_mark", default: highWaterMark, in: 1...10_000_000)
        socketBufferBytes = try reader.integer("limits", "socket_buffer_bytes", default: socketBufferBytes, in: 0...(1 << 30))
        heartbeatIntervalMilliseconds = try reader.integer(
            "limits", "heartbeat_interval_ms", default: heartbeatIntervalMilliseconds, in: 50...3_600_000)
        controlTimeoutMilliseconds = try reader.integer(
            "limits", "control_timeout_ms", default: controlTimeoutMilliseconds, in: 100...3_600_000)
        attachmentMaximumFileBytes = try reader.integer(
            "attachments", "max_file_bytes", default: attachmentMaximumFileBytes, in: 1_024...(1 << 30))
        attachmentMaximumBulletinBytes = try reader.integer(
            "attachments", "max_bulletin_bytes", default: attachmentMaximumBulletinBytes, in: 1_024...(1 << 32))
        attachmentLinkBytesPerSecond = try reader.integer(
            "attachments", "link_bytes_per_second", default: attachmentLinkBytesPerSecond, in: 0...(1 << 34))
        logLevel = try reader.string("log", "level", default: logLevel)
        searchEnabled = try reader.boolean("search", "enabled", default: searchEnabled)
        rosterCheckIntervalMilliseconds = try reader.integer(
            "roster", "check_interval_ms", default: rosterCheckIntervalMilliseconds, in: 1_000...86_400_000)
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        guard levels.contains(logLevel) else {
            throw ConfigurationError.invalidSetting(
                key: "log.level", line: document.line("log", "level"), expected: levels.joined(separator: ", "), found: "\"\(logLevel)\"")
        }
    }

    /// Every table and key of `document` that is not a setting, reported at the first line that
    /// has one, with the names that are valid there.
    private static func refuseUnknownNames(in document: TOMLDocument) throws(ConfigurationError) {
        let tables = settingNames.map(\.table)
        let everySetting = settingNames.flatMap { table in table.keys.map { "\(table.table).\($0)" } }
        var problems: [(line: Int, error: ConfigurationError)] = []
        for table in document.definedTables where !tables.contains(table.name) {
            if everySetting.contains(table.name) {
                problems.append((table.line, .invalidSetting(key: table.name, line: table.line, expected: "a value (key = value)", found: "a table")))
            } else {
                problems.append((table.line, .unknownTable(name: table.name, line: table.line, known: tables)))
            }
        }
        for setting in document.settings {
            if setting.table.isEmpty, tables.contains(setting.key) {
                let error = ConfigurationError.invalidSetting(
                    key: setting.key, line: setting.line,
                    expected: "a table: [\(setting.key)] with its settings on the lines below, or dotted keys such as \(setting.key).\(settingNames.first { $0.table == setting.key }?.keys.first ?? "key") = …",
                    found: setting.value.description)
                problems.append((setting.line, error))
            } else if let known = settingNames.first(where: { $0.table == setting.table }) {
                if !known.keys.contains(setting.key) {
                    let names = known.keys.map { "\(known.table).\($0)" }
                    problems.append((setting.line, .unknownSetting(key: setting.name, line: setting.line, known: names)))
                }
            } else if setting.table.isEmpty {
                problems.append((setting.line, .unknownSetting(key: setting.name, line: setting.line, known: everySetting)))
            }
            // A setting inside an unknown table is reported with its table, above.
        }
        if let first = problems.min(by: { $0.line < $1.line }) { throw first.error }
    }

    /// `text` as a TOML basic string, quotes included: `"` and `\` escaped, control characters
    /// (which a basic string cannot hold raw) as `\uXXXX`, so that any path reads back as itself.
    static func basicString(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\u{00}"..."\u{1F}", "\u{7F}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// A commented `node.toml` with these settings, for `bordernet init`.
    public var renderedFile: String {
        """
        # BorderNet node configuration. Every setting below shows its default; see
        # docs/CONFIGURATION.md. The node's state, name and keys are in card.json and keys/.

        [network]
        # Where neighbours subscribe to this node's envelopes (ZeroMQ PUB, CURVE-encrypted).
        publish = \(Self.basicString(publishBind))
        # Where neighbours send receipts and replay requests (ZeroMQ ROUTER, CURVE-encrypted).
        service = \(Self.basicString(serviceBind))

        [paths]
        # The SQLite store, relative to this folder unless absolute.
        store = \(Self.basicString(storePath))
        # The incident schemas folder; empty means the default search (docs/SCHEMAS.md).
        schemas = \(Self.basicString(schemasPath))

        [limits]
        # Largest envelope accepted from a peer, in bytes.
        max_envelope_bytes = \(maximumEnvelopeBytes)
        # Envelopes per replay batch.
        replay_batch = \(replayBatchSize)
        # Messages ZeroMQ may queue per peer.
        high_water_mark = \(highWaterMark)
        # Kernel buffer per TCP connection for envelopes, in bytes; 0 keeps the OS default.
        socket_buffer_bytes = \(socketBufferBytes)
        # How often each link's last sequence is announced, in milliseconds.
        heartbeat_interval_ms = \(heartbeatIntervalMilliseconds)
        # How long a local command waits for the node, in milliseconds.
        control_timeout_ms = \(controlTimeoutMilliseconds)

        [log]
        # trace, debug, info, notice, warning, error or critical.
        level = \(Self.basicString(logLevel))

        [search]
        # Keep the search index (search.sqlite): search, correlation and watch-lists.
        enabled = \(searchEnabled)

        [roster]
        # How often to ask the secretariat's node and the origins for a newer signed roster, in ms.
        check_interval_ms = \(rosterCheckIntervalMilliseconds)

        [attachments]
        # The largest file an officer may attach, and that this node pulls, in bytes.
        max_file_bytes = \(attachmentMaximumFileBytes)
        # The most bytes of files one bulletin may carry.
        max_bulletin_bytes = \(attachmentMaximumBulletinBytes)
        # The most bytes per second pulled from one origin's attachments (0: no cap).
        link_bytes_per_second = \(attachmentLinkBytesPerSecond)

        """
    }
}

/// Reads typed settings from a document; a wrong type names the setting and its line.
private struct SettingsReader {
    let document: TOMLDocument

    func string(_ table: String, _ key: String, default value: String) throws(ConfigurationError) -> String {
        guard let found = document.value(table, key) else { return value }
        guard case .string(let text) = found else {
            throw ConfigurationError.invalidSetting(
                key: "\(table).\(key)", line: document.line(table, key), expected: "a string in quotes", found: found.description)
        }
        return text
    }

    func boolean(_ table: String, _ key: String, default value: Bool) throws(ConfigurationError) -> Bool {
        guard let found = document.value(table, key) else { return value }
        guard case .boolean(let flag) = found else {
            throw ConfigurationError.invalidSetting(
                key: "\(table).\(key)", line: document.line(table, key), expected: "true or false", found: found.description)
        }
        return flag
    }

    func integer(_ table: String, _ key: String, default value: Int, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let found = document.value(table, key) else { return value }
        guard case .integer(let number) = found, let integer = Int(exactly: number), range.contains(integer) else {
            throw ConfigurationError.invalidSetting(
                key: "\(table).\(key)", line: document.line(table, key),
                expected: "an integer in \(range.lowerBound)…\(range.upperBound)", found: found.description)
        }
        return integer
    }
}
