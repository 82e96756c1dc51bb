import Foundation
import Testing

@testable import Audit

/// A tree that keeps only its upper levels (what the audit log holds, so that a node's memory does
/// not grow with its history) must answer every root and proof exactly as the tree that keeps
/// everything, and must never build one from leaf hashes that changed behind it.
@Suite("A Merkle tree retaining only its upper levels")
struct RetainedTreeTests {
    /// Leaf hashes of `count` entries, and a reader over them that counts its reads.
    final class Leaves: @unchecked Sendable {
        var hashes: [MerkleHash]
        var reads = 0
        var failure: (any Error)?

        init(count: Int) {
            hashes = (0..<count).map { MerkleHasher.leafHash(Array("entry \($0)".utf8)) }
        }

        func read(_ range: Range<UInt64>) throws -> [MerkleHash] {
            reads += 1
            if let failure { throw failure }
            return Array(hashes[Int(range.lowerBound)..<Int(range.upperBound)])
        }
    }

    static func trees(_ leaves: Leaves, retaining level: Int) -> (full: MerkleTree, retained: MerkleTree) {
        var retained = MerkleTree(retainingLevelsFrom: level) { try leaves.read($0) }
        for hash in leaves.hashes { retained.append(leafHash: hash) }
        return (MerkleTree(leafHashes: leaves.hashes), retained)
    }

