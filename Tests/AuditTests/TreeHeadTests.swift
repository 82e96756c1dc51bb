import Audit
import Exchange
import Foundation
import Sodium
import Testing

@Suite("Signed tree heads")
struct TreeHeadTests {
    static func head(size: UInt64 = 8, root: MerkleHash = RFC6962VectorTests.roots[7]) throws -> TreeHead {
        let identity = try AuditFixtures.morocco()
        return TreeHead(state: identity.state, signingKey: identity.signingKey.publicKey, treeSize: size, timestamp: AuditFixtures.base, rootHash: root)
    }

    @Test("sign, serialize (151 bytes, BNTH 01), decode and verify against the node's card")
    func signAndVerify() throws {
        let identity = try AuditFixtures.morocco()
        let signed = try Self.head().signed(by: identity)
        let bytes = signed.serializedBytes
        #expect(bytes.count == SignedTreeHead.byteCount)
        #expect(bytes.count == 151)
        #expect(Array(bytes.prefix(5)) == Array("BNTH".utf8) + [1])
        let decoded = try SignedTreeHead(serializedBytes: bytes)
        #expect(decoded == signed)
        try decoded.verify(card: identity.card)
        #expect(decoded.hasValidSignature)
        #expect(try TreeHead(canonicalBytes: signed.head.canonicalBytes) == signed.head)
    }

    @Test("any flipped byte of a signed head fails: decoding, the key check or the signature")
    func tampering() throws {
        let identity = try AuditFixtures.morocco()
        let bytes = try Self.head().signed(by: identity).serializedBytes
        for offset in bytes.indices {
            var damaged = bytes
            damaged[offset] ^= 0x01
            let accepted = (try? SignedTreeHead(serializedBytes: damaged)).map { (try? $0.verify(card: identity.card)) != nil } ?? false
            #expect(!accepted, "byte \(offset)")
        }
        for cut in 0..<bytes.count {
            #expect(throws: FormatError.self) { try SignedTreeHead(serializedBytes: Array(bytes.prefix(cut))) }
        }
        #expect(throws: FormatError.self) { try SignedTreeHead(serializedBytes: bytes + [0]) }
    }

    @Test("a head checked against another node's card, or signed by the wrong identity, is refused")
    func wrongNode() throws {
        let morocco = try AuditFixtures.morocco()
        let algeria = try AuditFixtures.algeria()
        let signed = try Self.head().signed(by: morocco)
        #expect(throws: TreeHeadError.stateMismatch(head: state("MA"), card: state("DZ"))) { try signed.verify(card: algeria.card) }
        #expect(throws: TreeHeadError.keyMismatch(state: state("MA"))) { try Self.head().signed(by: algeria) }
        // A head naming DZ's key but claiming MA, signed with DZ's key: the key is not MA's.
        let forged = SignedTreeHead(
            head: TreeHead(state: state("MA"), signingKey: algeria.signingKey.publicKey, treeSize: 8, timestamp: AuditFixtures.base,
                           rootHash: RFC6962VectorTests.roots[7]),
            signature: [])
        #expect(throws: TreeHeadError.keyMismatch(state: state("MA"))) { try forged.verify(card: morocco.card) }
        let badSignature = SignedTreeHead(head: signed.head, signature: algeria.signingKey.signature(for: signed.head.canonicalBytes))
        #expect(throws: TreeHeadError.badSignature(state: state("MA"), treeSize: 8)) { try badSignature.verify(card: morocco.card) }
    }

    @Test("JSON round trip")
    func json() throws {
        let signed = try Self.head().signed(by: AuditFixtures.morocco())
        let data = try JSONEncoder().encode(signed)
        #expect(try JSONDecoder().decode(SignedTreeHead.self, from: data) == signed)
    }

    @Test("equivocation: two roots for one size; consistency between heads")
    func equivocationAndConsistency() throws {
        let tree = RFC6962VectorTests.tree
        let six = try Self.head(size: 6, root: tree.root(at: 6))
        let eight = try Self.head(size: 8, root: tree.root(at: 8))
        let forkedEight = try Self.head(size: 8, root: RFC6962VectorTests.roots[6])
        #expect(eight.equivocates(with: forkedEight))
        #expect(!eight.equivocates(with: eight))
        #expect(!six.equivocates(with: eight))
        let proof = try tree.consistencyProof(from: 6, to: 8)
        try eight.verifyConsistency(from: six, proof: proof)
        #expect(throws: MerkleProofError.self) { try forkedEight.verifyConsistency(from: six, proof: proof) }
        #expect(throws: MerkleProofError.self) { try eight.verifyConsistency(from: six, proof: tree.consistencyProof(from: 5, to: 8)) }
    }
}
