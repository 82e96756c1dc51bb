import BulletinSchema
import Exchange
import Foundation
import Sodium
import Testing

@testable import AuditCollection
@testable import Node

/// The node's own encoders and decoders against the committed vectors of docs/PROTOCOL.md §16
/// (Tests/Vectors/transport.json, built from the chapter by Tests/ExchangeTests/VectorGenerator)
/// and the bulletin checks of §8 step 10 (Tests/Vectors/bulletins.json), which ExchangeTests
/// cannot run: they need the schemas.
@Suite("Transport and bulletin vectors against the node")
struct TransportVectorTests {
    // The few fields of the vector files these tests read (the full shapes are in
    // Tests/ExchangeTests/VectorFormat.swift and Tests/Vectors/README.md).
    struct TransportFile: Decodable {
        struct Message: Decodable {
            let desc: String
            let message: String
            let framesHex: [String]
            let topic: String?
            let kind: String?
            let latest: UInt64?
            let acknowledged: UInt64?
            let after: UInt64?
            let arguments: [UInt64]?
            let text: String?
        }
        let messages: [Message]
    }

    struct EnvelopeFields: Decodable {
        let origin: String
        let recipient: String
        let sequence: UInt64
        let envelopeHex: String
    }

    struct BulletinFile: Decodable {
        struct Item: Decodable {
            struct Want: Decodable {
                let status: String
                let code: UInt16
                let reason: String
            }
            let desc: String
            let envelope: EnvelopeFields
            let want: Want
        }
        let envelopes: [Item]
    }

    struct IdentityFile: Decodable {
        struct Node: Decodable {
            let label: String
            let cardHex: String
            let signingSeed: String
            let encryptionSecret: String
            let transportSecret: String
        }
        let nodes: [Node]
    }

    struct RosterFile: Decodable {
        let secretariatKey: String
        let signedRosterHex: String
        let now: UInt64
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func load<Value: Decodable>(_ type: Value.Type, _ name: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(contentsOf: repository.appendingPathComponent("Tests/Vectors/\(name)")))
    }

    static func bytes(_ hex: String) throws -> [UInt8] { try Hex.decode(hex) }

    static func number(_ value: UInt64) -> [UInt8] { WireFrames.encode(value) }

