import Foundation
import Sodium

@testable import Exchange

/// Tests/Vectors/attachment.json, built from the layout in the doc comment of
/// ``AttachmentCipher`` (docs/PROTOCOL.md §17), not from the cipher's own nonce and associated
/// data, which AttachmentCipherTests checks against these bytes. XChaCha20-Poly1305 under a fixed
/// key and a nonce derived from the index is deterministic, so every sealed byte is exact.
extension VectorGenerator {
    /// One file of the vector: its binding, the label its key is derived from and its size.
    struct AttachmentFileSpec {
        let desc: String
        let bulletinID: BulletinID
        let number: UInt16
        let size: UInt64
        let keyLabel: String
    }

    static let attachmentChunkBytes = 65_536
    static let attachmentLabel = "bordernet attachment 1"
    /// Byte i of every vector file is i mod 251 (a prime: chunks do not repeat one another).
    static let attachmentModulus = 251
    static let attachmentBulletin = Fixtures.bulletinID("MA attachments", at: Fixtures.now)
    static let attachmentOtherBulletin = Fixtures.bulletinID("MA attachments other", at: Fixtures.now)

    static let attachmentFiles = [
        AttachmentFileSpec(
            desc:
                "attachment 1 of the bulletin: 140,000 bytes, three chunks (65,536, 65,536 and 8,928 bytes); the two full "
                + "chunks are given by their sealed SHA-256, first and last 32 bytes, the last chunk also in full",
            bulletinID: attachmentBulletin, number: 1, size: 140_000, keyLabel: "MA attachment 1 key"),
        AttachmentFileSpec(
            desc: "attachment 2 of the same bulletin: 300 bytes, one chunk, every byte written out",
            bulletinID: attachmentBulletin, number: 2, size: 300, keyLabel: "MA attachment 2 key"),
    ]

    /// Bytes `offset ..< offset + count` of a vector file.
    static func attachmentPlaintext(offset: UInt64, count: Int) -> [UInt8] {
        (0..<UInt64(count)).map { UInt8((offset + $0) % UInt64(attachmentModulus)) }
    }

    /// The nonce of chunk `index`: u64 big-endian ‖ 16 zero bytes.
    static func attachmentNonce(_ index: UInt64) -> [UInt8] {
        u64(index) + [UInt8](repeating: 0, count: 16)
    }

    /// The associated data of chunk `index`: label ‖ bulletin id ‖ u16 number ‖ u64 size ‖ u64 index.
    static func attachmentAssociatedData(bulletin: BulletinID, number: UInt16, size: UInt64, index: UInt64) -> [UInt8] {
        ascii(attachmentLabel) + bulletin.bytes + [UInt8(number >> 8), UInt8(truncatingIfNeeded: number)] + u64(size)
            + u64(index)
    }

    /// The plaintext length of chunk `index` of a file of `size` bytes.
    static func attachmentChunkLength(_ index: UInt64, size: UInt64) -> Int {
        Int(min(UInt64(attachmentChunkBytes), size - index * UInt64(attachmentChunkBytes)))
    }

    /// Chunk `index` of `spec`'s file, sealed.
    static func attachmentSealed(_ spec: AttachmentFileSpec, index: UInt64) throws -> [UInt8] {
        let offset = index * UInt64(attachmentChunkBytes)
        return try XChaCha20Poly1305.seal(
            attachmentPlaintext(offset: offset, count: attachmentChunkLength(index, size: spec.size)),
            key: Fixtures.secret(spec.keyLabel),
            nonce: attachmentNonce(index),
            authenticating: attachmentAssociatedData(
                bulletin: spec.bulletinID, number: spec.number, size: spec.size, index: index))
    }

    static func attachmentFile(_ spec: AttachmentFileSpec) throws -> AttachmentFileVector {
        let chunkCount = (spec.size + UInt64(attachmentChunkBytes) - 1) / UInt64(attachmentChunkBytes)
        var chunks: [AttachmentChunkVector] = []
        for index in 0..<chunkCount {
            let offset = index * UInt64(attachmentChunkBytes)
            let length = attachmentChunkLength(index, size: spec.size)
            let sealed = try attachmentSealed(spec, index: index)
            chunks.append(
                AttachmentChunkVector(
                    index: index, plaintextOffset: offset, plaintextLength: length,
                    plaintextSHA256: hexOf(SHA256.hash(attachmentPlaintext(offset: offset, count: length))),
                    nonceHex: hexOf(attachmentNonce(index)),
                    associatedDataHex: hexOf(
                        attachmentAssociatedData(
                            bulletin: spec.bulletinID, number: spec.number, size: spec.size, index: index)),
                    sealedByteCount: sealed.count, sealedSHA256: hexOf(SHA256.hash(sealed)),
                    sealedHeadHex: hexOf(sealed.prefix(32)),
                    sealedTailHex: hexOf(sealed.suffix(32)),
                    sealedHex: sealed.count <= AttachmentVectorLimits.fullHexBytes ? hexOf(sealed) : nil))
        }
        let key = Fixtures.secret(spec.keyLabel).exportedBytes()
        return AttachmentFileVector(
            desc: spec.desc, bulletinId: spec.bulletinID.ulid, bulletinIdHex: hexOf(spec.bulletinID.bytes),
            number: spec.number,
            size: spec.size, keyHex: hexOf(key), keyBase64URL: Base64.encode(key, variant: .urlSafeUnpadded),
            plaintextRule: "byte i (from 0) of the file is i mod \(attachmentModulus)",
            plaintextModulus: attachmentModulus,
            sha256: hexOf(SHA256.hash(attachmentPlaintext(offset: 0, count: Int(spec.size)))), chunkCount: chunkCount,
            chunks: chunks)
    }

