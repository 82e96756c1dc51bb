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
    /// roster-format-2.json and roster-format-3.json: encodings a decoder must refuse.
    var refused: [RefusedRoster]?
    /// roster-format-3.json only: nodes whose keys are not in identities.json (MA-2, MA's node
    /// after its rotation).
    var nodes: [IdentityVector]?
    /// roster-format-3.json only: the key history, entry by entry.
    var retiredKeys: [RetiredKeysVector]?
    /// roster-format-3.json only: which keys are in force for a state at a time.
    var keysAt: [KeysAtVector]?
    /// roster-format-3.json only: MA→DZ envelopes across MA's rotation, opened in order by DZ
    /// under this roster.
    var envelopes: [KeyHistoryEnvelopeVector]?
    /// roster-format-3.json only: the roster key's hand-over (docs/PROTOCOL.md §6.6).
    var handOver: HandOverVector?
}

/// The roster key's hand-over: a roster announcing the successor, and the successor's first roster.
struct HandOverVector: Codable, Equatable {
    var desc: String
    var successorSeed: String
    var successorKey: String
    var announcingRosterHex: String
    var announcingSignedRosterHex: String
    var takingOverSignedRosterHex: String
}

/// One entry of a roster's key history (docs/PROTOCOL.md §6.1, format 3).
struct RetiredKeysVector: Codable, Equatable {
    var desc: String
    var state: String
    /// The node of identities.json whose keys these are.
    var nodeLabel: String
    var signingKey: String
    var encryptionKey: String
    var transportKey: String
    var until: UInt64
    /// Absent for a rotation.
    var revocation: String?
    /// The entry's bytes, as they appear in `rosterHex`.
    var entryHex: String
}

/// The keys a roster has in force for `state` at `at` (null: none).
struct KeysAtVector: Codable, Equatable {
    var desc: String
    var state: String
    var at: UInt64
    /// The key the schedule puts in force at `at` (signingKey(of:at:)).
    var signingKey: String?
    /// Every key whose signature dated `at` is accepted (signingKeys(of:at:)): the history entries
    /// whose until is after `at`, and the current card's key.
    var acceptedSigningKeys: [String]
    /// What a body sealed at `at` is encrypted to (encryptionKey(of:at:)).
    var encryptionKey: String?
    /// The CURVE key the state's node is let in with at `at` (transportKeys(at:)); null for a
    /// state that is no longer a member.
    var allowedTransportKey: String?
    /// The CURVE keys the state's node is let in with at `at` (acceptedTransportKeys(at:)).
    var acceptedTransportKeys: [String]
}

/// An envelope of roster-format-3.json: who signed it, the envelope, and what DZ makes of it.
struct KeyHistoryEnvelopeVector: Codable, Equatable {
    var desc: String
    /// The node (identities.json or `nodes`) whose signing key signed it.
    var signerLabel: String
    /// DZ's position on MA→DZ before this envelope.
    var position: ChainPosition
    var envelope: EnvelopeVector
    /// Absent when DZ accepts it (its position then becomes this envelope); else the refusal.
    var wantErr: WantedError?
}

struct RosterMemberRef: Codable, Equatable {
    var state: String
    var role: MemberRole
    var nodeLabel: String
    /// roster-format-2.json only: the schema version the member's node reads.
    var readsSchema: BodySchemaVersion?
}

/// Roster bytes (unsigned: decoding alone must refuse them) and why.
struct RefusedRoster: Codable, Equatable {
    var desc: String
    var rosterHex: String
    var wantErr: String
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
    /// For a probe at or below `position`: the hash of the envelope the recipient accepted at
    /// the probe's sequence. The opener says `duplicate` (300); the node compares hashes: the
    /// same is a re-delivery, another is a `conflict` (303, docs/PROTOCOL.md §8, §11.1).
    var acceptedHash: String?
    var wantErr: WantedError
}

