import Exchange
import GRDB

extension BulletinReader {
    /// The attachments of bulletin `id` (`<origin>-<ULID>`), in their order; empty for an id
    /// that names none.
    public func attachments(of id: String) throws(StoreError) -> [StoredAttachment] {
        guard let reference = try? BulletinReference(id) else { return [] }
        return try read("attachments") { db in try BulletinStore.attachments(of: reference, in: db) }
    }

    /// Chunk `index` of an attachment, sealed as stored; `nil` when it is not held.
    public func chunk(of bulletin: BulletinReference, number: Int, index: UInt64) throws(StoreError) -> [UInt8]? {
        guard let index = Int64(exactly: index) else { return nil }
        return try read("attachment chunk") { db in
            try BulletinStore.chunk(of: bulletin, number: number, index: index, in: db)
        }
    }
}
