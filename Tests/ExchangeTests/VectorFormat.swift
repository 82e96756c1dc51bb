import Exchange
import Foundation

// The JSON shapes of Tests/Vectors (described for other implementations in Tests/Vectors/README.md).
// Bytes are lower-case hexadecimal; times are Unix milliseconds; state codes are two letters.

struct IdentityVectorFile: Codable, Equatable {
    var desc: String
    var derivation: String
    var nodes: [IdentityVector]
}

struct IdentityVector: Codable, Equatable {
    var desc: String
    var label: String
    var state: String
    var nodeName: String
    var publishEndpoint: String
    var serviceEndpoint: String
    var signingSeed: String
    var encryptionSecret: String
    var transportSecret: String
    var signingKey: String
    var encryptionKey: String
    var transportKey: String
    var cardHex: String
    var cardJSON: IdentityCard
}

struct RosterVectorFile: Codable, Equatable {
    var desc: String
    var secretariatSeed: String
    var secretariatKey: String
    var version: UInt64
    var issuedAt: UInt64
    var expiresAt: UInt64
    var now: UInt64
    var members: [RosterMemberRef]
    var links: [Link]
    var rosterHex: String
    var signatureHex: String
    var signedRosterHex: String
    var rosterJSON: Roster
}

struct RosterMemberRef: Codable, Equatable {
    var state: String
    var role: MemberRole
    var nodeLabel: String
}

struct EnvelopeVectorFile: Codable, Equatable {
    var desc: String
    var envelopes: [EnvelopeVector]
}

struct EnvelopeVector: Codable, Equatable {
    var desc: String
    var origin: String
    var recipient: String
    var sequence: UInt64
    var previousHash: String
    var createdAt: UInt64
    /// The bulletin id as a ULID (its JSON form).
    var bulletinId: String
    /// The same 16 bytes as a UUID.
    var bulletinUUID: String
    /// The id as the bulletin JSON writes it: `<origin>-<ULID>`.
    var bulletinReference: String
    var tlp: TLP
    var tlpCode: UInt8
    var schemaVersion: String
    var bodyText: String
    var ephemeralSecret: String
    var ephemeralKey: String
    var sharedSecret: String
    var bodyKey: String
    var nonce: String
    var headerHex: String
    var ciphertextHex: String
    var signatureHex: String
    var envelopeHex: String
    var envelopeHash: String
    var envelopeByteCount: Int
}

struct RejectionVector: Codable, Equatable {
    var desc: String
    /// The node opening the envelope (its state; its keys are in identities.json).
    var recipient: String
    /// The recipient's position on the envelope's link before this envelope.
    var position: ChainPosition
    var envelopeHex: String
    /// Zero bytes to append to `envelopeHex` (keeps the oversized probe small on disk).
    var appendZeroBytes: Int
    var wantErr: WantedError
}

struct WantedError: Codable, Equatable {
    var code: UInt16
    var name: String
    /// For `gap`: the first and last missing sequence numbers.
    var missing: [UInt64]?
    /// For `duplicate`: the sequence already accepted.
    var sequence: UInt64?
    /// For `chainBroken`: the hash expected and the one found.
    var expected: String?
    var got: String?
}

struct ReceiptVectorFile: Codable, Equatable {
    var desc: String
    var receipts: [ReceiptVector]
    var rejections: [ReceiptRejectionVector]
}

struct ReceiptVector: Codable, Equatable {
    var desc: String
    var origin: String
    var recipient: String
    var sequence: UInt64
    var envelopeHash: String
    var receivedAt: UInt64
    var status: String
    var reason: UInt16
    var receiptHex: String
    var signatureHex: String
    var signedReceiptHex: String
}

struct ReceiptRejectionVector: Codable, Equatable {
    var desc: String
    var signedReceiptHex: String
    /// `malformed`, `unknownRecipient`, `notLinked` or `badSignature`.
    var wantErr: String
}
