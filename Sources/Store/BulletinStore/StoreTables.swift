/// The store's tables, as errors name them (see ``StoredRow``).
extension StoredTable {
    static let bulletin = StoredTable(file: BulletinStore.fileName, name: "bulletin", key: ["id"])
    static let outgoingEnvelope = StoredTable(file: BulletinStore.fileName, name: "outgoing_envelope", key: ["recipient", "sequence"])
    static let incomingEnvelope = StoredTable(file: BulletinStore.fileName, name: "incoming_envelope", key: ["origin", "sequence"])
    static let receipt = StoredTable(file: BulletinStore.fileName, name: "receipt", key: ["recipient", "sequence", "status"])
    static let bulletinFlag = StoredTable(file: BulletinStore.fileName, name: "bulletin_flag", key: ["bulletin_id"])
    static let attachment = StoredTable(file: BulletinStore.fileName, name: "attachment", key: ["bulletin_id", "number"])
    static let attachmentChunk = StoredTable(file: BulletinStore.fileName, name: "attachment_chunk", key: ["bulletin_id", "number", "chunk"])
    static let rejection = StoredTable(file: BulletinStore.fileName, name: "rejection", key: ["peer", "reason"])
}