    @Test("every frame of transport.json is what the node's encoder writes and reads back")
    func framesMatchTheNodeEncoder() throws {
        let file = try Self.load(TransportFile.self, "transport.json")
        #expect(file.messages.count >= 10)
        for vector in file.messages {
            let frames = try vector.framesHex.map(Self.bytes)
            switch vector.message {
            case "subscription":
                // libzmq writes this frame when a SUB subscribes; the node's XPUB reads it.
                let state = try StateCode(try #require(vector.topic))
                #expect(frames == [[1] + WireFrames.topic(state)], "\(vector.desc)")
            case "envelope":
                let state = try StateCode(try #require(vector.topic))
                #expect(frames.count == 3)
                #expect(Array(frames.prefix(2)) == [WireFrames.topic(state), WireFrames.envelopeKind], "\(vector.desc)")
                #expect(vector.kind == "E")
                _ = try Envelope(bytes: frames[2])
            case "heartbeat":
                let state = try StateCode(try #require(vector.topic))
                let latest = try #require(vector.latest)
                let acknowledged = try #require(vector.acknowledged)
                #expect(
                    frames == [WireFrames.topic(state), WireFrames.heartbeatKind, WireFrames.encodeHeartbeat(latest: latest, acknowledged: acknowledged)],
                    "\(vector.desc)")
                let decoded = try #require(WireFrames.decodeHeartbeat(frames[2]))
                #expect(decoded.latest == latest && decoded.acknowledged == acknowledged)
            case "replay":
                let after = try #require(vector.after)
                #expect(frames == [WireFrames.replayVerb, Self.number(after)], "\(vector.desc)")
                #expect(WireFrames.decodeUInt64(frames[1]) == after)
            case "envelopes":
                let latest = try #require(vector.latest)
                #expect(Array(frames.prefix(2)) == [WireFrames.envelopesVerb, Self.number(latest)], "\(vector.desc)")
                #expect(WireFrames.decodeUInt64(frames[1]) == latest)
                for envelope in frames.dropFirst(2) { _ = try Envelope(bytes: envelope) }
            case "receipt":
                #expect(frames.count == 2 && frames[0] == WireFrames.receiptVerb, "\(vector.desc)")
                _ = try SignedReceipt(serializedBytes: frames[1])
            case "audit-refused":
                #expect(frames == [AuditWire.refusedVerb, Array((vector.text ?? "").utf8)], "\(vector.desc)")
            default:
                let verbs = [AuditWire.headVerb, AuditWire.consistencyVerb, AuditWire.inclusionVerb, AuditWire.entriesVerb]
                #expect(verbs.contains(frames[0]) && frames[0].starts(with: WireFrames.auditVerbPrefix), "\(vector.desc)")
                #expect(frames == [frames[0]] + (vector.arguments ?? []).map(Self.number))
                #expect(frames.dropFirst().map(AuditWire.decode) == (vector.arguments ?? []).map { Optional($0) })
            }
        }
        // What the node refuses as malformed: a heartbeat payload of any other length.
        #expect(WireFrames.decodeHeartbeat([UInt8](repeating: 0, count: 15)) == nil)
        #expect(WireFrames.decodeHeartbeat([UInt8](repeating: 0, count: 17)) == nil)
        #expect(WireFrames.decodeUInt64([UInt8](repeating: 0, count: 4)) == nil)
    }

    @Test("bulletins.json: the node accepts the valid bulletins and refuses the others with 500, in chain order")
    func bulletinChecks() throws {
        let identities = try Self.load(IdentityFile.self, "identities.json")
        let rosterFile = try Self.load(RosterFile.self, "roster.json")
        let roster = try RosterVerifier(secretariatKey: Ed25519.PublicKey(rawRepresentation: Self.bytes(rosterFile.secretariatKey)))
            .verify(SignedRoster(serializedBytes: Self.bytes(rosterFile.signedRosterHex)), now: Timestamp(millisecondsSinceEpoch: rosterFile.now))
        let catalog = try SchemaCatalog.load(from: Self.repository.appendingPathComponent("Schemas"))
        func identity(_ label: String) throws -> NodeIdentity {
            let node = try #require(identities.nodes.first { $0.label == label })
            return try NodeIdentity(
                card: IdentityCard(canonicalBytes: Self.bytes(node.cardHex)),
                signingSeed: SecretBytes(copying: Self.bytes(node.signingSeed)),
                encryptionSecret: SecretBytes(copying: Self.bytes(node.encryptionSecret)),
                transportSecret: SecretBytes(copying: Self.bytes(node.transportSecret)))
        }

        let file = try Self.load(BulletinFile.self, "bulletins.json")
        var positions: [String: ChainPosition] = [:]
        for item in file.envelopes {
            let recipient = try identity(item.envelope.recipient)
            let link = "\(item.envelope.origin)→\(item.envelope.recipient)"
            let opener = EnvelopeOpener(recipient: recipient.state, roster: roster)
            let verified = try opener.verify(Self.bytes(item.envelope.envelopeHex), after: positions[link] ?? .start)
            let (bulletin, status, refusal) = NodeEngine.decryptAndCheck(
                verified, key: recipient.encryptionKey, catalog: catalog, storedAt: .now)
            #expect(status.code == Int(item.want.code), "\(item.desc): \(refusal ?? "accepted")")
            #expect((bulletin != nil) == (item.want.status == "accepted"), "\(item.desc)")
            if let bulletin {
                #expect(bulletin.reference.description.hasPrefix(item.envelope.origin + "-"))
            }
            // A header mismatch is refused for that field, a schema failure for the schema.
            if item.want.reason.contains("differs from the header") {
                let field = item.want.reason.contains("body's tlp") ? "tlp" : "schemaVersion"
                #expect((refusal ?? "").contains("bulletin's \(field) "), "\(item.desc): \(refusal ?? "")")
            }
            if item.want.reason.contains("fails the bulletin schema") {
                #expect(!(refusal ?? "does not match").contains("does not match its envelope header"), "\(item.desc)")
            }
            // Accepted or refused, a verified envelope takes its place in the chain (§8).
            positions[link] = verified.position
        }
        #expect(file.envelopes.contains { $0.want.code == RejectionReason.invalidBulletin.rawValue })
    }
}
