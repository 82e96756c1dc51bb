import Exchange
import Foundation
import Sodium

/// Key rotation in a node's data folder (docs/OPERATIONS.md, "Rotating a node's keys").
///
/// ```
/// DATA/
///   keys.next/          the next keys, made by `bordernet keys rotate` (mode 0700, files 0600)
///   card.next.json      their card, to send to the secretariat
///   keys.retired/       keys the node used before, one folder per rotation, named by the
///     1767225600000/    time of the switch (Unix ms): keys/ and card.json as they were.
/// ```
///
/// The node switches to the next keys when the roster it installs holds `card.next.json` as its
/// card (live, or at start): ``completeRotation(at:)`` moves the current keys into
/// `keys.retired/`, then the next ones into place. A crash between the moves is finished at the
/// next start (``finishInterruptedRotation()``). Retired encryption keys stay readable: envelopes
/// sealed to the old key before every origin had the new roster still open
/// (``retiredEncryptionKeys(limit:)``).
extension NodeDirectory {
    var nextKeysDirectory: URL { root.appendingPathComponent("keys.next", isDirectory: true) }
    var nextCardFile: URL { root.appendingPathComponent("card.next.json") }
    var retiredKeysDirectory: URL { root.appendingPathComponent("keys.retired", isDirectory: true) }

    /// Makes the node's next keys and their card (same state, name, endpoints and declared schema
    /// version as `card.json`) without touching the keys in use. Refuses when next keys already
    /// exist (a rotation under way: finish it, or remove `keys.next/` and `card.next.json`).
    public func createNextKeys() throws(SetupError) -> IdentityCard {
        for file in [nextKeysDirectory, nextCardFile] where FileManager.default.fileExists(atPath: file.path) {
            throw SetupError.alreadyExists(path: file.path)
        }
        let current = try loadCardFile()
        let next: NodeIdentity
        do {
            next = try NodeIdentity(
                state: current.card.state, nodeName: current.card.nodeName, endpoints: current.card.endpoints)
        } catch {
            throw SetupError.invalidArgument("cannot make keys for the card in card.json: \(error)")
        }
        try SecureFile.makePrivateDirectory(nextKeysDirectory)
        try writeKey(next.signingKey.seed, to: nextKeysDirectory.appendingPathComponent("signing.key"))
        try writeKey(
            next.encryptionKey.rawRepresentation, to: nextKeysDirectory.appendingPathComponent("encryption.key"))
        try writeKey(next.transportKey.rawRepresentation, to: nextKeysDirectory.appendingPathComponent("transport.key"))
        try SecureFile.write(
            try Self.encodeCard(CardFile(card: next.card, readsSchema: current.readsSchema)), to: nextCardFile,
            mode: SecureFile.privateMode)
        return next.card
    }

    /// The next keys made by ``createNextKeys()``, checked against `card.next.json`; `nil` when
    /// there are none.
    public func loadNextIdentity() throws(SetupError) -> NodeIdentity? {
        guard FileManager.default.fileExists(atPath: nextCardFile.path) else { return nil }
        return try loadIdentity(card: nextCardFile, keys: nextKeysDirectory)
    }

    /// Puts the next keys in place of the current ones, which go to `keys.retired/MS/` (`MS`:
    /// `time` in Unix milliseconds). Each step is a rename within the folder; a crash between two
    /// is finished by ``finishInterruptedRotation()``.
    public func completeRotation(at time: Timestamp) throws(SetupError) {
        guard FileManager.default.fileExists(atPath: nextCardFile.path) else {
            throw SetupError.missing(path: nextCardFile.path, what: "next card (bordernet keys rotate)")
        }
        let retired = retiredKeysDirectory.appendingPathComponent(
            String(time.millisecondsSinceEpoch), isDirectory: true)
        try SecureFile.makePrivateDirectory(retiredKeysDirectory)
        try SecureFile.makePrivateDirectory(retired)
        try move(keysDirectory, to: retired.appendingPathComponent("keys", isDirectory: true))
        try move(cardFile, to: retired.appendingPathComponent("card.json"))
        try finishInterruptedRotation()
    }

    /// Finishes a rotation a crash interrupted: with the current keys or card already moved
    /// away and the next ones still beside them, moves the next ones into place. Does nothing
    /// otherwise.
    public func finishInterruptedRotation() throws(SetupError) {
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: keysDirectory.path), fileManager.fileExists(atPath: nextKeysDirectory.path) {
            try move(nextKeysDirectory, to: keysDirectory)
        }
        if !fileManager.fileExists(atPath: cardFile.path), fileManager.fileExists(atPath: nextCardFile.path) {
            try move(nextCardFile, to: cardFile)
        }
    }

    /// The encryption keys of earlier rotations, newest first, at most `limit`: what envelopes
    /// sealed to this node's old card may need. A folder that does not read is skipped.
    public func retiredEncryptionKeys(limit: Int = 4) -> [X25519.PrivateKey] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: retiredKeysDirectory.path) else {
            return []
        }
        let newestFirst = names.compactMap(UInt64.init).sorted(by: >).prefix(max(0, limit))
        return newestFirst.compactMap { name in
            let file = retiredKeysDirectory.appendingPathComponent(String(name), isDirectory: true)
                .appendingPathComponent("keys", isDirectory: true).appendingPathComponent("encryption.key")
            guard let secret = try? readKey(file) else { return nil }
            return try? X25519.PrivateKey(rawRepresentation: secret)
        }
    }

    private func move(_ source: URL, to destination: URL) throws(SetupError) {
        do {
            try FileManager.default.moveItem(at: source, to: destination)
        } catch {
            throw SetupError.cannotWrite(
                path: destination.path, reason: "cannot move \(source.lastPathComponent) there: \(error)")
        }
    }
}
