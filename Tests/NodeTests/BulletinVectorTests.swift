import BulletinSchema
import Exchange
import Foundation
import Sodium
import Testing

@testable import Node

/// The node's bulletin checks of docs/PROTOCOL.md §8 step 10 against Tests/Vectors/bulletins.json,
/// which ExchangeTests cannot run: they need the schemas. (The transport frames of §16 are
/// checked against the typed messages in Tests/WireTests/TransportVectorTests.swift.)
@Suite("Bulletin vectors against the node")
struct BulletinVectorTests {
    // The few fields of the vector files this test reads (the full shapes are in
    // Tests/ExchangeTests/VectorFormat.swift and Tests/Vectors/README.md).
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
                verified, keys: [recipient.encryptionKey], catalog: catalog, storedAt: .now)
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
