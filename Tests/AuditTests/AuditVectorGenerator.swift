import Audit
import Exchange
import Foundation
import Sodium

/// Builds every file of Tests/Vectors/audit from the fixtures. Deterministic: the same code gives
/// the same bytes, so the check test can compare regenerated files with the committed ones.
enum AuditVectorGenerator {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func hexOf(_ bytes: some Sequence<UInt8>) -> String { Hex.encode(Array(bytes)) }

    /// MA's log: one entry of every kind, a second apart from 2025-03-01T12:00:00Z.
    static func entries() throws -> [(desc: String, entry: AuditEntry)] {
        try AuditFixtures.oneOfEachKind().enumerated().map { index, item in
            (item.desc, try AuditEntry(
                index: UInt64(index), time: AuditFixtures.base.adding(milliseconds: UInt64(index) * 1000), state: state("MA"),
                event: item.event))
        }
    }

    static func tree() throws -> MerkleTree {
        MerkleTree(leafHashes: try entries().map(\.entry.leafHash))
    }

    static func entryFile() throws -> EntryVectorFile {
        let entries = try entries()
        let tree = try tree()
        return EntryVectorFile(
            desc: "MA's audit log: one entry of every kind (docs/AUDIT.md §3), canonical bytes, leaf hash SHA-256(00 ‖ bytes), and the root of all of them",
            entries: entries.map { desc, entry in
                EntryVector(desc: desc, entryJSON: entry, entryHex: hexOf(entry.canonicalBytes), leafHash: entry.leafHash.description)
            },
            treeSize: tree.size, rootHash: tree.root.description)
    }

    static func treeHeadFile() throws -> TreeHeadVectorFile {
        let identity = try AuditFixtures.morocco()
        let tree = try tree()
        let head = TreeHead(
            state: identity.state, signingKey: identity.signingKey.publicKey, treeSize: tree.size,
            timestamp: AuditFixtures.base.adding(milliseconds: 60_000), rootHash: tree.root)
        let signed = try head.signed(by: identity)
        return TreeHeadVectorFile(
            desc: "MA's signed tree head over the \(tree.size) entries of entries.json (docs/AUDIT.md §7)",
            derivation: "signingSeed = SHA-256(\"BorderNet test vector: MA signing\"), the MA node of Tests/Vectors/identities.json",
            signingSeed: hexOf(identity.signingKey.seed.exportedBytes()),
            signingKey: hexOf(identity.signingKey.publicKey.rawRepresentation),
            headJSON: signed, headHex: hexOf(head.canonicalBytes), signatureHex: hexOf(signed.signature),
            signedHeadHex: hexOf(signed.serializedBytes))
    }

    static func inclusionProbe(
        _ desc: String, index: UInt64, size: UInt64, leaf: MerkleHash, root: MerkleHash, path: [MerkleHash]
    ) -> InclusionProbe {
        let proof = InclusionProof(leafIndex: index, treeSize: size, path: path)
        var wantErr: String?
        do {
            try proof.verify(leafHash: leaf, root: root)
        } catch {
            wantErr = error.caseName
        }
        return InclusionProbe(
            desc: desc, leafIndex: index, treeSize: size, leafHash: leaf.description, rootHash: root.description,
            proof: path.map(\.description), proofHex: hexOf(proof.canonicalBytes), wantErr: wantErr)
    }

    static func consistencyProbe(
        _ desc: String, first: UInt64, second: UInt64, firstRoot: MerkleHash, secondRoot: MerkleHash, path: [MerkleHash]
    ) -> ConsistencyProbe {
        let proof = ConsistencyProof(firstSize: first, secondSize: second, path: path)
        var wantErr: String?
        do {
            try proof.verify(firstRoot: firstRoot, secondRoot: secondRoot)
        } catch {
            wantErr = error.caseName
        }
        return ConsistencyProbe(
            desc: desc, firstSize: first, secondSize: second, firstRootHash: firstRoot.description,
            secondRootHash: secondRoot.description, proof: path.map(\.description), proofHex: hexOf(proof.canonicalBytes),
            wantErr: wantErr)
    }

