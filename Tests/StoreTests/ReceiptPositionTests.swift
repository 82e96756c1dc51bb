import Exchange
import Foundation
@testable import Store
import Testing

/// Receipt cases found missing by `make mutate` (Tests/Mutations/).
@Suite("BulletinStore: which receipts acknowledge, which are new")
struct ReceiptPositionTests {
    let path: String

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bordernet-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("store.sqlite").path
    }

    func receipt(_ recipient: String, _ sequence: UInt64, status code: UInt16) throws -> StoredReceipt {
        let status: ReceiptStatus = code == 0 ? .accepted : .rejected(try #require(RejectionReason(rawValue: code)))
        return StoredReceipt(
            recipient: try StateCode(recipient), sequence: sequence, envelopeHash: try EnvelopeHash(bytes: [UInt8](repeating: 9, count: 32)),
            status: status, receivedAt: Timestamp(millisecondsSinceEpoch: 1), bytes: [7])
    }

    /// Catches mutation `store-acknowledged-only-accepted`: only accepted receipts counted. An
    /// envelope refused for its content (400, 5xx) took its place in the recipient's chain and is
    /// acknowledged (PROTOCOL.md §11.1); one refused before that (302, a broken chain) is not.
    @Test("receipts refused for content (400, 5xx) acknowledge; other rejections do not")
    func contentRejectionsAcknowledge() throws {
        let store = try BulletinStore(path: path)
        _ = try store.recordReceipts([
            receipt("DZ", 1, status: 0), receipt("DZ", 2, status: 400),
            receipt("TN", 1, status: 0), receipt("TN", 2, status: 517),
            receipt("MR", 1, status: 0), receipt("MR", 2, status: 302),
        ])
        #expect(try store.acknowledgedPositions() == [StateCode("DZ"): 2, StateCode("TN"): 2, StateCode("MR"): 1])
    }

    /// Catches mutation `store-receipt-always-new`: `recordReceipts` calling a receipt it already
    /// held new, so that the node would audit it again.
    @Test("a receipt stored again is reported as not new")
    func repeatedReceiptIsNotNew() throws {
        let store = try BulletinStore(path: path)
        #expect(try store.recordReceipts([receipt("DZ", 1, status: 0), receipt("DZ", 2, status: 0)]) == [true, true])
        #expect(try store.recordReceipts([receipt("DZ", 2, status: 0), receipt("DZ", 3, status: 0)]) == [false, true])
    }
}
