import Audit
import Exchange
import Foundation
import GRDB
import Testing

/// Issue 13, defect 1: proofs and sizes come from nodes (a proof's index and sizes, a head's size),
/// so verification must answer for any `u64`, never trap. A seeded loop over 0, 1, 2^63, 2^64−1 and
/// their neighbours, with paths of every plausible length.
@Suite("Proof verification with extreme sizes")
struct ProofExtremeValueTests {
    static let sizes: [UInt64] = [0, 1, 2, 3, 4, 5, 7, 8, 1 << 32, (1 << 63) - 1, 1 << 63, (1 << 63) + 1, UInt64.max - 1, UInt64.max]

    /// SplitMix64, seeded: the same cases on every run.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("inclusion and consistency verification answer (accept or refuse) for every pair of extreme sizes")
    func extremeSizes() throws {
        var generator = Generator(state: 13)
        let leaf = MerkleHasher.leafHash([1, 2, 3])
        let hashes = (0..<70).map { MerkleHasher.leafHash([UInt8($0)]) }
        var refused = 0
        for first in Self.sizes {
            for second in Self.sizes {
                #expect(MerkleProofVerifier.expectedInclusionPathCount(leafIndex: first, treeSize: second) <= 64)
                #expect(MerkleProofVerifier.expectedConsistencyPathCount(firstSize: first, secondSize: second) <= 130)
                for _ in 0..<4 {
                    let path = Array(hashes.prefix(Int.random(in: 0...hashes.count, using: &generator)))
                    do {
                        try InclusionProof(leafIndex: first, treeSize: second, path: path).verify(leafHash: leaf, root: leaf)
                    } catch {
                        refused += 1
                    }
                    do {
                        try ConsistencyProof(firstSize: first, secondSize: second, path: path).verify(firstRoot: leaf, secondRoot: hashes[0])
                    } catch {
                        refused += 1
                    }
                    // The bytes round trip whatever the numbers.
                    let proof = InclusionProof(leafIndex: first, treeSize: second, path: path)
                    #expect(try InclusionProof(canonicalBytes: proof.canonicalBytes) == proof)
                }
            }
        }
        #expect(refused > 0)
        #expect(MerkleProofVerifier.expectedInclusionPathCount(leafIndex: 0, treeSize: 0) == 0)
        #expect(MerkleProofVerifier.expectedConsistencyPathCount(firstSize: 0, secondSize: 0) == 0)
        #expect(MerkleProofVerifier.expectedConsistencyPathCount(firstSize: 5, secondSize: 3) == 0)
    }

    @Test("audit verify answers, never traps, when a log holds two signed heads of one size with different roots")
    func verifyTwoHistoriesOfOneSize() throws {
        let directory = try AuditFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let identity = try AuditFixtures.morocco()
        let log = try AuditLog(path: directory.appendingPathComponent("audit.sqlite").path, state: identity.state)
        try log.append([.nodeStarted(softwareVersion: "0.13.0"), .nodeStopped], at: AuditFixtures.base)
        _ = try log.treeHead(signedBy: identity, at: AuditFixtures.base)
        for size: UInt64 in [2, 0] {
            let other = try TreeHead(
                state: identity.state, signingKey: identity.signingKey.publicKey, treeSize: size, timestamp: AuditFixtures.base,
                rootHash: MerkleHasher.leafHash([9])
            ).signed(by: identity)
            let database = try DatabaseQueue(path: log.path)
            try database.write { db in
                try db.execute(
                    sql: "INSERT INTO tree_head (tree_size, signed_bytes) VALUES (?, ?)", arguments: [Int64(size), Data(other.serializedBytes)])
            }
            try database.close()
            do {
                try log.verify()
                Issue.record("a second history of size \(size) was not found")
            } catch {
                guard case .treeHeadRootMismatch(let treeSize, _) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(treeSize == size && !error.description.isEmpty)
            }
        }
    }
}
