import Foundation
import Sodium
import Testing

@testable import Exchange

/// A recipient's signed attachment receipt (docs/PROTOCOL.md §17.4): the 68 canonical bytes of the
/// table, field by field; every encoding the decoder must refuse; signing as the recipient only;
/// verification under the roster (member, link, the recipient's key at received-at). Also the
/// attachment digest the receipt names.
@Suite("Attachment receipts: canonical bytes, refusals, signatures, keys over time")
struct AttachmentReceiptTests {
    static let link = Link(origin: Fixtures.ma.state, recipient: Fixtures.dz.state)
    static let bulletin = Fixtures.bulletinID("attachment receipt tests", at: Fixtures.now)
    static let file = Array("a photograph of the seizure".utf8)
    static let digest = AttachmentDigest.of(file)

    static func receipt(
        link: Link = link, number: UInt16 = 1, receivedAt: Timestamp = Fixtures.now, held: Bool = true
    ) -> AttachmentReceipt {
        AttachmentReceipt(
            link: link, bulletinID: bulletin, number: number, digest: digest, receivedAt: receivedAt, held: held)
    }

    /// `value` as 8 bytes, big-endian.
    static func u64(_ value: UInt64) -> [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) }
    }

    /// The canonical bytes built by hand from the table of §17.4.
    static func layout(
        tag: String = "BNAR", format: UInt8 = 1, origin: String = "MA", recipient: String = "DZ",
        number: [UInt8] = [0, 1], receivedAt: UInt64 = Fixtures.now.millisecondsSinceEpoch, held: UInt8 = 1
    ) -> [UInt8] {
        Array(tag.utf8) + [format] + Array(origin.utf8) + Array(recipient.utf8) + bulletin.bytes + number + digest.bytes
            + u64(receivedAt) + [held]
    }

    /// What `body` threw as a ``ReceiptError`` (`nil` if it returned or threw something else).
    static func error<Value>(_ body: () throws -> Value) -> ReceiptError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? ReceiptError
        }
    }

    /// The format error inside a `malformed` refusal (`nil` for any other outcome).
    static func malformed(_ bytes: [UInt8]) -> FormatError? {
        guard case .malformed(let error) = Self.error({ try AttachmentReceipt(canonicalBytes: bytes) }) else {
            return nil
        }
        return error
    }

    // MARK: Canonical bytes

    @Test("the 68 canonical bytes are the table of §17.4, field by field, and read back")
    func exactLayout() throws {
        let receipt = Self.receipt()
        let bytes = receipt.canonicalBytes
        #expect(AttachmentReceipt.byteCount == 68 && AttachmentReceipt.signedByteCount == 132)
        #expect(bytes.count == 68)
        #expect(bytes == Self.layout())
        // Offsets: tag 0–3, format 4, origin 5–6, recipient 7–8, id 9–24, number 25–26, SHA-256
        // 27–58, received-at 59–66, held 67.
        #expect(bytes[0..<4] == [0x42, 0x4E, 0x41, 0x52][...] && bytes[4] == 1)
        #expect(bytes[5..<9] == [0x4D, 0x41, 0x44, 0x5A][...])
        #expect(Array(bytes[9..<25]) == Self.bulletin.bytes)
        #expect(bytes[25..<27] == [0, 1][...])
        #expect(Array(bytes[27..<59]) == SHA256.hash(Self.file))
        #expect(Array(bytes[59..<67]) == Self.u64(1_740_873_600_000))
        #expect(bytes[67] == 1)
        #expect(try AttachmentReceipt(canonicalBytes: bytes) == receipt)
        // Refused: only the held byte changes.
        let refused = Self.receipt(held: false)
        #expect(refused.canonicalBytes == Self.layout(held: 0))
        #expect(try AttachmentReceipt(canonicalBytes: refused.canonicalBytes) == refused)
        // The number is a big-endian u16.
        let numbered = Self.receipt(number: 0x0102)
        #expect(numbered.canonicalBytes == Self.layout(number: [1, 2]))
    }

    @Test("round trips at the bounds: numbers 1 and 65,535, received-at 0 and the largest, held and refused")
    func boundaries() throws {
        for number: UInt16 in [1, 2, 256, .max] {
            for receivedAt: UInt64 in [0, 1, Fixtures.now.millisecondsSinceEpoch, .max] {
                for held in [true, false] {
                    let receipt = Self.receipt(
                        number: number, receivedAt: Timestamp(millisecondsSinceEpoch: receivedAt), held: held)
                    let bytes = receipt.canonicalBytes
                    #expect(
                        bytes
                            == Self.layout(
                                number: [UInt8(number >> 8), UInt8(truncatingIfNeeded: number)],
                                receivedAt: receivedAt, held: held ? 1 : 0))
                    #expect(try AttachmentReceipt(canonicalBytes: bytes) == receipt, "\(number) \(receivedAt) \(held)")
                }
            }
        }
    }

    @Test("a description names the link, the bulletin, the number, held or refused, and the time")
    func description() {
        let text = Self.receipt(number: 3).description
        #expect(text.hasPrefix("\(Self.link) MA-\(Self.bulletin.ulid) #3 held at "), "\(text)")
        #expect(Self.receipt(held: false).description.contains(" refused at "))
    }

    // MARK: Refused encodings

    @Test("another tag, format 2 (or 0), and a receipt of §11 are refused")
    func tagAndFormat() {
        #expect(Self.malformed(Self.layout(tag: "BNAX")) == .wrongTag(what: "attachment receipt"))
        #expect(Self.malformed(Self.layout(tag: "BNRC")) == .wrongTag(what: "attachment receipt"))
        #expect(
            Self.malformed(Self.layout(format: 2)) == .unsupportedFormatVersion(what: "attachment receipt", version: 2))
        #expect(
            Self.malformed(Self.layout(format: 0)) == .unsupportedFormatVersion(what: "attachment receipt", version: 0))
        // An envelope receipt (§11) is not an attachment receipt, whatever its length.
        let envelopeReceipt = Receipt(
            link: Self.link, sequence: 1, envelopeHash: .zero, receivedAt: Fixtures.now, status: .accepted)
        #expect(Self.malformed(envelopeReceipt.canonicalBytes) != nil)
    }

    @Test("number 0 is refused: attachments are numbered from 1")
    func numberZero() {
        guard case .invalidField(let field, let reason) = Self.malformed(Self.layout(number: [0, 0])) else {
            Issue.record("number 0 was not refused as an invalid field")
            return
        }
        #expect(field == "attachment number" && reason.contains("from 1"))
    }

    @Test("the held byte is 1 or 0: every other value is refused", arguments: [2, 3, 0x7F, 0x80, 0xFF] as [UInt8])
    func heldByte(value: UInt8) {
        guard case .invalidField(let field, let reason) = Self.malformed(Self.layout(held: value)) else {
            Issue.record("held \(value) was not refused as an invalid field")
            return
        }
        #expect(field == "held" && reason.contains("\(value)"))
    }

    @Test("state codes that are not two letters A–Z are refused")
    func stateCodes() {
        for (origin, recipient) in [("ma", "DZ"), ("MA", "D1"), ("\0\0", "DZ"), ("MA", "  ")] {
            guard
                case .invalidField(let field, _) = Self.malformed(Self.layout(origin: origin, recipient: recipient))
            else {
                Issue.record("\(origin)→\(recipient) was not refused")
                continue
            }
            #expect(field.hasPrefix("attachment receipt "), "\(origin)→\(recipient): \(field)")
        }
    }

    @Test("every truncation of the 68 bytes is refused as truncated, and a byte after them as trailing")
    func lengths() {
        let bytes = Self.layout()
        for count in 0..<bytes.count {
            guard case .truncated = Self.malformed(Array(bytes.prefix(count))) else {
                Issue.record("\(count) bytes were not refused as truncated")
                continue
            }
        }
        #expect(Self.malformed(bytes + [0]) == .trailingBytes(what: "attachment receipt", count: 1))
        #expect(Self.malformed(bytes + [1, 2, 3]) == .trailingBytes(what: "attachment receipt", count: 3))
        // A signed receipt is not canonical bytes: the signature is trailing.
        #expect(
            Self.malformed(bytes + [UInt8](repeating: 0, count: 64))
                == .trailingBytes(what: "attachment receipt", count: 64))
    }

    // MARK: Signing and verifying

    @Test("DZ signs as the recipient: 68 bytes ‖ 64-byte signature, and it verifies under the vector roster")
    func signAndVerify() throws {
        // The node and roster of the committed vectors, not the fixtures that made them.
        let (dz, roster) = (try VectorLoader.identity("DZ"), try VectorLoader.roster())
        for held in [true, false] {
            let receipt = Self.receipt(held: held)
            let signed = try receipt.signed(by: dz)
            #expect(signed.count == 132)
            #expect(Array(signed.prefix(68)) == receipt.canonicalBytes)
            #expect(dz.card.signingKey.isValidSignature(Array(signed.suffix(64)), for: receipt.canonicalBytes))
            #expect(try AttachmentReceipt.verify(signed, against: roster) == receipt)
            #expect(try AttachmentReceipt.verify(signed, against: Fixtures.standardRoster) == receipt)
            // Ed25519 is deterministic: the fixture node signs the same bytes.
            #expect(try receipt.signed(by: Fixtures.dz) == signed)
        }
    }

    @Test("a signed receipt of another length is malformed before anything else")
    func signedLengths() throws {
        let signed = try Self.receipt().signed(by: Fixtures.dz)
        let roster = Fixtures.standardRoster
        #expect(
            Self.error { try AttachmentReceipt.verify(Array(signed.dropLast()), against: roster) }
                == .malformed(.truncated(field: "signed attachment receipt", needed: 132, remaining: 131)))
        #expect(
            Self.error { try AttachmentReceipt.verify(Array(signed.prefix(68)), against: roster) }
                == .malformed(.truncated(field: "signed attachment receipt", needed: 132, remaining: 68)))
        #expect(
            Self.error { try AttachmentReceipt.verify([], against: roster) }
                == .malformed(.truncated(field: "signed attachment receipt", needed: 132, remaining: 0)))
        #expect(
            Self.error { try AttachmentReceipt.verify(signed + [0], against: roster) }
                == .malformed(.trailingBytes(what: "signed attachment receipt", count: 1)))
        // Well-signed bytes that do not decode are malformed, not a bad signature.
        for bytes in [Self.layout(format: 2), Self.layout(number: [0, 0]), Self.layout(held: 2)] {
            let resigned = bytes + Fixtures.dz.signingKey.signature(for: bytes)
            guard case .malformed = Self.error({ try AttachmentReceipt.verify(resigned, against: roster) }) else {
                Issue.record("a signed, malformed receipt was not refused as malformed")
                continue
            }
        }
    }

    @Test("a recipient that is not in the roster is refused as unknownRecipient")
    func unknownRecipient() throws {
        let link = Link(origin: Fixtures.ma.state, recipient: Fixtures.ly.state)
        for held in [true, false] {
            let signed = try Self.receipt(link: link, held: held).signed(by: Fixtures.ly)
            #expect(
                Self.error { try AttachmentReceipt.verify(signed, against: Fixtures.standardRoster) }
                    == .unknownRecipient(Fixtures.ly.state))
        }
    }

    @Test("a link the roster lacks is refused as notLinked, held or refused (unlike a §11 rejection)")
    func notLinked() throws {
        let roster = Fixtures.standardRoster
        for link in [
            Link(origin: Fixtures.tn.state, recipient: Fixtures.ma.state),
            Link(origin: Fixtures.ly.state, recipient: Fixtures.ma.state),
        ] {
            #expect(!roster.isLinked(from: link.origin, to: link.recipient))
            for held in [true, false] {
                let signed = try Self.receipt(link: link, held: held).signed(by: Fixtures.ma)
                #expect(
                    Self.error { try AttachmentReceipt.verify(signed, against: roster) } == .notLinked(link),
                    "\(link) held \(held)")
            }
        }
    }

    @Test("one flipped bit anywhere in a signed receipt makes it fail; in the signature it is badSignature")
    func flippedBits() throws {
        let signed = try Self.receipt().signed(by: Fixtures.dz)
        let roster = Fixtures.standardRoster
        for bit in 0..<(signed.count * 8) {
            var damaged = signed
            damaged[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            let error = Self.error { try AttachmentReceipt.verify(damaged, against: roster) }
            #expect(error != nil, "bit \(bit)")
            if bit / 8 >= 68 || (27 * 8..<67 * 8).contains(bit) {
                // The signature, the digest and the received-at: any value decodes; only the signature fails.
                #expect(error == .badSignature(recipient: Fixtures.dz.state), "bit \(bit)")
            }
        }
    }

    @Test("a signature by another member, or by a key the roster does not give the recipient, is badSignature")
    func otherSigners() throws {
        let receipt = Self.receipt()
        let bytes = receipt.canonicalBytes
        let roster = Fixtures.standardRoster
        for other in [Fixtures.ma, Fixtures.tn, Fixtures.xs, Fixtures.impostor] {
            #expect(
                Self.error {
                    try AttachmentReceipt.verify(bytes + other.signingKey.signature(for: bytes), against: roster)
                } == .badSignature(recipient: Fixtures.dz.state), "\(other.card.nodeName)")
        }
        // A node claiming DZ's state with keys of its own.
        let impostorDZ = try NodeIdentity(
            state: Fixtures.dz.state, nodeName: "dz-fake", endpoints: Fixtures.dz.card.endpoints)
        #expect(
            Self.error { try AttachmentReceipt.verify(try receipt.signed(by: impostorDZ), against: roster) }
                == .badSignature(recipient: Fixtures.dz.state))
        // DZ's signature over another receipt (another number) does not carry over.
        let other = try Self.receipt(number: 2).signed(by: Fixtures.dz)
        #expect(
            Self.error { try AttachmentReceipt.verify(bytes + Array(other.suffix(64)), against: roster) }
                == .badSignature(recipient: Fixtures.dz.state))
        // An all-zero signature.
        #expect(
            Self.error { try AttachmentReceipt.verify(bytes + [UInt8](repeating: 0, count: 64), against: roster) }
                == .badSignature(recipient: Fixtures.dz.state))
    }

    @Test("only the recipient's node can sign: another state's node is signerIsNotRecipient")
    func signerIsNotRecipient() {
        let receipt = Self.receipt()
        for signer in [Fixtures.ma, Fixtures.tn, Fixtures.ly] {
            #expect(
                Self.error { try receipt.signed(by: signer) }
                    == .signerIsNotRecipient(signer: signer.state, recipient: Fixtures.dz.state))
        }
        #expect(
            ReceiptError.signerIsNotRecipient(signer: Fixtures.ma.state, recipient: Fixtures.dz.state).description
                .contains("MA"))
    }

    @Test(
        "under roster-format-3.json, MA's rotated key verifies a receipt received before its until, not at or after it; the new key at both"
    )
    func rotatedKey() throws {
        let file = try VectorLoader.load(RosterVectorFile.self, "roster-format-3.json")
        let verifier = RosterVerifier(
            secretariatKey: try Ed25519.PublicKey(rawRepresentation: hex(file.secretariatKey)))
        let roster = try verifier.verify(
            SignedRoster(serializedBytes: hex(file.signedRosterHex)), now: Timestamp(millisecondsSinceEpoch: file.now))
        #expect(roster.format == 3)
        // MA's keys of identities.json, retired at `until`; MA-2 its node after the rotation.
        let old = try VectorLoader.identity("MA")
        let entry = try #require(file.retiredKeys?.first { $0.nodeLabel == "MA" && $0.revocation == nil })
        #expect(entry.signingKey == Hex.encode(old.card.signingKey.rawRepresentation))
        let node = try #require(file.nodes?.first { $0.label == "MA-2" })
        let new = try NodeIdentity(
            card: IdentityCard(canonicalBytes: hex(node.cardHex)),
            signingSeed: SecretBytes(copying: hex(node.signingSeed)),
            encryptionSecret: SecretBytes(copying: hex(node.encryptionSecret)),
            transportSecret: SecretBytes(copying: hex(node.transportSecret)))
        #expect(roster.member(new.state)?.card == new.card)
        // DZ's bulletin to MA: MA is the recipient that signs.
        let link = Link(origin: Fixtures.dz.state, recipient: Fixtures.ma.state)
        #expect(roster.isLinked(from: link.origin, to: link.recipient))
        let until = entry.until
        let before = [until - 1, until - 60_000, roster.issuedAt.millisecondsSinceEpoch]
        let after = [until, until + 1, until + 86_400_000]
        for time in before {
            let receipt = Self.receipt(link: link, receivedAt: Timestamp(millisecondsSinceEpoch: time))
            #expect(try AttachmentReceipt.verify(try receipt.signed(by: old), against: roster) == receipt, "\(time)")
        }
        for time in after {
            let receipt = Self.receipt(link: link, receivedAt: Timestamp(millisecondsSinceEpoch: time))
            #expect(
                Self.error { try AttachmentReceipt.verify(try receipt.signed(by: old), against: roster) }
                    == .badSignature(recipient: Fixtures.ma.state), "\(time)")
        }
        // The current card's key verifies whatever the time (a node may switch before `until`).
        for time in before + after {
            let receipt = Self.receipt(link: link, receivedAt: Timestamp(millisecondsSinceEpoch: time))
            #expect(try AttachmentReceipt.verify(try receipt.signed(by: new), against: roster) == receipt, "\(time)")
        }
        // Under roster.json, which has no history, the old key is MA's current key: always valid,
        // and the new key is nothing.
        let plain = try VectorLoader.roster()
        let late = Self.receipt(link: link, receivedAt: Timestamp(millisecondsSinceEpoch: until + 1))
        #expect(try AttachmentReceipt.verify(try late.signed(by: old), against: plain) == late)
        #expect(
            Self.error { try AttachmentReceipt.verify(try late.signed(by: new), against: plain) }
                == .badSignature(recipient: Fixtures.ma.state))
    }

    // MARK: The digest

    @Test("a digest is 32 bytes: the SHA-256 of the file, lower-case hex as text and in JSON")
    func digest() throws {
        #expect(AttachmentDigest.byteCount == 32)
        #expect(Self.digest.bytes == SHA256.hash(Self.file))
        #expect(
            AttachmentDigest.of([]).description == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try AttachmentDigest(bytes: Self.digest.bytes) == Self.digest)
        for count in [0, 1, 31, 33, 64] {
            #expect(throws: FormatError.self, "\(count)") {
                try AttachmentDigest(bytes: [UInt8](repeating: 7, count: count))
            }
        }
        let json = try JSONEncoder().encode([Self.digest])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(Hex.encode(Self.digest.bytes))\"]")
        #expect(try JSONDecoder().decode([AttachmentDigest].self, from: json) == [Self.digest])
        let text = Self.digest.description
        for bad in ["", String(text.dropLast()), String(text.dropLast(2)), text + "00", "zz" + text.dropFirst(2)] {
            #expect(throws: DecodingError.self, "\(bad)") {
                try JSONDecoder().decode([AttachmentDigest].self, from: Data("[\"\(bad)\"]".utf8))
            }
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([AttachmentDigest].self, from: Data("[32]".utf8))
        }
    }
}
