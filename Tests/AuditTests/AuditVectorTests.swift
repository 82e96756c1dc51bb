import Audit
import Exchange
import Foundation
import Sodium
import Testing

@Suite("Known-answer vectors (Tests/Vectors/audit)")
struct AuditVectorTests {
    static func load<Value: Decodable>(_ type: Value.Type, _ name: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(contentsOf: AuditVectorFiles.url(name)))
    }

    static func probeNames(_ folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: AuditVectorFiles.url(folder).path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test("the committed vector files are exactly what the code generates (BORDERNET_WRITE_VECTORS=1 rewrites them)")
    func filesMatchTheCode() throws {
        let files = try AuditVectorGenerator.files()
        let manager = FileManager.default
        if AuditVectorFiles.writing {
            for folder in ["inclusion", "consistency"] {
                try? manager.removeItem(at: AuditVectorFiles.url(folder))
                try manager.createDirectory(at: AuditVectorFiles.url(folder), withIntermediateDirectories: true)
            }
            for (name, data) in files { try data.write(to: AuditVectorFiles.url(name), options: .atomic) }
        }
        for (name, data) in files.sorted(by: { $0.key < $1.key }) {
            let committed = try? Data(contentsOf: AuditVectorFiles.url(name))
            #expect(committed == data, "\(name) differs from the generated vector; run with BORDERNET_WRITE_VECTORS=1 and review the diff")
        }
        let committed = Set(Self.probeNames("inclusion").map { "inclusion/" + $0 } + Self.probeNames("consistency").map { "consistency/" + $0 })
        #expect(committed == Set(files.keys.filter { $0.contains("/") }))
    }

    @Test("entries: JSON and bytes decode to the same entry; leaf hashes and the root recompute")
    func entries() throws {
        let file = try Self.load(EntryVectorFile.self, "entries.json")
        #expect(Set(file.entries.map(\.entryJSON.event.kind)) == Set(AuditEvent.Kind.allCases))
        var tree = MerkleTree()
        for vector in file.entries {
            let bytes = hex(vector.entryHex)
            #expect(try AuditEntry(canonicalBytes: bytes) == vector.entryJSON, "\(vector.desc)")
            #expect(vector.entryJSON.canonicalBytes == bytes, "\(vector.desc)")
            #expect(SHA256.hash([0x00] + bytes) == hex(vector.leafHash), "\(vector.desc)")
            tree.append(leafHash: merkle(vector.leafHash))
        }
        #expect(tree.size == file.treeSize)
        #expect(tree.root == merkle(file.rootHash))
    }

    @Test("tree head: the key derives from the seed, the signature is deterministic and verifies")
    func treeHead() throws {
        let file = try Self.load(TreeHeadVectorFile.self, "tree-head.json")
        let key = try Ed25519.PrivateKey(seed: SecretBytes(copying: hex(file.signingSeed)))
        #expect(key.publicKey.rawRepresentation == hex(file.signingKey))
        let signed = try SignedTreeHead(serializedBytes: hex(file.signedHeadHex))
        #expect(signed == file.headJSON)
        #expect(signed.head.canonicalBytes == hex(file.headHex))
        #expect(key.signature(for: hex(file.headHex)) == hex(file.signatureHex))
        #expect(signed.hasValidSignature)
        try signed.verify(card: AuditFixtures.morocco().card)
        let entries = try Self.load(EntryVectorFile.self, "entries.json")
        #expect(signed.head.treeSize == entries.treeSize)
        #expect(signed.head.rootHash == merkle(entries.rootHash))
    }

    @Test("inclusion probes: each verifies, or fails with its wantErr; proofHex decodes to the proof")
    func inclusionProbes() throws {
        let names = Self.probeNames("inclusion")
        #expect(names.count >= 8)
        for name in names {
            let probe = try Self.load(InclusionProbe.self, "inclusion/\(name)")
            let proof = try InclusionProof(canonicalBytes: hex(probe.proofHex))
            #expect(proof == InclusionProof(leafIndex: probe.leafIndex, treeSize: probe.treeSize, path: probe.proof.map(merkle)), "\(name)")
            var got: String?
            do {
                try proof.verify(leafHash: merkle(probe.leafHash), root: merkle(probe.rootHash))
            } catch {
                got = error.caseName
            }
            #expect(got == probe.wantErr, "\(name): \(probe.desc)")
        }
    }

    @Test("consistency probes: each verifies, or fails with its wantErr; proofHex decodes to the proof")
    func consistencyProbes() throws {
        let names = Self.probeNames("consistency")
        #expect(names.count >= 8)
        for name in names {
            let probe = try Self.load(ConsistencyProbe.self, "consistency/\(name)")
            let proof = try ConsistencyProof(canonicalBytes: hex(probe.proofHex))
            #expect(proof == ConsistencyProof(firstSize: probe.firstSize, secondSize: probe.secondSize, path: probe.proof.map(merkle)), "\(name)")
            var got: String?
            do {
                try proof.verify(firstRoot: merkle(probe.firstRootHash), secondRoot: merkle(probe.secondRootHash))
            } catch {
                got = error.caseName
            }
            #expect(got == probe.wantErr, "\(name): \(probe.desc)")
        }
    }
}
