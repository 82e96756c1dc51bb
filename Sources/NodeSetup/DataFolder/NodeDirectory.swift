import Exchange
import Foundation
import Sodium

/// A node's data folder: its keys, identity card, configuration, pinned secretariat key, installed
/// roster, store and local sockets.
///
/// ```
/// DATA/                 mode 0700; every file below is mode 0600 whatever the umask
///                       (docs/CONFIGURATION.md, "File modes")
///   node.toml           configuration (docs/CONFIGURATION.md)
///   card.json           the public identity card, to send to the secretariat, with the schema
///                       version the node read at init (advisory; `CardFile`)
///   secretariat.pub     the secretariat's Ed25519 public key, pinned at init (hex); in the
///                       secretariat's own folder, its roster key (the same file, kept as is);
///                       replaced by its successor when a roster signed with it is installed
///   secretariat-next.pub, secretariat-backup.pub   NodeDirectory+SecretariatKeys.swift
///   roster.signed       the installed roster (absent until `roster install`)
///   keys/               mode 0700
///     signing.key       Ed25519 seed, Base64, mode 0600
///     encryption.key    X25519 scalar, Base64, mode 0600
///     transport.key     CURVE (X25519) scalar, Base64, mode 0600
///   keys.next/, card.next.json   the next keys during a rotation (`keys rotate`)
///   keys.retired/MS/    keys used before a rotation (NodeDirectory+Rotation.swift)
///   store.sqlite        the store (+ -wal, -shm)
///   audit.sqlite        the audit log (docs/AUDIT.md)
///   control.sock        local commands (ipc)
///   feed.sock           decrypted bulletins for the state's agencies (ipc)
/// ```
public struct NodeDirectory: Sendable {
    /// The data folder.
    public let root: URL