    // MARK: Receipts (docs/PROTOCOL.md §17.4)

    /// One attachment receipt of the vector: DZ's statement about `attachmentFiles[file]`.
    struct AttachmentReceiptSpec {
        let desc: String
        let file: Int
        let receivedAt: Timestamp
        /// The held byte: 1 held, 0 refused (2 only in a refused encoding).
        let held: UInt8
        /// The number written, when it is not the file's (0 only in a refused encoding).
        var number: UInt16? = nil
    }

    static let attachmentReceiptSpecs = [
        AttachmentReceiptSpec(
            desc:
                "DZ holds attachment 1 (files[0]): every chunk opened, the file's SHA-256 and content checked, at roster.json's now",
            file: 0, receivedAt: Fixtures.now, held: 1),
        AttachmentReceiptSpec(
            desc:
                "DZ refused attachment 2 (files[1]) a second later (its chunks did not make the file the body describes, or the "
                + "file passes its limits): held 0, the SHA-256 the body gives",
            file: 1, receivedAt: Fixtures.now.adding(milliseconds: 1_000), held: 0),
    ]

    /// The 68 canonical bytes, from the table of docs/PROTOCOL.md §17.4 (not from
    /// ``AttachmentReceipt``'s encoder): tag, format, origin, recipient, bulletin id, number,
    /// SHA-256, received-at, held.
    static func attachmentReceiptBytes(_ spec: AttachmentReceiptSpec) -> [UInt8] {
        let file = attachmentFiles[spec.file]
        let number = spec.number ?? file.number
        return ascii("BNAR") + [1] + ascii("MA") + ascii("DZ") + file.bulletinID.bytes
            + [UInt8(number >> 8), UInt8(truncatingIfNeeded: number)]
            + SHA256.hash(attachmentPlaintext(offset: 0, count: Int(file.size)))
            + u64(spec.receivedAt.millisecondsSinceEpoch)
            + [spec.held]
    }

    /// The 132 signed bytes: canonical bytes ‖ DZ's Ed25519 signature over them.
    static func attachmentReceiptSigned(_ spec: AttachmentReceiptSpec) -> [UInt8] {
        let bytes = attachmentReceiptBytes(spec)
        return bytes + Fixtures.dz.signingKey.signature(for: bytes)
    }

    static func attachmentReceipts() -> AttachmentReceiptVectorSection {
        func vector(_ spec: AttachmentReceiptSpec) -> AttachmentReceiptVector {
            let file = attachmentFiles[spec.file]
            let bytes = attachmentReceiptBytes(spec)
            let signed = attachmentReceiptSigned(spec)
            return AttachmentReceiptVector(
                desc: spec.desc, origin: "MA", recipient: "DZ", bulletinId: file.bulletinID.ulid,
                bulletinIdHex: hexOf(file.bulletinID.bytes), number: file.number,
                sha256: hexOf(SHA256.hash(attachmentPlaintext(offset: 0, count: Int(file.size)))),
                receivedAt: spec.receivedAt.millisecondsSinceEpoch, held: spec.held == 1, receiptHex: hexOf(bytes),
                signatureHex: hexOf(signed.suffix(64)), signedReceiptHex: hexOf(signed))
        }
        let held = attachmentReceiptSpecs[0]
        return AttachmentReceiptVectorSection(
            desc:
                "A recipient's signed attachment receipt (docs/PROTOCOL.md §17.4): DZ tells MA, the origin, that it holds (or "
                + "refused) an attachment of the bulletin of files[]. The origin verifies it with the recipient's signing key in "
                + "force at received-at under roster.json, on a link of the roster. signed[]: DZ's receipts, signed with DZ's seed "
                + "of identities.json (Ed25519 is deterministic); refused[]: signed bytes a reader must refuse with wantErr",
            layout:
                "68 bytes: \"BNAR\" ‖ format 1 (1 byte) ‖ origin (2, ASCII) ‖ recipient (2) ‖ bulletin id (16) ‖ u16 number "
                + "(from 1) ‖ SHA-256 of the file (32) ‖ u64 received-at (Unix ms) ‖ held (1 byte: 1 held, 0 refused), integers "
                + "big-endian; signed: the 68 bytes ‖ the recipient's Ed25519 signature over them (64) = 132 bytes",
            signed: attachmentReceiptSpecs.map(vector),
            refused: [
                AttachmentReceiptRefusedVector(
                    desc: "signed[0] with held byte 2 (neither 1 nor 0), signed by DZ over those bytes",
                    signedReceiptHex: hexOf(
                        attachmentReceiptSigned(
                            AttachmentReceiptSpec(desc: "", file: held.file, receivedAt: held.receivedAt, held: 2))),
                    wantErr: "malformed"),
                AttachmentReceiptRefusedVector(
                    desc: "signed[0] with number 0 (attachments are numbered from 1), signed by DZ over those bytes",
                    signedReceiptHex: hexOf(
                        attachmentReceiptSigned(
                            AttachmentReceiptSpec(
                                desc: "", file: held.file, receivedAt: held.receivedAt, held: held.held, number: 0))),
                    wantErr: "malformed"),
            ])
    }

