import Sodium

/// A recipient's signed statement about one attachment of one bulletin of a link: it holds the
/// file complete (every chunk opened, its SHA-256 and content checked) or refused it, and when
/// (docs/PROTOCOL.md §17.4). The origin keeps it, shows what each recipient holds, and audits it.
///
/// Canonical bytes: tag `BNAR`, format 1, origin, recipient, bulletin id, number, SHA-256,
/// received-at, held — 68 bytes; signed: 68 + 64.
public struct AttachmentReceipt: Hashable, Sendable, CustomStringConvertible {
    /// The 4-byte tag that starts the canonical bytes.
    public static let tag: [UInt8] = Array("BNAR".utf8)
    /// The format version written after the tag.
    public static let formatVersion: UInt8 = 1
    /// Bytes of the canonical form: 4 + 1 + 2 + 2 + 16 + 2 + 32 + 8 + 1.
    public static let byteCount = 68
    /// Bytes of a signed receipt: canonical bytes ‖ Ed25519 signature.
    public static let signedByteCount = byteCount + Ed25519.signatureByteCount

    /// The link of the bulletin.
    public let link: Link
    /// The bulletin, of the link's origin.
    public let bulletinID: BulletinID
    /// The attachment's number, from 1.
    public let number: UInt16
    /// The file's SHA-256, as the bulletin's body gives it.
    public let digest: AttachmentDigest
    /// When the recipient finished the file.
    public let receivedAt: Timestamp
    /// `true`: it holds the file; `false`: it refused it (its chunks did not make the file the
    /// body describes, or the file passes its limits).
    public let held: Bool

    /// A receipt.
    public init(
        link: Link, bulletinID: BulletinID, number: UInt16, digest: AttachmentDigest, receivedAt: Timestamp, held: Bool
    ) {
        self.link = link
        self.bulletinID = bulletinID
        self.number = number
        self.digest = digest
        self.receivedAt = receivedAt
        self.held = held
    }

    /// The 68 canonical bytes.
    public var canonicalBytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.byteCount)
        writer.write(raw: Self.tag)
        writer.write(Self.formatVersion)
        link.origin.write(to: &writer)
        link.recipient.write(to: &writer)
        writer.write(raw: bulletinID.bytes)
        writer.write(number)
        writer.write(raw: digest.bytes)
        writer.write(receivedAt.millisecondsSinceEpoch)
        writer.write(UInt8(held ? 1 : 0))
        return writer.bytes
    }

    /// Decodes the 68 canonical bytes.
    public init(canonicalBytes: [UInt8]) throws(ReceiptError) {
        var reader = ByteReader(canonicalBytes)
        do {
            try reader.readTag(Self.tag, version: Self.formatVersion, what: "attachment receipt")
            let origin = try StateCode(reading: &reader, field: "attachment receipt origin")
            let recipient = try StateCode(reading: &reader, field: "attachment receipt recipient")
            link = Link(origin: origin, recipient: recipient)
            bulletinID = try BulletinID(bytes: try reader.readArray(count: BulletinID.byteCount, field: "bulletin id"))
            number = try reader.readUInt16(field: "attachment number")
            guard number >= 1 else {
                throw FormatError.invalidField(field: "attachment number", reason: "attachments are numbered from 1")
            }
            digest = try AttachmentDigest(
                bytes: try reader.readArray(count: AttachmentDigest.byteCount, field: "attachment digest"))
            receivedAt = Timestamp(millisecondsSinceEpoch: try reader.readUInt64(field: "received-at"))
            switch try reader.readUInt8(field: "held") {
            case 0: held = false
            case 1: held = true
            case let other:
                throw FormatError.invalidField(field: "held", reason: "\(other) is neither 1 (held) nor 0 (refused)")
            }
            try reader.expectEnd(of: "attachment receipt")
        } catch let error as FormatError {
            throw ReceiptError.malformed(error)
        } catch {
            throw ReceiptError.malformed(.invalidField(field: "attachment receipt", reason: "\(error)"))
        }
    }

    /// Signs the receipt as `recipient`, which must be the node of the receipt's recipient state:
    /// canonical bytes ‖ signature.
    public func signed(by recipient: NodeIdentity) throws(ReceiptError) -> [UInt8] {
        guard recipient.state == link.recipient else {
            throw ReceiptError.signerIsNotRecipient(signer: recipient.state, recipient: link.recipient)
        }
        let bytes = canonicalBytes
        return bytes + recipient.signingKey.signature(for: bytes)
    }

    /// Reads a signed receipt and checks it against `roster`: the recipient is a member, the
    /// roster links the origin to it, and its signature verifies with the recipient's signing
    /// key in force at the receipt's received-at (``Roster/signingKeys(of:at:)``).
    public static func verify(_ signed: [UInt8], against roster: Roster) throws(ReceiptError) -> AttachmentReceipt {
        guard signed.count == signedByteCount else {
            throw .malformed(
                signed.count < signedByteCount
                    ? .truncated(field: "signed attachment receipt", needed: signedByteCount, remaining: signed.count)
                    : .trailingBytes(what: "signed attachment receipt", count: signed.count - signedByteCount))
        }
        let bytes = Array(signed[..<byteCount])
        let signature = Array(signed[byteCount...])
        let receipt = try AttachmentReceipt(canonicalBytes: bytes)
        guard roster.member(receipt.link.recipient) != nil else { throw .unknownRecipient(receipt.link.recipient) }
        guard roster.isLinked(from: receipt.link.origin, to: receipt.link.recipient) else {
            throw .notLinked(receipt.link)
        }
        guard
            roster.signingKeys(of: receipt.link.recipient, at: receipt.receivedAt).contains(where: {
                $0.isValidSignature(signature, for: bytes)
            })
        else { throw .badSignature(recipient: receipt.link.recipient) }
        return receipt
    }

    /// `MA→DZ MA-01J… #1 held at <time>`.
    public var description: String {
        "\(link) \(bulletinID.reference(origin: link.origin)) #\(number) \(held ? "held" : "refused") at \(receivedAt)"
    }
}