    @Test("every root, inclusion and consistency proof up to 50 leaves equals the full tree's", arguments: [1, 2, 3])
    func sameAnswers(level: Int) throws {
        for n in 0...50 {
            let leaves = Leaves(count: n)
            let (full, retained) = Self.trees(leaves, retaining: level)
            #expect(retained.size == UInt64(n))
            #expect(retained.root == full.root, "current root of \(n), retaining from level \(level)")
            #expect(retained.root == (try full.root(at: UInt64(n))), "the fold of held subtrees is RFC 9162's split")
            #expect(leaves.reads == 0, "the current root reads nothing back")
            // Each answer reads back at most two runs: one for a root, the leaf's or the first
            // size's and the one where the size ends for a proof.
            var mostReads = (root: 0, proof: 0)
            for size in 0...UInt64(n) {
                leaves.reads = 0
                #expect(try retained.root(at: size) == full.root(at: size), "root(at: \(size)) of \(n)")
                mostReads.root = max(mostReads.root, leaves.reads)
                for index in 0..<size {
                    leaves.reads = 0
                    #expect(
                        try retained.inclusionProof(leafIndex: index, treeSize: size)
                            == full.inclusionProof(leafIndex: index, treeSize: size), "PATH(\(index), \(size)) of \(n)")
                    mostReads.proof = max(mostReads.proof, leaves.reads)
                }
                for first in 0...size {
                    leaves.reads = 0
                    #expect(
                        try retained.consistencyProof(from: first, to: size)
                            == full.consistencyProof(from: first, to: size),
                        "PROOF(\(first), \(size)) of \(n)")
                    mostReads.proof = max(mostReads.proof, leaves.reads)
                }
            }
            #expect(mostReads.root <= 1 && mostReads.proof <= 2, "reads back \(mostReads) runs for a tree of \(n)")
        }
    }

    @Test("memory: only subtrees of the retained level and up, plus the incomplete last one, are held")
    func boundedMemory() throws {
        let leaves = Leaves(count: 5_000)
        let (_, retained) = Self.trees(leaves, retaining: 8)
        // 5,000 = 19 × 256 + 136: the last 136 leaves are held, those of the 19 complete runs are not.
        #expect(retained.leafHash(at: 4_999) == leaves.hashes[4_999])
        #expect(retained.leafHash(at: 19 * 256) == leaves.hashes[19 * 256])
        #expect(retained.leafHash(at: 19 * 256 - 1) == nil)
        #expect(retained.leafHash(at: 0) == nil)
        #expect(retained.heldHashCount < 19 * 2 + 136 * 2 + 64, "held \(retained.heldHashCount) hashes")
        #expect(MerkleTree(leafHashes: leaves.hashes).heldHashCount == 9_995)
        // The current root needs no read; a proof of an earlier size reads each run it needs once.
        #expect(retained.root == MerkleTree(leafHashes: leaves.hashes).root)
        #expect(leaves.reads == 0)
        _ = try retained.inclusionProof(leafIndex: 300, treeSize: 1_000)
        #expect(leaves.reads == 2, "the run of leaf 300, and that of the size 1,000's last part")
    }

    @Test("leaf hashes changed behind the tree are refused, not proved; a failed read is reported")
    func changedLeaves() throws {
        let leaves = Leaves(count: 40)
        let (full, retained) = Self.trees(leaves, retaining: 3)
        let root = try full.root(at: 20)
        leaves.hashes[9] = MerkleHasher.leafHash(Array("rewritten".utf8))
        #expect(throws: MerkleProofError.leavesDiffer(range: 8..<16)) {
            try retained.inclusionProof(leafIndex: 9, treeSize: 20)
        }
        #expect(throws: MerkleProofError.leavesDiffer(range: 8..<16)) { try retained.root(at: 10) }
        // Proofs that need no subtree of that run still answer, and still verify.
        let proof = try retained.inclusionProof(leafIndex: 17, treeSize: 20)
        try proof.verify(leafHash: MerkleHasher.leafHash(Array("entry 17".utf8)), root: root)

        // A reader that answers with too few rows (entries deleted from the file) is refused too.
        let short = MerkleTree(retainingLevelsFrom: 3) { range in
            Array(leaves.hashes[Int(range.lowerBound)..<Int(range.upperBound - 1)])
        }
        var shortTree = short
        for hash in leaves.hashes { shortTree.append(leafHash: hash) }
        #expect(throws: MerkleProofError.leavesUnreadable(range: 16..<24, reason: "7 leaf hashes were read, not 8")) {
            try shortTree.inclusionProof(leafIndex: 17, treeSize: 20)
        }

        struct DiskGone: Error, CustomStringConvertible { var description: String { "disk gone" } }
        leaves.failure = DiskGone()
        #expect(throws: MerkleProofError.leavesUnreadable(range: 0..<8, reason: "disk gone")) {
            try retained.consistencyProof(from: 3, to: 20)
        }
        #expect(retained.root == full.root, "the current root still needs no read")
    }

    @Test("the audit log: proofs over 600 entries equal a full tree's; a stored leaf hash edited behind it is refused")
    func auditLog() throws {
        let (log, path) = try AuditLogTests.makeLog(entries: 600)
        let stored = try log.entries(in: 0..<600).map(\.leafHash)
        let full = MerkleTree(leafHashes: stored)
        #expect(try log.root(at: 600) == full.root)
        for (index, size) in [(0, 600), (255, 256), (256, 600), (17, 300), (599, 600), (300, 513)] as [(UInt64, UInt64)]
        {
            #expect(
                try log.inclusionProof(index: index, treeSize: size)
                    == full.inclusionProof(leafIndex: index, treeSize: size))
        }
        for (first, second) in [(1, 600), (256, 512), (300, 599), (511, 513)] as [(UInt64, UInt64)] {
            #expect(try log.consistencyProof(from: first, to: second) == full.consistencyProof(from: first, to: second))
        }
        // Reopened, the tree is rebuilt from the file and answers the same.
        let reopened = try AuditLog(path: path, state: state("MA"))
        #expect(
            try reopened.inclusionProof(index: 100, treeSize: 300) == full.inclusionProof(leafIndex: 100, treeSize: 300)
        )

        try AuditLogTests.tamper(
            path, "UPDATE entry SET leaf_hash = ? WHERE leaf_index = 100", [Data(repeating: 7, count: 32)])
        do {
            _ = try reopened.inclusionProof(index: 100, treeSize: 300)
            Issue.record("a proof was made from a leaf hash edited behind the log")
        } catch .proof(let error) {
            #expect(error == .leavesDiffer(range: 0..<256))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(
            try reopened.inclusionProof(index: 400, treeSize: 512) == full.inclusionProof(leafIndex: 400, treeSize: 512)
        )
    }
}
