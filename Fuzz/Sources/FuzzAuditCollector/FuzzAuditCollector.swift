import Audit
import AuditCollection
import Exchange
import Foundation
import FuzzSupport

// The secretariat's collection (AuditCollection, docs/AUDIT.md §12.2): `AuditCollector.collect`
// of the roster's MA node, whose answers are the fuzzer's bytes, into a fresh in-memory
// `CollectionStore`. The answers are decoded as `NodeAuditClient` decodes the frames of a node's
// `audit-head`, `audit-consistency` and `audit-entries` answers (`SignedTreeHead(serializedBytes:)`,
// `ConsistencyProof(canonicalBytes:)`, entry bytes as they come).
//
// Input: an option byte, then `u16`-length-prefixed chunks.
//   bit 0: re-sign the head with the key of the node it names (vector keys), so the checks behind
//          the signature are reached;
//   bit 1: the store already holds an accepted head of MA's vector log of k entries (k = next
//          byte mod 13) and those entries, so consistency and extension are checked;
//   bit 2: the node refuses the consistency request (`audit-refused`);
//   bit 3: collect a second time with the same answers (up to date, equivocation);
//   bit 4: `audit-inclusion` (the re-check of earlier entries) is answered with the vector log's
//          true proof when it has one; otherwise with the inclusion proof chunk.
//   chunks: the signed head, the consistency proof, the inclusion proof, then the entries; each `audit-entries` answer
//   hands out at most `count` of the remaining entry chunks, an empty answer when none are left.
// Seeds: MA's vector log (heads of several sizes with their proofs and entries), truncated and
// extended variants.

private let vectors = FuzzVectors.shared
private let audit = FuzzAuditVectors.shared
private let ma = vectors.member(try! StateCode("MA"))!

private final class FuzzedNode: AuditSource {
    let head: [UInt8]
    let proof: [UInt8]
    let inclusion: [UInt8]
    let refusesConsistency: Bool
    let provesHonestly: Bool
    var entries: [[UInt8]]

    init(
        head: [UInt8], proof: [UInt8], inclusion: [UInt8], refusesConsistency: Bool, provesHonestly: Bool,
        entries: [[UInt8]]
    ) {
        self.head = head
        self.proof = proof
        self.inclusion = inclusion
        self.refusesConsistency = refusesConsistency
        self.provesHonestly = provesHonestly
        self.entries = entries
    }

    func inclusionProof(index: UInt64, treeSize: UInt64) throws(AuditCollectionError) -> InclusionProof {
        if provesHonestly, let proof = try? audit.tree.inclusionProof(leafIndex: index, treeSize: treeSize) {
            return proof
        }
        do {
            return try InclusionProof(canonicalBytes: inclusion)
        } catch {
            throw .malformedAnswer(state: ma.card.state, reason: "inclusion proof: \(error)")
        }
    }

    func signedTreeHead() throws(AuditCollectionError) -> SignedTreeHead {
        do {
            return try SignedTreeHead(serializedBytes: head)
        } catch {
            throw .malformedAnswer(state: ma.card.state, reason: "signed tree head: \(error)")
        }
    }

    func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) throws(AuditCollectionError)
        -> ConsistencyProof
    {
        if refusesConsistency { throw .refused(state: ma.card.state, reason: "fuzzed refusal") }
        do {
            return try ConsistencyProof(canonicalBytes: proof)
        } catch {
            throw .malformedAnswer(state: ma.card.state, reason: "consistency proof: \(error)")
        }
    }

    func entryBytes(from first: UInt64, count: UInt64) throws(AuditCollectionError) -> [[UInt8]] {
        let taken = Array(entries.prefix(Int(min(count, UInt64(Int.max)))))
        entries.removeFirst(taken.count)
        return taken
    }
}

/// A store for one input. Migrating a new store costs more than the whole collection under ASan,
/// so an empty, migrated `collected.sqlite` is made once (in /dev/shm when it exists) and each
/// input starts from a copy of it: every input sees the same fresh store, as with a new file.
private let storeFolder: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let folder = "\(base)/bordernet-fuzz-collector-\(getpid())"
    try? FileManager.default.removeItem(atPath: folder)
    do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = try CollectionStore(path: "\(folder)/template.sqlite")
    } catch {
        fatalError("FuzzAuditCollector cannot make its template store in \(folder): \(error)")
    }
    atexit { try? FileManager.default.removeItem(atPath: storeFolder) }
    return folder
}()

private func freshStore() throws -> CollectionStore {
    let path = "\(storeFolder)/collected.sqlite"
    for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
    try FileManager.default.copyItem(atPath: "\(storeFolder)/template.sqlite", toPath: path)
    return try CollectionStore(path: path)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAuditCollector(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let options = input.byte()
    let held = options & 2 != 0 ? Int(input.byte() % 13) : 0
    var head = input.chunk()
    let proof = input.chunk()
    let inclusion = input.chunk()
    var entries: [[UInt8]] = []
    while !input.isAtEnd, entries.count < 2_000 { entries.append(input.chunk()) }

    if options & 1 != 0, let signed = try? SignedTreeHead(serializedBytes: head),
        let node = vectors.member(signed.head.state)
    {
        head =
            SignedTreeHead(head: signed.head, signature: node.signingKey.signature(for: signed.head.canonicalBytes))
            .serializedBytes
    }

    let store: CollectionStore
    do {
        store = try freshStore()
        if held > 0 {
            let bytes = Array(audit.entryBytes.prefix(held))
            let root = try audit.tree.root(at: UInt64(held))
            let treeHead = TreeHead(
                state: ma.card.state, signingKey: ma.card.signingKey, treeSize: UInt64(held),
                timestamp: Timestamp(millisecondsSinceEpoch: vectors.now.millisecondsSinceEpoch - 60_000),
                rootHash: root)
            let signed = SignedTreeHead(
                head: treeHead, signature: ma.signingKey.signature(for: treeHead.canonicalBytes))
            try store.accept(
                signed,
                entries: bytes.enumerated().map { (UInt64($0.offset), $0.element, MerkleHasher.leafHash($0.element)) },
                at: vectors.now)
        }
    } catch {
        fatalError("FuzzAuditCollector cannot set up its store: \(error)")
    }

    guard let member = vectors.roster.member(ma.card.state) else { fatalError("MA is not in the vector roster") }
    let collector = AuditCollector(store: store, batchSize: 7)
    let rounds = options & 8 != 0 ? 2 : 1
    for round in 0..<rounds {
        let node = FuzzedNode(
            head: head, proof: proof, inclusion: inclusion, refusesConsistency: options & 4 != 0,
            provesHonestly: options & 16 != 0,
            entries: entries)
        do {
            let result = try collector.collect(
                member, from: node,
                now: Timestamp(millisecondsSinceEpoch: vectors.now.millisecondsSinceEpoch + UInt64(round)))
            _ = "\(result)"
        } catch {
            fatalError("the collection store failed on fuzzed answers: \(error)")
        }
    }
    // What was kept must read back: heads, the entries verified against the accepted head, findings.
    do {
        _ = try store.heads(of: ma.card.state)
        let accepted = try store.lastAcceptedHead(of: ma.card.state)
        let kept = try store.entries(of: ma.card.state)
        fuzzRequire(
            UInt64(kept.count) == (accepted?.head.treeSize ?? 0),
            "\(kept.count) entries held for an accepted head of \(accepted?.head.treeSize ?? 0)")
        _ = try store.findings()
        _ = try store.lastAttempts()
    } catch {
        fatalError("the collection store cannot read back what it kept: \(error)")
    }
    return 0
}
