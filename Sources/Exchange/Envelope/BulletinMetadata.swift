/// What an envelope header says about the bulletin it carries, in clear: the same for every
/// envelope of one bulletin (one per recipient state).
public struct BulletinMetadata: Hashable, Sendable {
    /// The node-assigned bulletin id.
    public let bulletinID: BulletinID
    /// When the origin node sealed the bulletin.
    public let createdAt: Timestamp
    /// The TLP label (enforced on onward sharing without decrypting).
    public let tlp: TLP
    /// The schema version of the bulletin JSON.
    public let schemaVersion: BodySchemaVersion

    /// The header fields of one bulletin.
    public init(bulletinID: BulletinID, createdAt: Timestamp, tlp: TLP, schemaVersion: BodySchemaVersion) {
        self.bulletinID = bulletinID
        self.createdAt = createdAt
        self.tlp = tlp
        self.schemaVersion = schemaVersion
    }
}
