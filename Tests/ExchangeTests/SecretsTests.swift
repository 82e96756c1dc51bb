import Foundation
import Sodium
import Testing

@testable import Exchange

@Suite("Secrets never appear in descriptions, dumps or errors")
struct SecretsTests {
    static func secretHexes(_ identity: NodeIdentity) -> [String] {
        [
            Hex.encode(identity.signingKey.seed.exportedBytes()),
            Hex.encode(identity.encryptionKey.rawRepresentation.exportedBytes()),
            Hex.encode(identity.transportKey.rawRepresentation.exportedBytes()),
        ]
    }

    @Test("a node identity prints and dumps its public card only")
    func identity() {
        let identity = Fixtures.ma
        var dumped = ""
        dump(identity, to: &dumped)
        let texts = [
            "\(identity)", String(reflecting: identity), dumped, "\(identity.signingKey)", "\(identity.encryptionKey)",
            "\(identity.transportKey)",
        ]
        for text in texts {
            for secret in Self.secretHexes(identity) {
                #expect(!text.contains(secret))
                #expect(!text.contains(secret.prefix(16)))
            }
        }
        #expect("\(identity)".contains("ma-rabat-1"))
    }

    @Test("errors from a bad key file name lengths, not bytes")
    func errors() throws {
        let secret = SecretBytes(copying: Array(repeating: 0xAB, count: 31))
        do {
            _ = try NodeIdentity(
                card: Fixtures.ma.card, signingSeed: secret, encryptionSecret: secret, transportSecret: secret)
            Issue.record("a 31-byte seed loaded")
        } catch {
            #expect(!"\(error)".lowercased().contains("abab"))
            #expect("\(error)".contains("32"))
        }
    }

    @Test("opening errors and statistics name hashes and states, never the body or a key")
    func openingErrors() throws {
        let body = Array("SECRET-BODY-CONTENT".utf8)
        let envelope = try EnvelopeTests.seal(body)
        let opener = EnvelopeOpener(recipient: Fixtures.dz.state, roster: Fixtures.standardRoster)
        do {
            _ = try opener.open(envelope.bytes, after: .start, decryptingWith: Fixtures.tn.encryptionKey)
        } catch {
            let text = "\(error)"
            #expect(!text.contains("SECRET"))
            for secret in Self.secretHexes(Fixtures.tn) + Self.secretHexes(Fixtures.dz) { #expect(!text.contains(secret)) }
            #expect(text.hasPrefix("[400 decryptionFailed]"))
        }
    }
}