    static func attachment() throws -> AttachmentVectorFile {
        let (big, small) = (attachmentFiles[0], attachmentFiles[1])
        let bigKey = hexOf(Fixtures.secret(big.keyLabel).exportedBytes())
        let smallKey = hexOf(Fixtures.secret(small.keyLabel).exportedBytes())
        let (bulletin, other) = (hexOf(attachmentBulletin.bytes), hexOf(attachmentOtherBulletin.bytes))
        func refused(
            _ desc: String, file: Int, chunk: UInt64, flipBit: Int? = nil, dropLastBytes: Int? = nil,
            key: String? = nil,
            bulletinId: String? = nil, number: UInt16? = nil, size: UInt64? = nil, index: UInt64? = nil, wantErr: String
        ) -> AttachmentRefusedVector {
            let spec = attachmentFiles[file]
            return AttachmentRefusedVector(
                desc: desc, file: file, chunk: chunk, flipBit: flipBit, dropLastBytes: dropLastBytes,
                keyHex: key ?? (file == 0 ? bigKey : smallKey), bulletinIdHex: bulletinId ?? bulletin,
                number: number ?? spec.number,
                size: size ?? spec.size, index: index ?? chunk, wantErr: wantErr)
        }
        return AttachmentVectorFile(
            desc:
                "Attachments (docs/PROTOCOL.md §17): each file is cut into chunks of chunkByteCount bytes (the last holds the "
                + "rest), each sealed with XChaCha20-Poly1305-IETF under the attachment's key, a nonce made of the chunk's index and "
                + "associated data binding the chunk to its bulletin, its attachment number, the declared file size and its index. "
                + "The plaintexts are given by their rule (byte i is i mod 251) rather than in hex, and a sealed chunk longer than "
                + "16,384 bytes by its SHA-256 and its first and last 32 bytes, as rejections/oversized.json gives its padding by "
                + "a count: a 64 KiB chunk written out would be 131,104 hex characters a reader cannot compare by eye anyway, while "
                + "the hash pins every byte. Short chunks are written out whole. refused[]: sealed chunks opened where they do not "
                + "belong, or damaged; each must fail with wantErr. receipts: DZ's signed attachment receipts (§17.4) for "
                + "files[0] (held) and files[1] (refused), and signed bytes a reader must refuse",
            derivation:
                "each key is SHA-256(\"BorderNet test vector: \" ‖ label) for the label \"MA attachment 1 key\" or \"MA "
                + "attachment 2 key\"; the bulletin ids are the UUIDv7s of Fixtures.bulletinID for \"MA attachments\" (and \"MA "
                + "attachments other\" in refused[]) at roster.json's now",
            chunkByteCount: attachmentChunkBytes, label: attachmentLabel, labelHex: hexOf(ascii(attachmentLabel)),
            nonceLayout:
                "24 bytes: u64 chunk index, big-endian ‖ 16 zero bytes (one key per attachment, each index sealed once)",
            associatedDataLayout:
                "56 bytes: \"\(attachmentLabel)\" (22 bytes, UTF-8) ‖ bulletin id (16) ‖ u16 number ‖ u64 size ‖ "
                + "u64 index, integers big-endian",
            files: try attachmentFiles.map(attachmentFile),
            refused: [
                refused(
                    "chunk 1 opened as chunk 0 (same length, another nonce and associated data)", file: 0, chunk: 1,
                    index: 0,
                    wantErr: "chunkDoesNotOpen"),
                refused("chunk 0 opened as chunk 1", file: 0, chunk: 0, index: 1, wantErr: "chunkDoesNotOpen"),
                refused(
                    "the last chunk (8,944 sealed bytes) opened as chunk 1: its length is not that of a full chunk",
                    file: 0, chunk: 2,
                    index: 1, wantErr: "chunkLength"),
                refused(
                    "the last chunk of attachment 1 opened as attachment 2 (number 2) of the same bulletin and size",
                    file: 0, chunk: 2,
                    number: 2, wantErr: "chunkDoesNotOpen"),
                refused(
                    "the last chunk of attachment 1 opened as the same attachment of another bulletin", file: 0,
                    chunk: 2,
                    bulletinId: other, wantErr: "chunkDoesNotOpen"),
                refused(
                    "chunk 0 opened for a file declared 131,072 bytes (the file cut after two full chunks: chunk 0 keeps its length)",
                    file: 0, chunk: 0, size: 131_072, wantErr: "chunkDoesNotOpen"),
                refused(
                    "the last chunk opened for a file declared one byte longer (140,001): its place holds 8,929 bytes",
                    file: 0,
                    chunk: 2, size: 140_001, wantErr: "chunkLength"),
                refused(
                    "attachment 2's chunk with bit 0 of its first ciphertext byte flipped", file: 1, chunk: 0,
                    flipBit: 0,
                    wantErr: "chunkDoesNotOpen"),
                refused(
                    "attachment 2's chunk with the last bit of its tag flipped", file: 1, chunk: 0,
                    flipBit: (300 + 16) * 8 - 1,
                    wantErr: "chunkDoesNotOpen"),
                refused(
                    "attachment 2's chunk without its last byte", file: 1, chunk: 0, dropLastBytes: 1,
                    wantErr: "chunkLength"),
                refused(
                    "attachment 2's chunk opened under attachment 1's key", file: 1, chunk: 0, key: bigKey,
                    wantErr: "chunkDoesNotOpen"),
                refused(
                    "attachment 2's chunk opened as chunk 1 of its one-chunk file", file: 1, chunk: 0, index: 1,
                    wantErr: "chunkOutOfRange"),
            ],
            receipts: attachmentReceipts(),
            envelope: try attachmentEnvelope())
    }

