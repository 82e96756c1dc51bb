import Audit
import Testing

/// For every tree of up to 64 leaves: the optimised tree agrees with the RFC's definitions written
/// literally, every proof it generates verifies, and flipping any byte of a proof or a root fails.
@Suite("Proofs for every size n ≤ 64 and every m ≤ n")
struct ProofPropertyTests {
    static let leaves: [[UInt8]] = (0..<64).map { Array("leaf \($0)".utf8) }
    static let tree = MerkleTree(leafHashes: leaves.map(MerkleHasher.leafHash))

    @Test("roots and proofs equal the RFC 9162 definitions (MTH, PATH, PROOF) computed naively")
    func matchesTheDefinitions() throws {
        for n in 0...64 {
            let slice = Self.leaves.prefix(n)
            #expect(try Self.tree.root(at: UInt64(n)).bytes == ReferenceMerkle.mth(slice), "root \(n)")
            for m in 0..<n {
                let proof = try Self.tree.inclusionProof(leafIndex: UInt64(m), treeSize: UInt64(n))
                #expect(proof.path.map(\.bytes) == ReferenceMerkle.path(m, slice), "PATH(\(m), D[\(n)])")
            }
            for m in 1..<max(n, 1) {
                let proof = try Self.tree.consistencyProof(from: UInt64(m), to: UInt64(n))
                #expect(proof.path.map(\.bytes) == ReferenceMerkle.subproof(m, slice, true), "PROOF(\(m), D[\(n)])")
            }
        }
    }

    @Test("every inclusion proof verifies; any flipped byte of the path or the root fails")
    func inclusion() throws {
        var checked = 0
        var accepted: [String] = []
        for n in UInt64(1)...64 {
            let root = try Self.tree.root(at: n)
            for index in 0..<n {
                let proof = try Self.tree.inclusionProof(leafIndex: index, treeSize: n)
                let leaf = try #require(Self.tree.leafHash(at: index))
                try proof.verify(leafHash: leaf, root: root)
                #expect(proof.path.count == MerkleProofVerifier.expectedInclusionPathCount(leafIndex: index, treeSize: n))
                for position in proof.path.indices {
                    for byte in 0..<32 {
                        var path = proof.path
                        path[position] = flipped(path[position], byte: byte, bit: byte % 8)
                        let damaged = InclusionProof(leafIndex: index, treeSize: n, path: path)
                        if (try? damaged.verify(leafHash: leaf, root: root)) != nil { accepted.append("\(index)/\(n) proof[\(position)] byte \(byte)") }
                        checked += 1
                    }
                }
                for byte in 0..<32 {
                    if (try? proof.verify(leafHash: leaf, root: flipped(root, byte: byte))) != nil { accepted.append("\(index)/\(n) root byte \(byte)") }
                    if (try? proof.verify(leafHash: flipped(leaf, byte: byte), root: root)) != nil { accepted.append("\(index)/\(n) leaf byte \(byte)") }
                }
                // The proof of another leaf, or of the same leaf in another size, does not fit.
                if n > 1 {
                    let other = InclusionProof(leafIndex: (index + 1) % n, treeSize: n, path: proof.path)
                    #expect(throws: MerkleProofError.self) { try other.verify(leafHash: leaf, root: root) }
                }
            }
        }
        #expect(accepted.isEmpty, "damaged proofs accepted: \(accepted.prefix(10))")
        #expect(checked > 50_000)
    }

