import Exchange
import Foundation
import Sodium

/// The secretariat's folder: the roster-signing key and the draft of the next roster.
///
/// ```
/// SECRETARIAT/             mode 0700
///   secretariat.key        Ed25519 seed that signs rosters, Base64, mode 0600
///   secretariat.pub        its public key (hex), pinned by every node at init
///   roster-draft.json      members and links of the next roster
/// ```
public struct SecretariatDirectory: Sendable {
    /// The folder.
    public let root: URL

    /// The folder at `path`.
    public init(path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    var signingKeyFile: URL { root.appendingPathComponent("secretariat.key") }
    var publicKeyFile: URL { root.appendingPathComponent("secretariat.pub") }
    var draftFile: URL { root.appendingPathComponent("roster-draft.json") }

    /// Creates the roster-signing key. Refuses to replace an existing one.
    public func create() throws(SetupError) -> Ed25519.PublicKey {
        if FileManager.default.fileExists(atPath: signingKeyFile.path) {
            throw SetupError.alreadyExists(path: signingKeyFile.path)
        }
        try SecureFile.makePrivateDirectory(root)
        let key = Ed25519.PrivateKey()
        try SecureFile.write(Array((Base64.encode(key.seed.exportedBytes()) + "\n").utf8), to: signingKeyFile, mode: 0o600)
        try SecureFile.write(Array((Hex.encode(key.publicKey.rawRepresentation) + "\n").utf8), to: publicKeyFile, mode: 0o644)
        try saveDraft(RosterDraft())
        return key.publicKey
    }

    /// The roster-signing key.
    public func loadSigningKey() throws(SetupError) -> Ed25519.PrivateKey {
        try SecureFile.requirePrivate(signingKeyFile)
        let text = String(decoding: try SecureFile.read(signingKeyFile, what: "secretariat signing key"), as: UTF8.self)
        do {
            return try Ed25519.PrivateKey(seed: SecretBytes(copying: Base64.decode(text.trimmingCharacters(in: .whitespacesAndNewlines))))
        } catch {
            throw SetupError.invalidContent(path: signingKeyFile.path, reason: "not a Base64 Ed25519 seed")
        }
    }

    /// The draft of the next roster.
    public func loadDraft() throws(SetupError) -> RosterDraft {
        guard FileManager.default.fileExists(atPath: draftFile.path) else {
            throw SetupError.missing(path: draftFile.path, what: "roster draft")
        }
        do {
            return try JSONDecoder().decode(RosterDraft.self, from: Data(SecureFile.read(draftFile, what: "roster draft")))
        } catch let error as SetupError {
            throw error
        } catch {
            throw SetupError.invalidContent(path: draftFile.path, reason: "\(error)")
        }
    }

    /// Saves the draft.
    public func saveDraft(_ draft: RosterDraft) throws(SetupError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try SecureFile.write(Array(encoder.encode(draft)) + [0x0A], to: draftFile, mode: 0o644, replacing: true)
        } catch let error as SetupError {
            throw error
        } catch {
            throw SetupError.invalidContent(path: draftFile.path, reason: "\(error)")
        }
    }

    /// Signs the draft as the next roster version, valid from `now` for `validity`, and records
    /// the version so that the next signature is higher.
    public func signDraft(now: Timestamp = .now, validityDays: Int) throws(SetupError) -> (Roster, SignedRoster) {
        var draft = try loadDraft()
        let key = try loadSigningKey()
        let roster: Roster
        do {
            roster = try Roster(
                version: draft.lastSignedVersion + 1, issuedAt: now,
                expiresAt: now.adding(milliseconds: UInt64(validityDays) * 86_400_000),
                members: draft.members, links: draft.links)
        } catch {
            throw SetupError.rosterRefused("the draft is not a valid roster: \(error)")
        }
        let signed = roster.signed(by: key)
        draft.lastSignedVersion = roster.version
        try saveDraft(draft)
        return (roster, signed)
    }
}