    /// The body of the bulletin that carries ``attachmentFiles``: its `attachments` as the origin
    /// writes them (docs/PROTOCOL.md §17.1), the members sorted, no spaces.
    static func attachmentBody() -> [UInt8] {
        let entries = attachmentFiles.map { spec in
            let key = Base64.encode(Fixtures.secret(spec.keyLabel).exportedBytes(), variant: .urlSafeUnpadded)
            let sha256 = hexOf(SHA256.hash(attachmentPlaintext(offset: 0, count: Int(spec.size))))
            let (name, caption) =
                spec.number == 1
                ? (
                    "passport-data-page.pdf",
                    #""caption":{"en":"Data page of the seized passport","fr":"Page de données du passeport saisi"},"#
                )
                : ("plate.pdf", "")
            return
                #"{\#(caption)"fileName":"\#(name)","key":"\#(key)","mediaType":"application/pdf","sha256":"\#(sha256)","size":\#(spec.size)}"#
        }
        let reference = attachmentBulletin.reference(origin: Fixtures.ma.state)
        return Array(
            #"{"id":"\#(reference)","attachments":[\#(entries.joined(separator: ","))],"schemaVersion":"1.2.0","type":"documentFraud","summary":"a forged passport seized at Ras Jedir, its data page attached"}"#
                .utf8)
    }

    /// attachment.json `envelope`: the bulletin of ``attachmentFiles`` sealed MA→DZ at the start of
    /// the link, under an ephemeral key of its own.
    static func attachmentEnvelope() throws -> EnvelopeVector {
        let metadata = BulletinMetadata(
            bulletinID: attachmentBulletin, createdAt: Fixtures.now, tlp: .amber,
            schemaVersion: BodySchemaVersion(major: 1, minor: 2))
        return try happyEnvelope(
            number: 0, summary: "", metadata: metadata, to: Fixtures.dz, position: .start,
            ephemeral: Fixtures.agreementKey("MA attachments ephemeral"),
            desc: "MA→DZ, the first envelope of the link: the bulletin that carries files[] (docs/PROTOCOL.md §17.1). "
                + "Open it with DZ's encryption key of identities.json; each attachments[] entry of its body gives its file's "
                + "key (base64url, unpadded), SHA-256 and size, equal to files[]'s, and with that key the chunks of files[] "
                + "open. The files' bytes follow the vectors' rule (byte i is i mod 251), not real PDFs: the content check of "
                + "§17.1 is not part of this vector",
            body: attachmentBody()
        ).vector
    }
}
