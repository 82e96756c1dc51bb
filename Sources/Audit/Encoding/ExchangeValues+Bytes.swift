import Exchange

// The binary forms of the Exchange values that audit entries carry, exactly as docs/PROTOCOL.md
// §2 and §4 define them, on the reader and writer Exchange shares with the package.

extension ByteReader {
    /// A state code: two ASCII letters `A`–`Z`.
    mutating func readState(field: String) throws(FormatError) -> StateCode {
        let bytes = try readArray(count: 2, field: field)
        guard bytes.allSatisfy({ (0x41...0x5A).contains($0) }) else {
            throw FormatError.invalidField(field: field, reason: "not two letters A–Z")
        }
        return try StateCode(String(decoding: bytes, as: UTF8.self))
    }

    /// A link: origin state ‖ recipient state.
    mutating func readLink(field: String) throws(FormatError) -> Link {
        let origin = try readState(field: "\(field) origin")
        let recipient = try readState(field: "\(field) recipient")
        return Link(origin: origin, recipient: recipient)
    }

    /// 32 raw bytes of an envelope hash.
    mutating func readEnvelopeHash(field: String) throws(FormatError) -> EnvelopeHash {
        try EnvelopeHash(bytes: readArray(count: EnvelopeHash.byteCount, field: field))
    }

    /// 16 raw bytes of a bulletin id.
    mutating func readBulletinID(field: String) throws(FormatError) -> BulletinID {
        try BulletinID(bytes: readArray(count: BulletinID.byteCount, field: field))
    }

    /// A TLP code 0…4.
    mutating func readTLP(field: String) throws(FormatError) -> TLP {
        let code = try readUInt8(field: field)
        guard let tlp = TLP(rawValue: code) else {
            throw FormatError.invalidField(field: field, reason: "code \(code) is not 0…4")
        }
        return tlp
    }

    /// A timestamp: `u64` milliseconds since the epoch.
    mutating func readTimestamp(field: String) throws(FormatError) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: try readUInt64(field: field))
    }

    /// Status `u8` (0 accepted, 1 rejected) ‖ reason `u16` (0 when accepted, ≠ 0 when rejected), as
    /// in receipts (docs/PROTOCOL.md §11); any other combination is refused.
    mutating func readStatus(field: String) throws(FormatError) -> ReceiptStatus {
        let status = try readUInt8(field: "\(field) status")
        let reason = try readUInt16(field: "\(field) reason")
        switch (status, RejectionReason(rawValue: reason)) {
        case (0, nil): return .accepted
        case (1, .some(let code)): return .rejected(code)
        default:
            throw FormatError.invalidField(
                field: field, reason: "status \(status) with reason \(reason) (want 0 with 0, or 1 with a code ≠ 0)")
        }
    }
}

extension ByteWriter {
    /// The two letters of a state.
    mutating func write(state: StateCode) {
        write(state.bytes.0)
        write(state.bytes.1)
    }

    /// Origin ‖ recipient.
    mutating func write(link: Link) {
        write(state: link.origin)
        write(state: link.recipient)
    }

    /// Status `u8` ‖ reason `u16`.
    mutating func write(status: ReceiptStatus) {
        switch status {
        case .accepted:
            write(UInt8(0))
            write(UInt16(0))
        case .rejected(let reason):
            write(UInt8(1))
            write(reason.rawValue)
        }
    }
}
