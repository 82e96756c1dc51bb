import Exchange
import GRDB

/// A receipt status is stored as its code (`INTEGER`): 0 for accepted, otherwise the rejection
/// reason's code (1…65535, known to this version or not), as the audit log and receipts write it.
extension ReceiptStatus: StoredValue {
    /// 0, or the rejection reason's code.
    public var databaseValue: DatabaseValue {
        switch self {
        case .accepted: Int64(0).databaseValue
        case .rejected(let reason): Int64(reason.rawValue).databaseValue
        }
    }

    /// The status of an integer 0…65535; `nil` for anything else.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> ReceiptStatus? {
        guard case .int64(let code) = value.storage, let code = UInt16(exactly: code) else { return nil }
        return RejectionReason(rawValue: code).map(ReceiptStatus.rejected) ?? .accepted
    }

    /// `a status code 0…65535 (0 accepted, otherwise a rejection reason)`.
    public static var storedForm: String { "a status code 0…65535 (0 accepted, otherwise a rejection reason)" }
}