    /// The folder at `path` (relative paths are taken from the current directory).
    public init(path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    var configurationFile: URL { root.appendingPathComponent("node.toml") }
    var cardFile: URL { root.appendingPathComponent("card.json") }
    var secretariatKeyFile: URL { root.appendingPathComponent("secretariat.pub") }
    var rosterFile: URL { root.appendingPathComponent("roster.signed") }
    var keysDirectory: URL { root.appendingPathComponent("keys", isDirectory: true) }
    var signingKeyFile: URL { keysDirectory.appendingPathComponent("signing.key") }
    var encryptionKeyFile: URL { keysDirectory.appendingPathComponent("encryption.key") }
    var transportKeyFile: URL { keysDirectory.appendingPathComponent("transport.key") }

    /// The `ipc://` endpoint of the node's control socket.
    public var controlEndpoint: String { "ipc://" + root.appendingPathComponent("control.sock").path }
    /// The `ipc://` endpoint of the node's local feed.
    public var feedEndpoint: String { "ipc://" + root.appendingPathComponent("feed.sock").path }

    /// Creates a new node: keys, identity card, configuration, pinned secretariat key. Refuses to
    /// touch a folder that already holds keys. `readsSchema`, when given, is written into
    /// `card.json` as the schema version the node reads (advisory: `roster add` copies it).
    public func create(
        state: StateCode, nodeName: String, endpoints: NodeEndpoints, secretariatKey: Ed25519.PublicKey,
        configuration: NodeConfiguration, readsSchema: BodySchemaVersion? = nil
    ) throws(SetupError) -> NodeIdentity {
        for file in [signingKeyFile, cardFile, configurationFile] where FileManager.default.fileExists(atPath: file.path) {
            throw SetupError.alreadyExists(path: file.path)
        }
        let identity: NodeIdentity
        do {
            identity = try NodeIdentity(state: state, nodeName: nodeName, endpoints: endpoints)
        } catch {
            throw SetupError.invalidArgument("invalid node name or endpoints: \(error)")
        }
        try SecureFile.makePrivateDirectory(root)
        try SecureFile.makePrivateDirectory(keysDirectory)
        try writeKey(identity.signingKey.seed, to: signingKeyFile)
        try writeKey(identity.encryptionKey.rawRepresentation, to: encryptionKeyFile)
        try writeKey(identity.transportKey.rawRepresentation, to: transportKeyFile)
        try pinSecretariatKey(secretariatKey)
        try SecureFile.write(
            try Self.encodeCard(CardFile(card: identity.card, readsSchema: readsSchema)), to: cardFile, mode: SecureFile.privateMode)
        try SecureFile.write(Array(configuration.renderedFile.utf8), to: configurationFile, mode: SecureFile.privateMode)
        return identity
    }

    /// Writes `secretariat.pub`. The secretariat's own folder already holds that file with the same
    /// key (`SecretariatDirectory`), which is kept; a different key there is never replaced.
    private func pinSecretariatKey(_ key: Ed25519.PublicKey) throws(SetupError) {
        let contents = Self.keyFileContents(key)
        if let existing = FileManager.default.contents(atPath: secretariatKeyFile.path) {
            guard [UInt8](existing) == contents else { throw SetupError.alreadyExists(path: secretariatKeyFile.path) }
            return
        }
        try SecureFile.write(contents, to: secretariatKeyFile, mode: SecureFile.privateMode)
    }

    /// The node's identity: its card and the three private keys, checked against each other.
    public func loadIdentity() throws(SetupError) -> NodeIdentity {
        try loadIdentity(card: cardFile, keys: keysDirectory)
    }

    /// The identity of the card in `card` and the keys in the folder `keys`, checked against each other.
    func loadIdentity(card cardFile: URL, keys: URL) throws(SetupError) -> NodeIdentity {
        let card = try loadCard(from: cardFile)
        let signing = try readKey(keys.appendingPathComponent("signing.key"))
        let encryption = try readKey(keys.appendingPathComponent("encryption.key"))
        let transport = try readKey(keys.appendingPathComponent("transport.key"))
        do {
            return try NodeIdentity(
                card: card, signingSeed: signing, encryptionSecret: encryption, transportSecret: transport)
        } catch {
            throw SetupError.invalidContent(path: keys.path, reason: "the keys do not match \(cardFile.lastPathComponent): \(error)")
        }
    }

    /// The node's public identity card.
    public func loadCard() throws(SetupError) -> IdentityCard {
        try loadCard(from: cardFile)
    }

    func loadCard(from file: URL) throws(SetupError) -> IdentityCard {
        let bytes = try SecureFile.read(file, what: "identity card")
        do {
            return try JSONDecoder().decode(IdentityCard.self, from: Data(bytes))
        } catch {
            throw SetupError.invalidContent(path: file.path, reason: "\(error)")
        }
    }

    /// `card.json` with the schema version it declares (advisory, ``CardFile``).
    func loadCardFile() throws(SetupError) -> CardFile {
        let bytes = try SecureFile.read(cardFile, what: "identity card")
        do {
            return try CardFile(json: Data(bytes))
        } catch {
            throw SetupError.invalidContent(path: cardFile.path, reason: "\(error)")
        }
    }

    /// The node's configuration.
    public func loadConfiguration() throws(SetupError) -> NodeConfiguration {
        let bytes = try SecureFile.read(configurationFile, what: "configuration file")
        do {
            return try NodeConfiguration(document: TOMLDocument(bytes: bytes))
        } catch {
            throw SetupError.invalidContent(path: configurationFile.path, reason: "\(error)")
        }
    }

    /// The secretariat key pinned at init.
    public func loadSecretariatKey() throws(SetupError) -> Ed25519.PublicKey {
        guard let key = try loadKey(secretariatKeyFile, what: "pinned secretariat key") else {
            throw SetupError.missing(path: secretariatKeyFile.path, what: "pinned secretariat key")
        }
        return key
    }

    /// The installed roster, verified again against the pinned key (the file could have been
    /// replaced). `nil` before the first `roster install`.
    public func loadRoster(now: Timestamp = .now) throws(SetupError) -> Roster? {
        try loadSignedRoster(now: now)?.roster
    }

    /// The installed roster and its signed bytes (what a node serves to peers that ask for it),
    /// verified as ``loadRoster(now:)`` verifies them; `nil` before the first `roster install`.
    public func loadSignedRoster(now: Timestamp = .now) throws(SetupError) -> (roster: Roster, signed: SignedRoster)? {
        guard FileManager.default.fileExists(atPath: rosterFile.path) else { return nil }
        let verifier = try rosterVerifier()
        do {
            let signed = try SignedRoster(serializedBytes: SecureFile.read(rosterFile, what: "roster"))
            return (try verifier.verify(signed, now: now), signed)
        } catch let error as SetupError {
            throw error
        } catch {
            throw SetupError.rosterRefused("the installed \(rosterFile.path) does not verify: \(error)")
        }
    }

    /// Installs `signed` if it verifies against the pinned secretariat key, is newer than the
    /// installed one and has not expired. Returns the roster now in force.
    ///
    /// `schemas`, when given, is what the node's schemas read and where they are: a roster
    /// declaring that this node reads more is refused (``NodeSchemas/check(_:state:reads:schemas:)``),
    /// since origins would send the node bulletins it refuses.
    @discardableResult
    public func installRoster(
        _ signed: SignedRoster, now: Timestamp = .now, schemas: (reads: BodySchemaVersion, directory: String)? = nil
    ) throws(SetupError) -> Roster {
        let verifier = try rosterVerifier()
        // The installed roster only matters here for its version (no rollback), so it is read
        // even if it has expired since it was installed.
        let installed = try installedRosterIgnoringExpiry()
        let acceptance: RosterVerifier.Acceptance
        do {
            acceptance = try verifier.accept(signed, installed: installed, now: now)
        } catch {
            throw SetupError.rosterRefused("\(error)")
        }
        switch acceptance {
        case .alreadyInstalled:
            guard let installed else { throw SetupError.rosterRefused("the roster was reported installed but none is") }
            return installed
        case .install(let roster):
            if let schemas { try NodeSchemas.check(roster, state: try loadCard().state, reads: schemas.reads, schemas: schemas.directory) }
            try SecureFile.write(signed.serializedBytes, to: rosterFile, mode: SecureFile.privateMode, replacing: true)
            if let signer = verifier.signer(of: signed) { try updatePins(after: roster, signedBy: signer) }
            return roster
        }
    }

    private func installedRosterIgnoringExpiry() throws(SetupError) -> Roster? {
        guard FileManager.default.fileExists(atPath: rosterFile.path) else { return nil }
        do {
            return try Roster(canonicalBytes: SignedRoster(serializedBytes: SecureFile.read(rosterFile, what: "roster")).rosterBytes)
        } catch {
            throw SetupError.invalidContent(path: rosterFile.path, reason: "\(error)")
        }
    }

    static func encodeCard(_ file: CardFile) throws(SetupError) -> [UInt8] {
        do {
            return try file.json()
        } catch {
            throw SetupError.invalidArgument("cannot encode the identity card: \(error)")
        }
    }

    func writeKey(_ key: SecretBytes, to file: URL) throws(SetupError) {
        try SecureFile.write(Array((Base64.encode(key.exportedBytes()) + "\n").utf8), to: file, mode: SecureFile.privateMode)
    }

    func readKey(_ file: URL) throws(SetupError) -> SecretBytes {
        try SecureFile.requirePrivate(file)
        let text = String(decoding: try SecureFile.read(file, what: "key file"), as: UTF8.self)
        do {
            return SecretBytes(copying: try Base64.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        } catch {
            throw SetupError.invalidContent(path: file.path, reason: "not a Base64 key")
        }
    }
}
