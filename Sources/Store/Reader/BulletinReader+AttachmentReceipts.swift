import Exchange
import GRDB

extension BulletinReader {
    /// The recipients' attachment receipts for one of this node's bulletins (`<origin>-<ULID>`),
    /// as the origin kept them (docs/PROTOCOL.md §17.4): recipient → attachment number → whether
    /// the recipient holds the file (`false`: it refused it). Empty for an id that names none, and
    /// on a recipient's node (receipts are kept by the origin only).
    public func attachmentReceipts(of id: String) throws(StoreError) -> [StateCode: [Int: Bool]] {
        guard let reference = try? BulletinReference(id) else { return [:] }
        return try read("attachment receipts") { db in
            var receipts: [StateCode: [Int: Bool]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT recipient, number, held FROM attachment_receipt WHERE bulletin_id = ?",
                arguments: [reference])
            {
                let stored = StoredRow(row, of: Self.attachmentReceiptTable)
                receipts[try stored.value("recipient", as: StateCode.self), default: [:]][try stored.value("number")] =
                    (try stored.value("held", as: Int64.self)) == 1
            }
            return receipts
        }
    }

    private static let attachmentReceiptTable = StoredTable(
        file: BulletinStore.fileName, name: "attachment_receipt", key: ["bulletin_id", "number", "recipient"])
}
