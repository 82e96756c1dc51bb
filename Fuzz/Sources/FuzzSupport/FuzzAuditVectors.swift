import Audit
import Exchange
import Foundation
import Sodium

/// MA's audit log of Tests/Vectors/audit (entries.json: one entry of every kind), as a tree, so
/// that proofs from the vectors verify and mutated ones are checked against real roots.
public struct FuzzAuditVectors: @unchecked Sendable {
    /// The canonical bytes of each entry, in index order.
    public let entryBytes: [[UInt8]]
    /// The tree of their leaf hashes.
    public let tree: MerkleTree

    public static let shared: FuzzAuditVectors = {
        do {
            return try FuzzAuditVectors()
        } catch {
            fatalError("FuzzSupport cannot load Tests/Vectors/audit: \(error)")
        }
    }()

    private init() throws {
        let url = FuzzVectors.shared.repository.appendingPathComponent("Tests/Vectors/audit/entries.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        var entryBytes: [[UInt8]] = []
        for case let entry as [String: Any] in object?["entries"] as? [Any] ?? [] {
            guard let hex = entry["entryHex"] as? String else { throw FuzzVectorError.missing("entryHex") }
            entryBytes.append(try Hex.decode(hex))
        }
        self.entryBytes = entryBytes
        tree = MerkleTree(leafHashes: entryBytes.map(MerkleHasher.leafHash))
    }
}

/// A tree of `count` made-up leaves (leaf i is the leaf hash of the 8 bytes of i).
public func fuzzTree(leafCount count: Int) -> MerkleTree {
    MerkleTree(
        leafHashes: (0..<UInt64(count)).map { i in
            MerkleHasher.leafHash((0..<8).map { UInt8(truncatingIfNeeded: i >> ($0 * 8)) })
        })
}
