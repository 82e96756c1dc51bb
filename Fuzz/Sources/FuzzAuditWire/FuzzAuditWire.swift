import Audit
import AuditCollection
import Exchange
import Foundation
import FuzzSupport
import Wire

// The audit wire (docs/AUDIT.md §3–§7, §12.1): what a node's log and the secretariat read from
// each other. The first byte chooses the reader (low 3 bits) and options (bit 3); the rest is
// its input.
//   0  `AuditEntry(canonicalBytes:)` (entries in `audit-entries` answers and in collected.sqlite)
//   1  `AuditEntry` JSON (`audit verify --json`, evidence files)
//   2  `SignedTreeHead(serializedBytes:)` (`audit-head` answers), `verify(roster:)`; bit 3: re-signed
//      with the vector key of the state it names, so a head of a known node must then verify
//   3  `SignedTreeHead` JSON
//   4  `InclusionProof(canonicalBytes:)` (`audit-inclusion` answers, `audit prove` files),
//      verified against the vector log of 12 entries
//   5  `ConsistencyProof(canonicalBytes:)` (`audit-consistency` answers), verified the same way
//   6  proof generation for the sizes a request names (u64 index/size, from/to) in a tree of
//      0–255 leaves, as a node answers `audit-inclusion`/`audit-consistency`
//   7  the secretariat's request frames: `WireNumber.decode` of the first 8-byte-or-not frame,
//      `AuditRequest(frames:)` of the rest as `u16`-length-prefixed chunks
// Invariants: canonical bytes re-encode to themselves; JSON survives encode → decode; a proof
// that verifies is the proof the tree generates (proofs are unique); a generated proof verifies.
// Seeds: Tests/Vectors/audit (entries, tree head, inclusion/, consistency/).

private let vectors = FuzzVectors.shared
private let audit = FuzzAuditVectors.shared

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAuditWire(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = input.byte()
    switch selector & 7 {
    case 0: entryBytes(input.rest())
    case 1: entryJSON(input.rest())
    case 2: signedHead(input.rest(), resign: selector & 8 != 0)
    case 3: signedHeadJSON(input.rest())
    case 4: inclusion(input.rest())
    case 5: consistency(input.rest())
    case 6: generation(&input)
    default: request(&input)
    }
    return 0
}

private func check(_ entry: AuditEntry) {
    fuzzRequire(
        (try? AuditEntry(canonicalBytes: entry.canonicalBytes)) == entry,
        "an entry's canonical bytes do not decode back to it")
    let json = try? JSONEncoder().encode(entry)
    fuzzRequire(
        json.flatMap { try? JSONDecoder().decode(AuditEntry.self, from: $0) } == entry,
        "an entry does not survive JSON encode → decode")
    _ = entry.description
    _ = entry.leafHash
}

private func entryBytes(_ bytes: [UInt8]) {
    guard let entry = try? AuditEntry(canonicalBytes: bytes) else { return }
    fuzzRequire(entry.canonicalBytes == bytes, "entry bytes are not canonical (\(bytes.count) bytes)")
    check(entry)
}

private func entryJSON(_ bytes: [UInt8]) {
    guard let entry = try? JSONDecoder().decode(AuditEntry.self, from: Data(bytes)) else { return }
    check(entry)
}

private func signedHead(_ bytes: [UInt8], resign: Bool) {
    _ = try? TreeHead(canonicalBytes: bytes)
    guard var signed = try? SignedTreeHead(serializedBytes: bytes) else { return }
    fuzzRequire(signed.serializedBytes == bytes, "signed tree head bytes are not canonical")
    fuzzRequire(
        (try? TreeHead(canonicalBytes: signed.head.canonicalBytes)) == signed.head,
        "a head's bytes do not decode back to it")
    if resign, let node = vectors.member(signed.head.state) {
        signed = SignedTreeHead(
            head: signed.head, signature: node.signingKey.signature(for: signed.head.canonicalBytes))
        if signed.head.signingKey == node.card.signingKey {
            fuzzRequire(
                (try? signed.verify(roster: vectors.roster)) != nil,
                "a head signed by its own roster node does not verify")
        }
    }
    _ = try? signed.verify(roster: vectors.roster)
    _ = signed.description
    _ = signed.head.equivocates(with: signed.head)
}

