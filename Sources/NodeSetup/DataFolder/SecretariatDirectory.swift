import Exchange
import Foundation
import Sodium

/// The secretariat's folder: the roster-signing key, the draft of the next roster, the last roster
/// it signed, and the secretariat's own node identity (a ``NodeDirectory`` in the same folder),
/// with which it connects to the nodes over CURVE to collect their audit logs.
///
/// ```
/// SECRETARIAT/             mode 0700
///   secretariat.key        Ed25519 seed that signs rosters, Base64, mode 0600
///   secretariat.pub        its public key (hex), pinned by every node at init
///   roster-draft.json      members and links of the next roster
///   roster.signed          the last roster signed (a copy of what `roster sign --out` wrote)
///   card.json, keys/       the secretariat's node identity (state XS, role secretariat)
///   node.toml              written by NodeDirectory.create; the secretariat runs no node
///   collected.sqlite       what `audit collect` fetched from the nodes (docs/AUDIT.md §12)
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
    var signedRosterFile: URL { root.appendingPathComponent("roster.signed") }

    /// The secretariat's node identity (keys, card), kept in the same folder.
    public var node: NodeDirectory { NodeDirectory(path: root.path) }

    /// The file where `audit collect` keeps what it fetched.
    public var collectionStorePath: String { root.appendingPathComponent("collected.sqlite").path }

    /// Endpoints written into the secretariat's card: it only connects out, so nobody dials them.
    public static let placeholderEndpoints = "tcp://127.0.0.1:1"

    /// Creates the roster-signing key. Refuses to replace an existing one.
    public func create() throws(SetupError) -> Ed25519.PublicKey {
        if FileManager.default.fileExists(atPath: signingKeyFile.path) {
            throw SetupError.alreadyExists(path: signingKeyFile.path)
        }
        try SecureFile.makePrivateDirectory(root)
        let key = Ed25519.PrivateKey()
        try SecureFile.write(Array((Base64.encode(key.seed.exportedBytes()) + "\n").utf8), to: signingKeyFile, mode: SecureFile.privateMode)
        try SecureFile.write(Array((Hex.encode(key.publicKey.rawRepresentation) + "\n").utf8), to: publicKeyFile, mode: SecureFile.privateMode)
        try saveDraft(RosterDraft())
        return key.publicKey
    }

    /// Creates the secretariat's node identity (keys/, card.json) in this folder for `state` (`XS`
    /// by default, a user-assigned ISO code) and adds it to the roster draft with the role
    /// `secretariat`, so that the signed roster lets nodes recognise its CURVE key. Run after
    /// ``create()``; refuses a folder that already holds a node identity.
    @discardableResult
    public func createNode(state: StateCode, nodeName: String) throws(SetupError) -> NodeIdentity {
        let rosterKey = try loadSigningKey().publicKey
        var draft = try loadDraft()
        let endpoints: NodeEndpoints
        do {
            endpoints = try NodeEndpoints(publish: Self.placeholderEndpoints, service: Self.placeholderEndpoints)
        } catch {
            throw SetupError.invalidArgument("placeholder endpoints: \(error)")
        }
        let identity = try node.create(
            state: state, nodeName: nodeName, endpoints: endpoints, secretariatKey: rosterKey, configuration: NodeConfiguration())
        draft.add(RosterMember(card: identity.card, role: .secretariat))
        try saveDraft(draft)
        return identity
    }

    /// The last roster this secretariat signed (``signDraft(now:validityDays:)`` keeps a copy),
    /// verified with the secretariat's own key.
    public func loadSignedRoster(now: Timestamp = .now) throws(SetupError) -> Roster {
        guard FileManager.default.fileExists(atPath: signedRosterFile.path) else {
            throw SetupError.missing(path: signedRosterFile.path, what: "signed roster (run `bordernet roster sign` first)")
        }
        let key = try loadSigningKey().publicKey
        do {
            let signed = try SignedRoster(serializedBytes: SecureFile.read(signedRosterFile, what: "signed roster"))
            return try RosterVerifier(secretariatKey: key).verify(signed, now: now)
        } catch let error as SetupError {
            throw error
        } catch {
            throw SetupError.rosterRefused("\(signedRosterFile.path) does not verify: \(error)")
        }
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
            try SecureFile.write(Array(encoder.encode(draft)) + [0x0A], to: draftFile, mode: SecureFile.privateMode, replacing: true)
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
                members: draft.members, links: draft.links, retiredKeys: draft.retiredKeys,
                // The new key signing with the draft it was handed: the hand-over is done.
                successorKey: draft.successorKey == key.publicKey ? nil : draft.successorKey)
        } catch {
            throw SetupError.rosterRefused("the draft is not a valid roster: \(error)")
        }
        let signed = roster.signed(by: key)
        draft.lastSignedVersion = roster.version
        try saveDraft(draft)
        try SecureFile.write(signed.serializedBytes, to: signedRosterFile, mode: SecureFile.privateMode, replacing: true)
        return (roster, signed)
    }
}
