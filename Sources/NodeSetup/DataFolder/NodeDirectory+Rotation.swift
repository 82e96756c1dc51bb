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
///   rotation.pending    while the files move (the switch's time): finished at start if a
///                       crash interrupted the moves
/// ```
///
/// The node switches to the next keys when the roster it installs holds `card.next.json` as its
/// card (live, or at start): ``completeRotation(expectedCard:at:)`` writes `rotation.pending`,
/// moves the current keys into `keys.retired/`, then the next ones into place. A crash at any
/// point is finished at the next start (``finishInterruptedRotation()``). Retired encryption keys stay readable: envelopes
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

    var rotationMarkerFile: URL { root.appendingPathComponent("rotation.pending") }

    /// Puts the next keys in place of the current ones, which go to `keys.retired/MS/` (`MS`:
    /// `time` in Unix milliseconds), after checking that `card.next.json` is `expectedCard` (the
    /// card of the roster that asked for the switch). A marker file names the rotation first, and
    /// each step is a rename within the folder, so a crash anywhere is finished by
    /// ``finishInterruptedRotation()`` at the next start, never half done.
    public func completeRotation(expectedCard: IdentityCard, at time: Timestamp) throws(SetupError) {
        guard FileManager.default.fileExists(atPath: nextCardFile.path) else {
            throw SetupError.missing(path: nextCardFile.path, what: "next card (bordernet keys rotate)")
        }
        guard try loadCard(from: nextCardFile) == expectedCard else {
            throw SetupError.invalidContent(
                path: nextCardFile.path, reason: "it is not the card the roster holds for this node (keys rotate was run again since?)")
        }
        try SecureFile.write(Array(String(time.millisecondsSinceEpoch).utf8), to: rotationMarkerFile, mode: SecureFile.privateMode)
        try finishInterruptedRotation()
    }

    /// Finishes a rotation that ``completeRotation(expectedCard:at:)`` began (its marker file is
    /// there): moves what is left of the current keys and card into `keys.retired/MS/`, then the
    /// next ones into place, then removes the marker. Each step is skipped when already done, so it
    /// can run again after a crash at any point. Does nothing without the marker.
    public func finishInterruptedRotation() throws(SetupError) {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: rotationMarkerFile.path) else { return }
        let text = String(decoding: try SecureFile.read(rotationMarkerFile, what: "rotation marker"), as: UTF8.self)
        guard let milliseconds = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw SetupError.invalidContent(path: rotationMarkerFile.path, reason: "not a time in Unix milliseconds")
        }
        let retired = retiredKeysDirectory.appendingPathComponent(String(milliseconds), isDirectory: true)
        try SecureFile.makePrivateDirectory(retiredKeysDirectory)
        try SecureFile.makePrivateDirectory(retired)
        let pairs = [
            (current: keysDirectory, next: nextKeysDirectory, retired: retired.appendingPathComponent("keys", isDirectory: true)),
            (current: cardFile, next: nextCardFile, retired: retired.appendingPathComponent("card.json")),
        ]
        // First both current files go (while their next ones wait), then both next ones come.
        for pair in pairs where fileManager.fileExists(atPath: pair.current.path) && fileManager.fileExists(atPath: pair.next.path) {
            try move(pair.current, to: pair.retired)
        }
        for pair in pairs where !fileManager.fileExists(atPath: pair.current.path) && fileManager.fileExists(atPath: pair.next.path) {
            try move(pair.next, to: pair.current)
        }
        do {
            try fileManager.removeItem(at: rotationMarkerFile)
        } catch {
            throw SetupError.cannotWrite(path: rotationMarkerFile.path, reason: "cannot remove it: \(error)")
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
