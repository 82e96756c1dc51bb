import Exchange
import Foundation
import GRDB
import Store
import Sodium

/// What `audit verify` checked when it found nothing wrong.
public struct AuditVerificationSummary: Hashable, Sendable {
    /// Entries reread and rehashed.
    public let entryCount: UInt64
    /// Signed tree heads whose signature and root were checked.
    public let treeHeadCount: Int
    /// The root recomputed from the entries' bytes.
    public let root: MerkleHash
}

extension AuditLog {
    /// Checks the whole log from its file, trusting nothing computed before: rereads every entry in
    /// index order, checks the indexes are 0, 1, 2… and match the bytes, decodes every entry, checks
    /// it is this node's, recomputes its leaf hash from the bytes and compares it with the stored
    /// one, rebuilds the Merkle tree, then checks every stored tree head: decodes, its signature
    /// with `signingKey` (by default the key the head names), its size against the log, its root
    /// against the rebuilt tree. Throws the first problem, naming the entry (or the smallest range
    /// of entries the signed heads can pin it to).
    @discardableResult
    public func verify(signingKey: Ed25519.PublicKey? = nil) throws(AuditVerificationError) -> AuditVerificationSummary {
        try verify(trustedKeys: signingKey.map { key in { _ in [key] } })
    }

    /// ``verify(signingKey:)`` for a node whose keys changed over time: `trustedKeys` gives the
    /// keys that may sign a head of a given timestamp (``Roster/signingKeys(of:at:)``); `nil`
    /// checks each head with its own key only.
    public func verify(trustedKeys: ((Timestamp) -> [Ed25519.PublicKey])?) throws(AuditVerificationError)
        -> AuditVerificationSummary
    {
        var rebuilt = MerkleTree()
        var heads: [(row: Int64, bytes: [UInt8])] = []
        do {
            try readForVerification { db in
                let rows = try Row.fetchCursor(db, sql: "SELECT leaf_index, bytes, leaf_hash FROM entry ORDER BY leaf_index")
                while let cursorRow = try rows.next() {
                    // A value of the wrong type is reported as unreadable, naming its row.
                    let row = StoredRow(cursorRow, of: .auditEntry)
                    let expected = rebuilt.size
                    let stored: Int64 = try row.value("leaf_index")
                    guard stored >= 0, UInt64(stored) == expected else { throw AuditVerificationError.missingEntry(index: expected) }
                    let bytes = try row.bytes("bytes")
                    let entry: AuditEntry
                    do throws(FormatError) {
                        entry = try AuditEntry(canonicalBytes: bytes)
                    } catch {
                        throw AuditVerificationError.malformedEntry(index: expected, reason: error.description)
                    }
                    guard entry.index == expected else { throw AuditVerificationError.indexMismatch(index: expected, recorded: entry.index) }
                    guard entry.state == state else {
                        throw AuditVerificationError.foreignEntry(index: expected, state: entry.state.description)
                    }
                    let leafHash = MerkleHasher.leafHash(bytes)
                    guard try row.bytes("leaf_hash") == leafHash.bytes else {
                        throw AuditVerificationError.leafHashMismatch(index: expected)
                    }
                    rebuilt.append(leafHash: leafHash)
                }
                heads = try Row.fetchAll(db, sql: "SELECT id, signed_bytes FROM tree_head ORDER BY tree_size, id").map {
                    (row: Row) throws(StoreError) in
                    let row = StoredRow(row, of: .auditTreeHead)
                    return (row: try row.value("id"), bytes: try row.bytes("signed_bytes"))
                }
            }
        } catch {
            if let finding = error.cause as? AuditVerificationError { throw finding }
            throw .unreadable(reason: "\(error)")
        }
        // Heads in increasing size: the last size whose root still matches bounds the suspects.
        var lastGoodSize: UInt64 = 0
        for (row, bytes) in heads {
            let signed: SignedTreeHead
            do {
                signed = try SignedTreeHead(serializedBytes: bytes)
            } catch {
                throw .malformedTreeHead(row: row, reason: error.description)
            }
            let head = signed.head
            let trusted = trustedKeys.map { $0(head.timestamp) } ?? [head.signingKey]
            guard head.state == state, trusted.contains(head.signingKey), signed.hasValidSignature else {
                throw .treeHeadSignatureInvalid(treeSize: head.treeSize)
            }
            guard head.treeSize <= rebuilt.size else {
                throw .treeHeadBeyondLog(treeSize: head.treeSize, entryCount: rebuilt.size)
            }
            let root = (try? rebuilt.root(at: head.treeSize)) ?? MerkleHasher.emptyRoot
            guard root == head.rootHash else {
                // The heads are read in the order of their size column; a tampered row may disagree
                // with its signed bytes, so the range is formed so that it cannot trap.
                throw .treeHeadRootMismatch(treeSize: head.treeSize, suspects: min(lastGoodSize, head.treeSize)..<head.treeSize)
            }
            lastGoodSize = head.treeSize
        }
        return AuditVerificationSummary(entryCount: rebuilt.size, treeHeadCount: heads.count, root: rebuilt.root)
    }
}
