import Audit
import Foundation

// The JSON shapes of Tests/Vectors/audit (described for other implementations in
// Tests/Vectors/audit/README.md). Bytes are lower-case hexadecimal; times are Unix milliseconds.

struct EntryVectorFile: Codable, Equatable {
    var desc: String
    var entries: [EntryVector]
    /// MTH of all the entries' leaves, in order.
    var treeSize: UInt64
    var rootHash: String
}

struct EntryVector: Codable, Equatable {
    var desc: String
    var entryJSON: AuditEntry
    var entryHex: String
    var leafHash: String
}

struct TreeHeadVectorFile: Codable, Equatable {
    var desc: String
    var derivation: String
    var signingSeed: String
    var signingKey: String
    var headJSON: SignedTreeHead
    var headHex: String
    var signatureHex: String
    var signedHeadHex: String
}

struct InclusionProbe: Codable, Equatable {
    var desc: String
    var leafIndex: UInt64
    var treeSize: UInt64
    var leafHash: String
    var rootHash: String
    var proof: [String]
    /// The canonical bytes (BNIP) of the proof as given: leafIndex, treeSize and proof.
    var proofHex: String
    /// `null` when the proof must verify, otherwise the error (MerkleProofError case name).
    var wantErr: String?
}

struct ConsistencyProbe: Codable, Equatable {
    var desc: String
    var firstSize: UInt64
    var secondSize: UInt64
    var firstRootHash: String
    var secondRootHash: String
    var proof: [String]
    /// The canonical bytes (BNCP) of the proof as given.
    var proofHex: String
    var wantErr: String?
}

extension MerkleProofError {
    /// The case name written as `wantErr` in the vectors.
    var caseName: String {
        switch self {
        case .indexOutOfRange: "indexOutOfRange"
        case .sizesOutOfOrder: "sizesOutOfOrder"
        case .treeSizeTooLarge: "treeSizeTooLarge"
        case .wrongProofSize: "wrongProofSize"
        case .rootMismatch: "rootMismatch"
        case .firstRootMismatch: "firstRootMismatch"
        case .secondRootMismatch: "secondRootMismatch"
        case .malformedPath: "malformedPath"
        case .leavesUnreadable: "leavesUnreadable"
        case .leavesDiffer: "leavesDiffer"
        }
    }
}