    @Test("every consistency proof verifies; any flipped byte of the path or a root fails")
    func consistency() throws {
        var checked = 0
        var accepted: [String] = []
        for n in UInt64(0)...64 {
            let second = try Self.tree.root(at: n)
            for m in 0...n {
                let first = try Self.tree.root(at: m)
                let proof = try Self.tree.consistencyProof(from: m, to: n)
                try proof.verify(firstRoot: first, secondRoot: second)
                if m > 0 && m < n {
                    #expect(proof.path.count == MerkleProofVerifier.expectedConsistencyPathCount(firstSize: m, secondSize: n))
                }
                for position in proof.path.indices {
                    for byte in 0..<32 {
                        var path = proof.path
                        path[position] = flipped(path[position], byte: byte, bit: byte % 8)
                        let damaged = ConsistencyProof(firstSize: m, secondSize: n, path: path)
                        if (try? damaged.verify(firstRoot: first, secondRoot: second)) != nil { accepted.append("\(m) → \(n) proof[\(position)] byte \(byte)") }
                        checked += 1
                    }
                }
                // The empty tree is a prefix of every tree: no root of size 0 is checked.
                guard m > 0 else { continue }
                for byte in 0..<32 {
                    if (try? proof.verify(firstRoot: flipped(first, byte: byte), secondRoot: second)) != nil { accepted.append("\(m) → \(n) first root byte \(byte)") }
                    if (try? proof.verify(firstRoot: first, secondRoot: flipped(second, byte: byte))) != nil { accepted.append("\(m) → \(n) second root byte \(byte)") }
                }
            }
        }
        #expect(accepted.isEmpty, "damaged proofs accepted: \(accepted.prefix(10))")
        #expect(checked > 50_000)
    }

    @Test("proofs beyond the tree or with sizes out of order are refused, not made up")
    func refusals() {
        #expect(throws: MerkleProofError.treeSizeTooLarge(requested: 65, available: 64)) {
            try Self.tree.inclusionProof(leafIndex: 0, treeSize: 65)
        }
        #expect(throws: MerkleProofError.indexOutOfRange(index: 10, treeSize: 10)) {
            try Self.tree.inclusionProof(leafIndex: 10, treeSize: 10)
        }
        #expect(throws: MerkleProofError.sizesOutOfOrder(first: 5, second: 4)) {
            try Self.tree.consistencyProof(from: 5, to: 4)
        }
        #expect(throws: MerkleProofError.treeSizeTooLarge(requested: 70, available: 64)) {
            try Self.tree.consistencyProof(from: 5, to: 70)
        }
    }

    @Test("proof bytes: round trip, and every truncation or trailing byte is refused")
    func proofBytes() throws {
        let inclusion = try Self.tree.inclusionProof(leafIndex: 13, treeSize: 50)
        let consistency = try Self.tree.consistencyProof(from: 13, to: 50)
        #expect(try InclusionProof(canonicalBytes: inclusion.canonicalBytes) == inclusion)
        #expect(try ConsistencyProof(canonicalBytes: consistency.canonicalBytes) == consistency)
        for cut in 0..<inclusion.canonicalBytes.count {
            #expect(throws: (any Error).self) { try InclusionProof(canonicalBytes: Array(inclusion.canonicalBytes.prefix(cut))) }
        }
        for cut in 0..<consistency.canonicalBytes.count {
            #expect(throws: (any Error).self) { try ConsistencyProof(canonicalBytes: Array(consistency.canonicalBytes.prefix(cut))) }
        }
        #expect(throws: (any Error).self) { try InclusionProof(canonicalBytes: inclusion.canonicalBytes + [0]) }
        #expect(throws: (any Error).self) { try ConsistencyProof(canonicalBytes: consistency.canonicalBytes + [0]) }
        #expect(throws: (any Error).self) { try ConsistencyProof(canonicalBytes: inclusion.canonicalBytes) }
    }

    @Test("a large tree: 200 000 leaves, proofs at several sizes verify (figures, not timings)")
    func largeTree() throws {
        var tree = MerkleTree()
        var leaves: [MerkleHash] = []
        for index in 0..<200_000 {
            let leaf = MerkleHasher.leafHash(Array("entry \(index)".utf8))
            leaves.append(leaf)
            tree.append(leafHash: leaf)
        }
        #expect(tree.size == 200_000)
        for (index, size) in [(UInt64(0), UInt64(200_000)), (131_071, 131_073), (199_999, 200_000), (77_777, 150_001)] {
            let proof = try tree.inclusionProof(leafIndex: index, treeSize: size)
            try proof.verify(leafHash: leaves[Int(index)], root: tree.root(at: size))
        }
        for (first, second) in [(UInt64(1), UInt64(200_000)), (65_536, 200_000), (123_457, 199_999)] {
            try tree.consistencyProof(from: first, to: second).verify(firstRoot: tree.root(at: first), secondRoot: tree.root(at: second))
        }
    }
}
