import Exchange

/// Which chunk of which attachment (docs/PROTOCOL.md §17.3): the bulletin, the attachment's
/// place in its body's list (from 1) and the chunk's index (from 0). The origin is the node
/// asked, so the bulletin's id is enough.
public struct AttachmentChunkPlace: Sendable, Hashable, CustomStringConvertible {
    /// The bulletin, of the origin asked.
    public var bulletinID: BulletinID
    /// The attachment's number, from 1.
    public var number: UInt16
    /// The chunk's index, from 0.
    public var index: UInt64

    /// A place.
    public init(bulletinID: BulletinID, number: UInt16, index: UInt64) {
        self.bulletinID = bulletinID
        self.number = number
        self.index = index
    }

    public var description: String { "\(bulletinID.ulid) #\(number) chunk \(index)" }

    var frames: [[UInt8]] { [bulletinID.bytes, WireNumber.encode(UInt64(number)), WireNumber.encode(index)] }

    /// Reads the three frames of a place, for `message` (errors name it).
    init(frames: ArraySlice<[UInt8]>, message: String) throws(WireError) {
        let frames = Array(frames)
        guard frames.count == 3 else {
            throw .frameCount(message: message, found: frames.count, expected: "3 after the verb")
        }
        guard let id = try? BulletinID(bytes: frames[0]) else {
            throw .malformedField(
                message: message, field: "bulletin", byteCount: frames[0].count, expected: BulletinID.byteCount)
        }
        guard let number = WireNumber.decode(frames[1]), let small = UInt16(exactly: number), small > 0 else {
            throw .malformedField(message: message, field: "number", byteCount: frames[1].count, expected: 8)
        }
        guard let index = WireNumber.decode(frames[2]) else {
            throw .malformedField(message: message, field: "index", byteCount: frames[2].count, expected: 8)
        }
        self.init(bulletinID: id, number: small, index: index)
    }
}

/// An origin's answer to an attachment chunk request (ROUTER → DEALER, docs/PROTOCOL.md §17.3):
///
/// ```
/// ["attachment", bulletin id (16), number (u64), index (u64), sealed chunk]   the chunk
/// ["attachment", bulletin id (16), number (u64), index (u64)]                 not served to you
/// ```
///
/// The chunk proves itself: it opens only under the attachment's key with its place as
/// associated data (``AttachmentCipher``).
public struct AttachmentChunkAnswer: Sendable, Equatable {
    /// The verb of the request and of its answer.
    public static let verb: [UInt8] = Array("attachment".utf8)

    /// The chunk's place, as asked.
    public var place: AttachmentChunkPlace
    /// The sealed chunk; `nil` when the origin does not serve it to the requester (no such
    /// attachment, or the bulletin was not sent to it).
    public var sealed: [UInt8]?

    /// An answer.
    public init(place: AttachmentChunkPlace, sealed: [UInt8]?) {
        self.place = place
        self.sealed = sealed
    }

    /// Whether `frames` (a requester's incoming message) is an attachment answer.
    public static func isAttachmentAnswer(_ frames: [[UInt8]]) -> Bool { frames.first == verb }

    /// Its frames (the ROUTER's routing id goes before them).
    public var frames: [[UInt8]] { [Self.verb] + place.frames + (sealed.map { [$0] } ?? []) }

    /// Reads an answer whose chunk is at most `maximumChunkBytes` long.
    public init(frames: [[UInt8]], maximumChunkBytes: Int) throws(WireError) {
        guard frames.count == 4 || frames.count == 5 else {
            throw .frameCount(message: "attachment answer", found: frames.count, expected: "4 or 5")
        }
        guard frames[0] == Self.verb else {
            throw .unknownKind(message: "attachment answer", byteCount: frames[0].count)
        }
        place = try AttachmentChunkPlace(frames: frames[1...3], message: "attachment answer")
        if frames.count == 5, frames[4].count > maximumChunkBytes {
            throw .oversized(message: "attachment answer", byteCount: frames[4].count, limit: maximumChunkBytes)
        }
        sealed = frames.count == 5 ? frames[4] : nil
    }
}

/// An origin's answer to an attachment receipt (ROUTER → DEALER, docs/PROTOCOL.md §17.4):
/// `["attachment-receipt", bulletin id (16), number (u64)]` — the receipt for that attachment is
/// kept, so the recipient stops sending it again.
public struct AttachmentReceiptAnswer: Sendable, Equatable {
    /// The verb of the receipt and of its answer.
    public static let verb: [UInt8] = Array("attachment-receipt".utf8)

    /// The bulletin whose attachment's receipt is kept.
    public var bulletinID: BulletinID
    /// The attachment's number, from 1.
    public var number: UInt16

    /// An answer.
    public init(bulletinID: BulletinID, number: UInt16) {
        self.bulletinID = bulletinID
        self.number = number
    }

    /// Whether `frames` (a requester's incoming message) is an attachment receipt's answer.
    public static func isReceiptAnswer(_ frames: [[UInt8]]) -> Bool { frames.first == verb }

    /// Its frames (the ROUTER's routing id goes before them).
    public var frames: [[UInt8]] { [Self.verb, bulletinID.bytes, WireNumber.encode(UInt64(number))] }

    /// Reads an answer.
    public init(frames: [[UInt8]]) throws(WireError) {
        guard frames.count == 3 else {
            throw .frameCount(message: "attachment receipt answer", found: frames.count, expected: "3")
        }
        guard frames[0] == Self.verb else {
            throw .unknownKind(message: "attachment receipt answer", byteCount: frames[0].count)
        }
        guard let id = try? BulletinID(bytes: frames[1]) else {
            throw .malformedField(
                message: "attachment receipt answer", field: "bulletin", byteCount: frames[1].count,
                expected: BulletinID.byteCount)
        }
        guard let number = WireNumber.decode(frames[2]), let small = UInt16(exactly: number), small > 0 else {
            throw .malformedField(
                message: "attachment receipt answer", field: "number", byteCount: frames[2].count, expected: 8)
        }
        self.init(bulletinID: id, number: small)
    }
}
