import Store

/// The audit log's tables, as errors name them (see `StoredRow`).
extension StoredTable {
    static let auditEntry = StoredTable(file: AuditLog.fileName, name: "entry", key: ["leaf_index"])
    static let auditTreeHead = StoredTable(file: AuditLog.fileName, name: "tree_head", key: ["id"])
}
