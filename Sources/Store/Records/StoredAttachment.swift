import Exchange
import GRDB

/// A file a bulletin's body lists, as this node holds it (docs/PROTOCOL.md §17): what the signed
/// body says of it and how much of it is here.
public struct StoredAttachment: Sendable, Equatable {
    /// Where the file stands on this node.
    public enum State: String, Sendable, Equatable, CaseIterable {
        /// Every chunk is here and the file's hash and content checked (at the origin: from the post).
        case complete
        /// Chunks are still pulled from the origin.
        case transfer
        /// Not taken: larger than this node's limits, or its chunks did not make the file the body
        /// describes (``StoredAttachment/detail`` says why). Its chunks are not kept.
        case refused
    }

    /// The bulletin whose body lists the file.
    public var bulletin: BulletinReference
    /// Its place in the body's list, from 1.
    public var number: Int
    /// The file's SHA-256 (32 bytes).
    public var sha256: [UInt8]
    /// The file's size in bytes.
    public var size: UInt64
    /// Its media type, as the body says.
    public var mediaType: String
    /// Its name, as the body says.
    public var fileName: String
    /// Its key, as the body says (unpadded base64url).
    public var key: String
    /// How many chunks the file has.
    public var chunkCount: UInt64
    /// How many of them this node holds.
    public var chunksHeld: UInt64
    /// Where it stands.
    public var state: State
    /// Why it was refused (or `nil`).
    public var detail: String?
    /// When its state or chunks last changed.
    public var updatedAt: Timestamp

    /// An attachment as stored.
    public init(
        bulletin: BulletinReference, number: Int, sha256: [UInt8], size: UInt64, mediaType: String, fileName: String,
        key: String,
        chunkCount: UInt64, chunksHeld: UInt64, state: State, detail: String? = nil, updatedAt: Timestamp
    ) {
        self.bulletin = bulletin
        self.number = number
        self.sha256 = sha256
        self.size = size
        self.mediaType = mediaType
        self.fileName = fileName
        self.key = key
        self.chunkCount = chunkCount
        self.chunksHeld = chunksHeld
        self.state = state
        self.detail = detail
        self.updatedAt = updatedAt
    }

    /// What binds its chunks (``AttachmentCipher``).
    public var binding: AttachmentBinding? {
        guard let number = UInt16(exactly: number) else { return nil }
        return AttachmentBinding(bulletinID: bulletin.id, number: number, size: size)
    }
}

/// A state is stored as its name (`TEXT`).
extension StoredAttachment.State: StoredValue {
    /// The name.
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    /// The state of a known name; `nil` for anything else.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> StoredAttachment.State? {
        guard case .string(let text) = value.storage else { return nil }
        return StoredAttachment.State(rawValue: text)
    }

    /// `an attachment state (complete, transfer, refused)`.
    public static var storedForm: String { "an attachment state (\(allCases.map(\.rawValue).joined(separator: ", ")))" }
}
