import Exchange

/// The frames nodes exchange over ZeroMQ around the envelopes, receipts and replay batches of
/// docs/PROTOCOL.md §"Transport". Small and fixed: a one-byte kind or a short verb, then the
/// protocol's own byte strings.
enum WireFrames {
    /// Second frame of a PUB message carrying an envelope: `[recipient, "E", envelope]`.
    static let envelopeKind: [UInt8] = Array("E".utf8)
    /// Second frame of a PUB heartbeat: `[recipient, "H", last sequence (u64 BE) ‖ last
    /// acknowledged sequence (u64 BE)]`.
    static let heartbeatKind: [UInt8] = Array("H".utf8)

    /// DEALER → ROUTER: `["replay", after sequence (u64 BE)]`: send me the envelopes of our
    /// link after this sequence.
    static let replayVerb: [UInt8] = Array("replay".utf8)
    /// ROUTER → DEALER: `["envelopes", last sequence of the link (u64 BE), envelope…]`.
    static let envelopesVerb: [UInt8] = Array("envelopes".utf8)
    /// DEALER → ROUTER, the secretariat only: `audit-head`, `audit-consistency`,
    /// `audit-inclusion`, `audit-entries` (docs/AUDIT.md §"Collection").
    static let auditVerbPrefix: [UInt8] = Array("audit-".utf8)
    /// DEALER → ROUTER: `["receipt", signed receipt]`.
    static let receiptVerb: [UInt8] = Array("receipt".utf8)

    /// The topic frame for `state`: its two ASCII letters.
    static func topic(_ state: StateCode) -> [UInt8] {
        [state.bytes.0, state.bytes.1]
    }

    static func encode(_ value: UInt64) -> [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) }
    }

    static func encodeHeartbeat(latest: UInt64, acknowledged: UInt64) -> [UInt8] {
        encode(latest) + encode(acknowledged)
    }

    static func decodeHeartbeat(_ bytes: [UInt8]) -> (latest: UInt64, acknowledged: UInt64)? {
        guard bytes.count == 16, let latest = decodeUInt64(Array(bytes[0..<8])),
            let acknowledged = decodeUInt64(Array(bytes[8..<16]))
        else { return nil }
        return (latest, acknowledged)
    }

    static func decodeUInt64(_ bytes: [UInt8]) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
