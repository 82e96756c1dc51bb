import Exchange
import Foundation
import Sodium

/// The keys, roster and time of Tests/Vectors, read once from this checkout (located through
/// `#filePath`, as the test targets do), so that a target can re-sign what the fuzzer mutated and
/// reach the checks behind the signature. Fixed keys keep every run reproducible.
public struct FuzzVectors: @unchecked Sendable {
    /// A node of identities.json with its secrets.
    public struct Node: Sendable {
        public let label: String
        public let card: IdentityCard
        public let signingKey: Ed25519.PrivateKey
        public let encryptionKey: X25519.PrivateKey
    }

    /// The root of the checkout (the folder holding Package.swift, Tests/ and Schemas/).
    public let repository: URL
    /// Every node of identities.json, by label (`MA`, `DZ`, …, `impostor-MA`).
    public let nodes: [String: Node]
    /// The vector roster, verified at ``now``.
    public let roster: Roster
    /// Its signed bytes (roster.json `signedRosterHex`).
    public let signedRosterBytes: [UInt8]
    /// The secretariat's roster key.
    public let secretariatKey: Ed25519.PrivateKey
    /// The "current time" of every vector.
    public let now: Timestamp

    /// The node of the roster that speaks for `state` (never the impostor).
    public func member(_ state: StateCode) -> Node? {
        nodes[state.description].flatMap { $0.card.state == state ? $0 : nil }
    }

    public static let shared: FuzzVectors = {
        do {
            return try FuzzVectors()
        } catch {
            fatalError("FuzzSupport cannot load Tests/Vectors: \(error)")
        }
    }()

    private init() throws {
        repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let vectors = repository.appendingPathComponent("Tests/Vectors")
        func object(_ name: String) throws -> [String: Any] {
            let data = try Data(contentsOf: vectors.appendingPathComponent(name))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw FuzzVectorError.malformed(name)
            }
            return object
        }
        func hex(_ object: [String: Any], _ key: String) throws -> [UInt8] {
            guard let text = object[key] as? String else { throw FuzzVectorError.missing(key) }
            return try Hex.decode(text)
        }

        var nodes: [String: Node] = [:]
        for case let node as [String: Any] in try object("identities.json")["nodes"] as? [Any] ?? [] {
            guard let label = node["label"] as? String else { throw FuzzVectorError.missing("label") }
            nodes[label] = Node(
                label: label,
                card: try IdentityCard(canonicalBytes: try hex(node, "cardHex")),
                signingKey: try Ed25519.PrivateKey(seed: SecretBytes(copying: try hex(node, "signingSeed"))),
                encryptionKey: try X25519.PrivateKey(
                    rawRepresentation: SecretBytes(copying: try hex(node, "encryptionSecret"))))
        }
        self.nodes = nodes

        let rosterVector = try object("roster.json")
        guard let nowMilliseconds = rosterVector["now"] as? NSNumber else { throw FuzzVectorError.missing("now") }
        now = Timestamp(millisecondsSinceEpoch: nowMilliseconds.uint64Value)
        secretariatKey = try Ed25519.PrivateKey(seed: SecretBytes(copying: try hex(rosterVector, "secretariatSeed")))
        signedRosterBytes = try hex(rosterVector, "signedRosterHex")
        roster = try RosterVerifier(secretariatKey: secretariatKey.publicKey)
            .verify(SignedRoster(serializedBytes: signedRosterBytes), now: now)
    }
}

enum FuzzVectorError: Error {
    case malformed(String)
    case missing(String)
}