struct WantedError: Codable, Equatable {
    var code: UInt16
    var name: String
    /// For `gap`: the first and last missing sequence numbers.
    var missing: [UInt64]?
    /// For `duplicate` and `conflict`: the sequence already accepted.
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

/// Tests/Vectors/transport.json: the ZeroMQ messages of docs/PROTOCOL.md §16, frame by frame.
struct TransportVectorFile: Codable, Equatable {
    var desc: String
    var messages: [TransportMessageVector]
}

struct TransportMessageVector: Codable, Equatable {
    var desc: String
    /// What the message is: `subscription`, `envelope`, `heartbeat`, `replay`, `envelopes`,
    /// `receipt`, `roster`, `roster-answer`, `audit-head`, `audit-consistency`, `audit-inclusion`, `audit-entries`, `audit-refused`,
    /// `attachment`, `attachment-answer`, `attachment-receipt`, `attachment-receipt-answer`.
    var message: String
    /// The sockets, sender first: `SUB → XPUB`, `XPUB → SUB`, `DEALER → ROUTER`, `ROUTER → DEALER`.
    var socket: String
    /// The section of docs/PROTOCOL.md that specifies it.
    var section: String
    /// The frames as the application sends and receives them (a DEALER's frames; the ROUTER
    /// sees the peer's routing id before them), each in hexadecimal.
    var framesHex: [String]
    /// Publications: the topic (recipient state) and the kind (`E` or `H`).
    var topic: String?
    var kind: String?
    /// Heartbeats: the last sequence sealed on the link, the last one acknowledged.
    var latest: UInt64?
    var acknowledged: UInt64?
    /// Replay requests: the sequence after which envelopes are wanted (exclusive).
    var after: UInt64?
    /// Replay answers and publications: the MA→DZ sequences of envelopes.json carried, in order.
    var envelopeSequences: [UInt64]?
    /// Receipt messages: the index in receipts.json `receipts[]` of the signed receipt carried.
    var receiptIndex: Int?
    /// Audit requests: the u64 arguments, in order. Roster requests and answers: the version.
    var arguments: [UInt64]?
    /// `audit-refused`: the reason text.
    var text: String?
    /// `attachment`, `attachment-answer`: the bulletin id (ULID); `arguments` are then the
    /// attachment's number and the chunk's index. `attachment-receipt`,
    /// `attachment-receipt-answer`: the bulletin id; `arguments` are then the attachment's number.
    var bulletinId: String?
}

/// Tests/Vectors/bulletins.json: envelopes whose bodies are (or are not) valid bulletins.
struct BulletinEnvelopeVectorFile: Codable, Equatable {
    var desc: String
    var envelopes: [BulletinEnvelopeVector]
}

struct BulletinEnvelopeVector: Codable, Equatable {
    var desc: String
    /// Where the body comes from (`Schemas/examples/…`, or a description).
    var bodySource: String
    /// The envelope, with every intermediate value as in envelopes.json; open each in file order
    /// per link from `(0, 00…00)`.
    var envelope: EnvelopeVector
    /// What the recipient node must make of it after §8: `accepted`, or `rejected` with `code`
    /// (500 invalidBulletin); either way the link position advances to this envelope.
    var want: WantedStatus
}

struct WantedStatus: Codable, Equatable {
    /// `accepted` or `rejected`.
    var status: String
    /// 0 when accepted, else the rejection code of the receipt the node sends.
    var code: UInt16
    var name: String
    /// Why, for people (the check of docs/PROTOCOL.md §8 that decides).
    var reason: String
}

/// Tests/Vectors/attachment.json: attachments cut into chunks and sealed (docs/PROTOCOL.md §17),
/// then chunks that must not open where they are put.
struct AttachmentVectorFile: Codable, Equatable {
    var desc: String
    var derivation: String
    /// Plaintext bytes in every chunk but the last.
    var chunkByteCount: Int
    /// The domain label at the start of the associated data, as text and as bytes.
    var label: String
    var labelHex: String
    var nonceLayout: String
    var associatedDataLayout: String
    var files: [AttachmentFileVector]
    var refused: [AttachmentRefusedVector]
    /// Signed attachment receipts (docs/PROTOCOL.md §17.4) and encodings a reader must refuse.
    var receipts: AttachmentReceiptVectorSection
    /// The bulletin that carries ``files``, sealed MA→DZ (§17.1): opening it gives each file's
    /// key, hash and size, from which the chunks of ``files`` open.
    var envelope: EnvelopeVector
}

/// attachment.json `receipts`: a recipient's signed statements that it holds (or refused) a file.
struct AttachmentReceiptVectorSection: Codable, Equatable {
    var desc: String
    /// The 68 canonical bytes, field by field.
    var layout: String
    var signed: [AttachmentReceiptVector]
    var refused: [AttachmentReceiptRefusedVector]
}

/// One signed attachment receipt: its fields, canonical bytes, signature and signed bytes.
struct AttachmentReceiptVector: Codable, Equatable {
    var desc: String
    var origin: String
    var recipient: String
    /// The bulletin: its id as a ULID and as its 16 bytes.
    var bulletinId: String
    var bulletinIdHex: String
    /// The attachment's number, from 1 (`files[]` with this bulletin and number).
    var number: UInt16
    /// The file's SHA-256, as the signed body gives it.
    var sha256: String
    var receivedAt: UInt64
    var held: Bool
    /// The 68 canonical bytes, the recipient's Ed25519 signature over them, and both together (132 bytes).
    var receiptHex: String
    var signatureHex: String
    var signedReceiptHex: String
}

/// A signed attachment receipt a reader must refuse.
struct AttachmentReceiptRefusedVector: Codable, Equatable {
    var desc: String
    var signedReceiptHex: String
    /// `malformed`, `unknownRecipient`, `notLinked` or `badSignature`.
    var wantErr: String
}

/// One attached file: where it is bound, its key, its plaintext (by rule) and every sealed chunk.
struct AttachmentFileVector: Codable, Equatable {
    var desc: String
    /// The bulletin the file belongs to: its id as a ULID and as its 16 bytes.
    var bulletinId: String
    var bulletinIdHex: String
    /// The attachment's place in the bulletin's list, from 1.
    var number: UInt16
    /// The file's size in bytes (the signed body's `size`).
    var size: UInt64
    /// The attachment's key: its 32 bytes and the body's 43-character unpadded base64url form.
    var keyHex: String
    var keyBase64URL: String
    /// How the plaintext is made: byte i (from 0) is i mod `plaintextModulus`.
    var plaintextRule: String
    var plaintextModulus: Int
    /// The whole file's SHA-256 (the signed body's `sha256`).
    var sha256: String
    var chunkCount: UInt64
    var chunks: [AttachmentChunkVector]
}

/// One chunk of a file: its place, its nonce and associated data, and its sealed bytes.
struct AttachmentChunkVector: Codable, Equatable {
    var index: UInt64
    /// Plaintext bytes: `plaintextOffset` ..< `plaintextOffset + plaintextLength` of the file.
    var plaintextOffset: UInt64
    var plaintextLength: Int
    var plaintextSHA256: String
    var nonceHex: String
    var associatedDataHex: String
    /// The sealed chunk (ciphertext ‖ 16-byte tag): its length, SHA-256, first and last 32 bytes,
    /// and all of it when it is at most ``AttachmentVectorLimits/fullHexBytes`` long.
    var sealedByteCount: Int
    var sealedSHA256: String
    var sealedHeadHex: String
    var sealedTailHex: String
    var sealedHex: String?
}

enum AttachmentVectorLimits {
    /// Sealed chunks up to this length are written out whole; longer ones by hash, head and tail.
    static let fullHexBytes = 16_384
}

/// A sealed chunk of `files` (optionally damaged) opened at a place it does not belong to.
struct AttachmentRefusedVector: Codable, Equatable {
    var desc: String
    /// Which sealed chunk: `files[file].chunks[chunk]`.
    var file: Int
    var chunk: UInt64
    /// Flip this bit of the sealed bytes first (bit b is byte b / 8, mask 1 << (b % 8)).
    var flipBit: Int?
    /// Remove this many bytes from the end of the sealed bytes first.
    var dropLastBytes: Int?
    /// Where it is opened: key, bulletin id, number, size and index.
    var keyHex: String
    var bulletinIdHex: String
    var number: UInt16
    var size: UInt64
    var index: UInt64
    /// `chunkDoesNotOpen` (the tag does not hold), `chunkLength` (not the length of the place)
    /// or `chunkOutOfRange` (no such place).
    var wantErr: String
}
