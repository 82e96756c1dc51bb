import Audit
import Sodium
import Testing

/// The reference vectors of RFC 6962's reference implementation as published in
/// transparency-dev/merkle (`proof/verify_test.go`, `rfc6962/rfc6962_test.go`): the 8-leaf tree,
/// its roots for sizes 1…8, and its inclusion and consistency proofs. Every number was also
/// recomputed by an independent implementation of the RFC's definitions before being written here.
@Suite("RFC 6962/9162 reference vectors")
struct RFC6962VectorTests {
    static let leaves: [[UInt8]] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map(hex)

    static let roots: [MerkleHash] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map(merkle)

    /// (0-based leaf index, tree size, path) — the published vectors use 1-based leaves.
    static let inclusionProofs: [(index: UInt64, size: UInt64, path: [MerkleHash])] = [
        (0, 1, []),
        (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"].map(merkle)),
        (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"].map(merkle)),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"].map(merkle)),
        (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"].map(merkle)),
    ]

    static let consistencyProofs: [(first: UInt64, second: UInt64, path: [MerkleHash])] = [
        (1, 1, []),
        (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"].map(merkle)),
        (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"].map(merkle)),
        (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"].map(merkle)),
        (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"].map(merkle)),
    ]

    static var tree: MerkleTree { MerkleTree(leafHashes: leaves.map(MerkleHasher.leafHash)) }

    @Test("hasher: empty root, empty leaf, leaf L123456, node N123 N456 (rfc6962_test.go)")
    func hasher() {
        #expect(MerkleHasher.emptyRoot == merkle("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        #expect(MerkleHasher.leafHash([]) == merkle("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"))
        #expect(MerkleHasher.leafHash(Array("L123456".utf8)) == merkle("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"))
        // HashChildren("N123", "N456") = SHA-256(01 ‖ "N123" ‖ "N456").
        #expect(SHA256.hash([0x01] + Array("N123N456".utf8)) == hex("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"))
        let left = MerkleHasher.leafHash(Array("Hello".utf8))
        let right = MerkleHasher.leafHash(Array("World".utf8))
        #expect(MerkleHasher.nodeHash(left, right) != MerkleHasher.nodeHash(right, left))
        #expect(MerkleHasher.nodeHash(left, right) != MerkleHasher.leafHash(left.bytes + right.bytes))
    }

    @Test("roots of sizes 0…8 of the reference tree")
    func roots() throws {
        let tree = Self.tree
        #expect(tree.size == 8)
        #expect(try tree.root(at: 0) == MerkleHasher.emptyRoot)
        for size in 1...8 {
            #expect(try tree.root(at: UInt64(size)) == Self.roots[size - 1], "size \(size)")
            #expect(MerkleTree(leafHashes: Self.leaves.prefix(size).map(MerkleHasher.leafHash)).root == Self.roots[size - 1])
        }
        #expect(tree.root == merkle("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"))
        #expect(throws: MerkleProofError.treeSizeTooLarge(requested: 9, available: 8)) { try tree.root(at: 9) }
    }

    @Test("published inclusion proofs: generated identically, verified, and every corruption refused")
    func inclusion() throws {
        let tree = Self.tree
        for vector in Self.inclusionProofs {
            let proof = try tree.inclusionProof(leafIndex: vector.index, treeSize: vector.size)
            #expect(proof.path == vector.path, "leaf \(vector.index) of \(vector.size)")
            let leafHash = MerkleHasher.leafHash(Self.leaves[Int(vector.index)])
            let root = Self.roots[Int(vector.size) - 1]
            try proof.verify(leafHash: leafHash, root: root)
            #expect(try MerkleProofVerifier.rootFromInclusionProof(
                leafIndex: vector.index, treeSize: vector.size, leafHash: leafHash, path: vector.path) == root)
            // The probes of transparency-dev's corruptInclusionProof.
            var probes: [(UInt64, UInt64, MerkleHash, MerkleHash, [MerkleHash], String)] = [
                (vector.index &- 1, vector.size, leafHash, root, vector.path, "index − 1"),
                (vector.index + 1, vector.size, leafHash, root, vector.path, "index + 1"),
                (vector.index ^ 2, vector.size, leafHash, root, vector.path, "index ^ 2"),
                (vector.index, vector.size * 2, leafHash, root, vector.path, "size × 2"),
                (vector.index, vector.size / 2, leafHash, root, vector.path, "size / 2"),
                (vector.index, vector.size, MerkleHasher.leafHash(Array("WrongLeaf".utf8)), root, vector.path, "wrong leaf"),
                (vector.index, vector.size, leafHash, MerkleHasher.emptyRoot, vector.path, "empty root"),
                (vector.index, vector.size, leafHash, merkle("abacaba000000000000000000000000000000000000000000060061e00123456"), vector.path, "random root"),
                (vector.index, vector.size, leafHash, root, vector.path + [root], "trailing root"),
                (vector.index, vector.size, leafHash, root, [root] + vector.path, "preceding root"),
            ]
            for (position, element) in vector.path.enumerated() {
                var path = vector.path
                path[position] = flipped(element, byte: 0, bit: 3)
                probes.append((vector.index, vector.size, leafHash, root, path, "proof[\(position)] bit 3"))
            }
            if !vector.path.isEmpty {
                probes.append((vector.index, vector.size, leafHash, root, Array(vector.path.dropLast()), "removed component"))
            }
            for (index, size, leaf, probeRoot, path, desc) in probes {
                #expect(throws: MerkleProofError.self, "\(desc) of leaf \(vector.index) in \(vector.size)") {
                    try MerkleProofVerifier.verifyInclusion(leafIndex: index, treeSize: size, leafHash: leaf, path: path, root: probeRoot)
                }
            }
        }
    }

    @Test("published consistency proofs: generated identically, verified, and every corruption refused")
    func consistency() throws {
        let tree = Self.tree
        for vector in Self.consistencyProofs {
            let proof = try tree.consistencyProof(from: vector.first, to: vector.second)
            #expect(proof.path == vector.path, "\(vector.first) → \(vector.second)")
            let first = Self.roots[Int(vector.first) - 1]
            let second = Self.roots[Int(vector.second) - 1]
            try proof.verify(firstRoot: first, secondRoot: second)
            guard !vector.path.isEmpty else { continue }
            var probes: [(UInt64, UInt64, MerkleHash, MerkleHash, [MerkleHash], String)] = [
                (vector.first - 1, vector.second, first, second, vector.path, "first − 1"),
                (vector.first + 1, vector.second, first, second, vector.path, "first + 1"),
                (vector.first ^ 2, vector.second, first, second, vector.path, "first ^ 2"),
                (vector.first, vector.second * 2, first, second, vector.path, "second × 2"),
                (vector.first, vector.second / 2, first, second, vector.path, "second / 2"),
                (vector.first, vector.second, MerkleHasher.emptyRoot, second, vector.path, "wrong first root"),
                (vector.first, vector.second, first, MerkleHasher.emptyRoot, vector.path, "wrong second root"),
                (vector.first, vector.second, second, first, vector.path, "swapped roots"),
                (vector.first, vector.second, first, second, [], "empty proof"),
                (vector.first, vector.second, first, second, vector.path + [first], "trailing first root"),
                (vector.first, vector.second, first, second, vector.path + [second], "trailing second root"),
                (vector.first, vector.second, first, second, [first] + vector.path, "preceding first root"),
                (vector.first, vector.second, first, second, [second] + vector.path, "preceding second root"),
                (vector.first, vector.second, first, second, [vector.path[0]] + vector.path, "preceding proof[0]"),
                (vector.first, vector.second, first, second, Array(vector.path.dropLast()), "truncated proof"),
            ]
            for (position, element) in vector.path.enumerated() {
                var path = vector.path
                path[position] = flipped(element, byte: 0, bit: 4)
                probes.append((vector.first, vector.second, first, second, path, "proof[\(position)] bit 4"))
            }
            for (firstSize, secondSize, firstRoot, secondRoot, path, desc) in probes {
                #expect(throws: MerkleProofError.self, "\(desc) of \(vector.first) → \(vector.second)") {
                    try MerkleProofVerifier.verifyConsistency(
                        firstSize: firstSize, secondSize: secondSize, firstRoot: firstRoot, secondRoot: secondRoot, path: path)
                }
            }
        }
    }

    @Test("consistency edge cases of transparency-dev's TestVerifyConsistency")
    func consistencyEdgeCases() {
        let one = merkle("abacaba000000000000000000000000000000000000000000060061e00123456")
        let two = MerkleHasher.emptyRoot
        func check(_ first: UInt64, _ second: UInt64, _ rootA: MerkleHash, _ rootB: MerkleHash, _ path: [MerkleHash]) -> Bool {
            (try? MerkleProofVerifier.verifyConsistency(firstSize: first, secondSize: second, firstRoot: rootA, secondRoot: rootB, path: path)) != nil
        }
        #expect(!check(0, 0, one, two, []))
        #expect(!check(1, 1, one, two, []))
        #expect(check(0, 0, one, one, []))
        #expect(check(0, 1, one, two, []))
        #expect(check(1, 1, two, two, []))
        #expect(!check(1, 0, one, two, []))
        #expect(!check(2, 1, one, two, []))
        #expect(!check(1, 2, one, two, []))
        #expect(!check(0, 0, two, two, [two]))
        #expect(!check(0, 1, two, two, [two]))
        #expect(!check(1, 1, two, two, [two]))
    }

    @Test("inclusion edge cases: no leaf in an empty tree, none beyond the size")
    func inclusionEdgeCases() {
        let leaf = MerkleHasher.leafHash(Array("data".utf8))
        #expect(throws: Never.self) { try MerkleProofVerifier.verifyInclusion(leafIndex: 0, treeSize: 1, leafHash: leaf, path: [], root: leaf) }
        for (index, size) in [(UInt64(0), UInt64(0)), (1, 0), (2, 1), (1, 1)] {
            #expect(throws: MerkleProofError.indexOutOfRange(index: index, treeSize: size)) {
                try MerkleProofVerifier.verifyInclusion(leafIndex: index, treeSize: size, leafHash: leaf, path: [], root: leaf)
            }
        }
        #expect(throws: MerkleProofError.rootMismatch(expected: MerkleHasher.emptyRoot, calculated: leaf)) {
            try MerkleProofVerifier.verifyInclusion(leafIndex: 0, treeSize: 1, leafHash: leaf, path: [], root: MerkleHasher.emptyRoot)
        }
    }
}