private func signedHeadJSON(_ bytes: [UInt8]) {
    guard let signed = try? JSONDecoder().decode(SignedTreeHead.self, from: Data(bytes)) else { return }
    fuzzRequire(
        (try? SignedTreeHead(serializedBytes: signed.serializedBytes)) == signed,
        "a JSON head's bytes do not decode back to it")
    _ = try? signed.verify(roster: vectors.roster)
}

private func inclusion(_ bytes: [UInt8]) {
    guard let proof = try? InclusionProof(canonicalBytes: bytes) else { return }
    fuzzRequire(proof.canonicalBytes == bytes, "inclusion proof bytes are not canonical")
    let tree = audit.tree
    let leaf = tree.leafHash(at: proof.leafIndex) ?? MerkleHasher.emptyRoot
    let root = (try? tree.root(at: proof.treeSize)) ?? MerkleHasher.emptyRoot
    do {
        try proof.verify(leafHash: leaf, root: root)
        let generated = try? tree.inclusionProof(leafIndex: proof.leafIndex, treeSize: proof.treeSize)
        fuzzRequire(generated == proof, "an inclusion proof verified but is not the tree's proof")
    } catch {
        _ = "\(error)"
    }
}

private func consistency(_ bytes: [UInt8]) {
    guard let proof = try? ConsistencyProof(canonicalBytes: bytes) else { return }
    fuzzRequire(proof.canonicalBytes == bytes, "consistency proof bytes are not canonical")
    let tree = audit.tree
    let first = (try? tree.root(at: proof.firstSize)) ?? MerkleHasher.emptyRoot
    let second = (try? tree.root(at: proof.secondSize)) ?? MerkleHasher.emptyRoot
    do {
        try proof.verify(firstRoot: first, secondRoot: second)
        // A proof between sizes the tree does not have can only verify against made-up roots.
        if proof.secondSize <= tree.size, proof.firstSize > 0 {
            let generated = try? tree.consistencyProof(from: proof.firstSize, to: proof.secondSize)
            fuzzRequire(generated == proof, "a consistency proof verified but is not the tree's proof")
        }
    } catch {
        _ = "\(error)"
    }
}

private func generation(_ input: inout FuzzInput) {
    let tree = fuzzTree(leafCount: Int(input.byte()))
    let index = input.uint64()
    let size = input.uint64()
    if let proof = try? tree.inclusionProof(leafIndex: index, treeSize: size), let leaf = tree.leafHash(at: index),
        let root = try? tree.root(at: size)
    {
        fuzzRequire(
            (try? proof.verify(leafHash: leaf, root: root)) != nil, "a generated inclusion proof does not verify")
        fuzzRequire(
            (try? InclusionProof(canonicalBytes: proof.canonicalBytes)) == proof,
            "a generated inclusion proof does not decode")
    }
    // Total functions (any sizes a peer names).
    _ = MerkleProofVerifier.expectedInclusionPathCount(leafIndex: index, treeSize: size)
    _ = MerkleProofVerifier.expectedConsistencyPathCount(firstSize: index, secondSize: size)
    if let proof = try? tree.consistencyProof(from: index, to: size), let first = try? tree.root(at: index),
        let second = try? tree.root(at: size)
    {
        fuzzRequire(
            (try? proof.verify(firstRoot: first, secondRoot: second)) != nil,
            "a generated consistency proof does not verify")
        fuzzRequire(
            (try? ConsistencyProof(canonicalBytes: proof.canonicalBytes)) == proof,
            "a generated consistency proof does not decode")
    }
}

private func request(_ input: inout FuzzInput) {
    let frame = input.chunk()
    if let value = WireNumber.decode(frame) {
        fuzzRequire(WireNumber.encode(value) == frame, "WireNumber.decode is not the inverse of encode")
    }
    var frames: [[UInt8]] = []
    while !input.isAtEnd, frames.count < 8 { frames.append(input.chunk()) }
    guard let request = try? AuditRequest(frames: frames) else { return }
    fuzzRequire(request.frames == frames, "AuditRequest(frames:) is not the inverse of frames")
}
