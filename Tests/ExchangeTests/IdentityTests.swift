import Foundation
import Sodium
import Testing

@testable import Exchange

@Suite("Identity cards and node identities")
struct IdentityTests {
    @Test("a card round-trips through canonical bytes and JSON")
    func roundTrip() throws {
        let identity = try NodeIdentity(
            state: StateCode("NE"), nodeName: "ne-niamey-1 (Agadez relay)",
            endpoints: NodeEndpoints(publish: "tcp://10.0.0.7:7450", service: "tcp://[fd00::7]:7451"))
        let card = identity.card
        #expect(try IdentityCard(canonicalBytes: card.canonicalBytes) == card)
        let json = try JSONEncoder().encode(card)
        #expect(try JSONDecoder().decode(IdentityCard.self, from: json) == card)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(Hex.encode(card.signingKey.rawRepresentation)))
    }

    @Test("the card layout: tag, version, state, name, three keys, two endpoints")
    func layout() throws {
        let card = Fixtures.ma.card
        let bytes = card.canonicalBytes
        #expect(Array(bytes[0..<5]) == Array("BNIC".utf8) + [1])
        #expect(Array(bytes[5..<7]) == Array("MA".utf8))
        let nameLength = Int(bytes[7]) << 8 | Int(bytes[8])
        #expect(nameLength == card.nodeName.utf8.count)
        let keys = 9 + nameLength
        #expect(Array(bytes[keys..<(keys + 32)]) == card.signingKey.rawRepresentation)
        #expect(Array(bytes[(keys + 32)..<(keys + 64)]) == card.encryptionKey.rawRepresentation)
        #expect(Array(bytes[(keys + 64)..<(keys + 96)]) == card.transportKey.rawRepresentation)
        let endpoints = 2 + card.endpoints.publish.utf8.count + 2 + card.endpoints.service.utf8.count
        #expect(bytes.count == keys + 96 + endpoints)
    }

    @Test("invalid names, endpoints and shared keys are refused")
    func validation() throws {
        let ma = Fixtures.ma.card
        func card(name: String = "ok", publish: String = "tcp://a:1", transport: X25519.PublicKey? = nil) throws {
            _ = try IdentityCard(
                state: ma.state, nodeName: name, signingKey: ma.signingKey, encryptionKey: ma.encryptionKey,
                transportKey: transport ?? ma.transportKey,
                endpoints: NodeEndpoints(publish: publish, service: "tcp://a:2"))
        }
        #expect(throws: FormatError.self) { try card(name: "") }
        #expect(throws: FormatError.self) { try card(name: String(repeating: "x", count: 65)) }
        #expect(throws: FormatError.self) { try card(name: "line\nbreak") }
        #expect(throws: FormatError.self) { try card(publish: "tcp://a b:1") }
        #expect(throws: FormatError.self) { try card(publish: "localhost") }
        #expect(throws: FormatError.self) { try card(publish: "tcp://" + String(repeating: "h", count: 250)) }
        #expect(throws: FormatError.self) { try card(transport: ma.encryptionKey) }
        try card(name: String(repeating: "é", count: 32))  // 64 bytes of UTF-8
    }

    @Test("decoding refuses a wrong tag, an unknown format version, bad UTF-8 and trailing bytes")
    func decoding() {
        let bytes = Fixtures.ma.card.canonicalBytes
        var wrongTag = bytes
        wrongTag[0] = UInt8(ascii: "X")
        #expect(throws: FormatError.wrongTag(what: "identity card")) { try IdentityCard(canonicalBytes: wrongTag) }
        var version = bytes
        version[4] = 2
        #expect(throws: FormatError.unsupportedFormatVersion(what: "identity card", version: 2)) {
            try IdentityCard(canonicalBytes: version)
        }
        var badUTF8 = bytes
        badUTF8[9] = 0xFF
        #expect(throws: FormatError.invalidField(field: "node name", reason: "not valid UTF-8")) {
            try IdentityCard(canonicalBytes: badUTF8)
        }
        var lowerState = bytes
        lowerState[5] = UInt8(ascii: "m")
        #expect(throws: FormatError.self) { try IdentityCard(canonicalBytes: lowerState) }
        #expect(throws: FormatError.trailingBytes(what: "identity card", count: 2)) {
            try IdentityCard(canonicalBytes: bytes + [0, 0])
        }
    }

    @Test("an identity reloads from its stored secrets, and refuses secrets of another node")
    func reload() throws {
        let ma = Fixtures.ma
        let reloaded = try NodeIdentity(
            card: ma.card, signingSeed: ma.signingKey.seed, encryptionSecret: ma.encryptionKey.rawRepresentation,
            transportSecret: ma.transportKey.rawRepresentation)
        #expect(reloaded.card == ma.card)
        #expect(throws: IdentityError.keyDoesNotMatchCard(key: "encryption")) {
            try NodeIdentity(
                card: ma.card, signingSeed: ma.signingKey.seed, encryptionSecret: Fixtures.dz.encryptionKey.rawRepresentation,
                transportSecret: ma.transportKey.rawRepresentation)
        }
        #expect(throws: IdentityError.invalidSecret(.invalidLength(what: "Ed25519 seed", expected: 32, actual: 3))) {
            try NodeIdentity(
                card: ma.card, signingSeed: SecretBytes(copying: [1, 2, 3]),
                encryptionSecret: ma.encryptionKey.rawRepresentation, transportSecret: ma.transportKey.rawRepresentation)
        }
    }

    @Test("the three keys of a new identity are distinct")
    func distinctKeys() throws {
        let identity = try NodeIdentity(
            state: StateCode("TD"), nodeName: "td-ndjamena-1",
            endpoints: NodeEndpoints(publish: "tcp://td:7450", service: "tcp://td:7451"))
        #expect(identity.card.encryptionKey != identity.card.transportKey)
        #expect(identity.card.signingKey.rawRepresentation != identity.card.encryptionKey.rawRepresentation)
    }
}
