/// What a replay answer needs of an outgoing envelope: its sequence and its bytes as published.
/// Read without the other columns, so that serving a replay costs one row copy per envelope, not
/// the parsing of a bulletin reference and a hash the answer never uses.
public struct ReplayableEnvelope: Sendable, Equatable {
    /// Its sequence number on the link.
    public var sequence: UInt64
    /// The complete envelope bytes.
    public var bytes: [UInt8]

    /// A replayable envelope.
    public init(sequence: UInt64, bytes: [UInt8]) {
        self.sequence = sequence
        self.bytes = bytes
    }
}