    static func inclusionProbes() throws -> [String: InclusionProbe] {
        let tree = try tree()
        let leaf = try tree.leafHash(at: 5).orThrow("leaf 5")
        let root = try tree.root(at: 12)
        let path = try tree.inclusionProof(leafIndex: 5, treeSize: 12).path
        var damaged = path
        damaged[1] = flipped(damaged[1], byte: 0)
        let lastLeaf = try tree.leafHash(at: 11).orThrow("leaf 11")
        return [
            "happy-path": inclusionProbe("entry 5 in the tree of 12 entries", index: 5, size: 12, leaf: leaf, root: root, path: path),
            "happy-path-last-entry": inclusionProbe(
                "entry 11, the last, in the tree of 12 entries", index: 11, size: 12, leaf: lastLeaf, root: root,
                path: try tree.inclusionProof(leafIndex: 11, treeSize: 12).path),
            "happy-path-smaller-tree": inclusionProbe(
                "entry 5 in the tree of the first 7 entries", index: 5, size: 7, leaf: leaf, root: try tree.root(at: 7),
                path: try tree.inclusionProof(leafIndex: 5, treeSize: 7).path),
            "modified-proof@1-bit-@0": inclusionProbe("bit 0 of byte 0 of proof[1] flipped", index: 5, size: 12, leaf: leaf, root: root, path: damaged),
            "wrong-leaf-index": inclusionProbe("the proof of entry 5 presented for index 4", index: 4, size: 12, leaf: leaf, root: root, path: path),
            "wrong-tree-size": inclusionProbe("the proof of size 12 presented for size 24", index: 5, size: 24, leaf: leaf, root: root, path: path),
            "index-out-of-range": inclusionProbe("index 12 in a tree of 12 entries", index: 12, size: 12, leaf: leaf, root: root, path: path),
            "trailing-hash": inclusionProbe("the root appended to the proof", index: 5, size: 12, leaf: leaf, root: root, path: path + [root]),
            "removed-hash": inclusionProbe("the last hash of the proof removed", index: 5, size: 12, leaf: leaf, root: root, path: Array(path.dropLast())),
            "wrong-root": inclusionProbe("checked against the root of size 11", index: 5, size: 12, leaf: leaf, root: try tree.root(at: 11), path: path),
        ]
    }

    static func consistencyProbes() throws -> [String: ConsistencyProbe] {
        let tree = try tree()
        func probe(_ desc: String, _ first: UInt64, _ second: UInt64, path: [MerkleHash]? = nil, firstRoot: MerkleHash? = nil, secondRoot: MerkleHash? = nil) throws -> ConsistencyProbe {
            consistencyProbe(
                desc, first: first, second: second, firstRoot: try firstRoot ?? tree.root(at: first),
                secondRoot: try secondRoot ?? tree.root(at: second), path: try path ?? tree.consistencyProof(from: first, to: second).path)
        }
        let path = try tree.consistencyProof(from: 5, to: 12).path
        var damaged = path
        damaged[2] = flipped(damaged[2], byte: 31, bit: 7)
        return [
            "happy-path": try probe("from 5 entries to 12", 5, 12),
            "happy-path-power-of-two": try probe("from 4 entries to 12 (the first root is prepended, RFC 9162 §2.1.4.2 step 2)", 4, 12),
            "happy-path-7-8": try probe("from 7 entries to 8", 7, 8),
            "happy-path-equal-sizes": try probe("from 12 entries to 12: the empty proof and equal roots", 12, 12),
            "modified-proof@2-bit-@255": try probe("bit 7 of byte 31 of proof[2] flipped", 5, 12, path: damaged),
            "swapped-roots": try probe(
                "the roots exchanged", 5, 12, firstRoot: try tree.root(at: 12), secondRoot: try tree.root(at: 5)),
            "empty-proof": try probe("no hashes at all", 5, 12, path: []),
            "truncated-proof": try probe("the last hash removed", 5, 12, path: Array(path.dropLast())),
            "rewritten-history": try probe(
                "the log's first 5 entries had another root (truncated and regrown)", 5, 12,
                firstRoot: MerkleHasher.leafHash(Array("another history".utf8))),
            "sizes-out-of-order": try probe("from 12 entries to 5", 12, 5, path: path, firstRoot: try tree.root(at: 12), secondRoot: try tree.root(at: 5)),
        ]
    }

    static func files() throws -> [String: Data] {
        var files: [String: Data] = [
            "entries.json": try encoder.encode(entryFile()),
            "tree-head.json": try encoder.encode(treeHeadFile()),
        ]
        for (name, probe) in try inclusionProbes() { files["inclusion/\(name).json"] = try encoder.encode(probe) }
        for (name, probe) in try consistencyProbes() { files["consistency/\(name).json"] = try encoder.encode(probe) }
        return files.mapValues { $0 + Data("\n".utf8) }
    }
}

extension Optional {
    /// The value, or a test failure naming what was missing.
    func orThrow(_ what: String) throws -> Wrapped {
        guard let value = self else { throw AuditFixtures.FixtureError(description: "\(what) is missing") }
        return value
    }
}
