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

    /// The defaults.
    public init() {}

    /// Reads the settings from a parsed `node.toml`, refusing unknown keys and wrong types.
    public init(document: TOMLDocument) throws(ConfigurationError) {
        var reader = SettingsReader(document: document)
        publishBind = try reader.string("network", "publish", default: publishBind)
        serviceBind = try reader.string("network", "service", default: serviceBind)
        storePath = try reader.string("paths", "store", default: storePath)
        schemasPath = try reader.string("paths", "schemas", default: schemasPath)
        maximumEnvelopeBytes = try reader.integer("limits", "max_envelope_bytes", default: maximumEnvelopeBytes, in: 1_024...(1 << 24))
        replayBatchSize = try reader.integer("limits", "replay_batch", default: replayBatchSize, in: 1...10_000)
        highWaterMark = try reader.integer("limits", "high_water_mark", default: highWaterMark, in: 1...10_000_000)
        socketBufferBytes = try reader.integer("limits", "socket_buffer_bytes", default: socketBufferBytes, in: 0...(1 << 30))
        heartbeatIntervalMilliseconds = try reader.integer(
            "limits", "heartbeat_interval_ms", default: heartbeatIntervalMilliseconds, in: 50...3_600_000)
        controlTimeoutMilliseconds = try reader.integer(
            "limits", "control_timeout_ms", default: controlTimeoutMilliseconds, in: 100...3_600_000)
        logLevel = try reader.string("log", "level", default: logLevel)
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        guard levels.contains(logLevel) else {
            throw ConfigurationError.invalidSetting(key: "log.level", expected: levels.joined(separator: ", "), found: logLevel)
        }
        try reader.refuseUnknownKeys()
    }

    /// A commented `node.toml` with these settings, for `bordernet init`.
    public var renderedFile: String {
        """
        # BorderNet node configuration. Every setting below shows its default; see
        # docs/CONFIGURATION.md. The node's state, name and keys are in card.json and keys/.

        [network]
        # Where neighbours subscribe to this node's envelopes (ZeroMQ PUB, CURVE-encrypted).
        publish = "\(publishBind)"
        # Where neighbours send receipts and replay requests (ZeroMQ ROUTER, CURVE-encrypted).
        service = "\(serviceBind)"

        [paths]
        # The SQLite store, relative to this folder unless absolute.
        store = "\(storePath)"
        # The incident schemas folder; empty means the default search (docs/SCHEMAS.md).
        schemas = "\(schemasPath)"

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
        level = "\(logLevel)"

        """
    }
}

/// Reads typed settings from a document and remembers which ones it read, so that a misspelt
/// key is reported instead of ignored.
private struct SettingsReader {
    let document: TOMLDocument
    var known: Set<String> = []

    mutating func string(_ table: String, _ key: String, default value: String) throws(ConfigurationError) -> String {
        known.insert("\(table).\(key)")
        guard let found = document.value(table, key) else { return value }
        guard case .string(let text) = found else {
            throw ConfigurationError.invalidSetting(key: "\(table).\(key)", expected: "a string in quotes", found: found.description)
        }
        return text
    }

    mutating func integer(_ table: String, _ key: String, default value: Int, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        known.insert("\(table).\(key)")
        guard let found = document.value(table, key) else { return value }
        guard case .integer(let number) = found, let integer = Int(exactly: number), range.contains(integer) else {
            throw ConfigurationError.invalidSetting(
                key: "\(table).\(key)", expected: "an integer in \(range.lowerBound)…\(range.upperBound)", found: found.description)
        }
        return integer
    }

    func refuseUnknownKeys() throws(ConfigurationError) {
        for (table, values) in document.tables {
            for key in values.keys {
                let name = table.isEmpty ? key : "\(table).\(key)"
                if !known.contains(name) { throw ConfigurationError.unknownSetting(key: name) }
            }
        }
    }
}
