import Exchange
import Foundation
import Sodium

/// The roster keys a node trusts (docs/PROTOCOL.md §6.6, docs/OPERATIONS.md, "Rotating the
/// secretariat's key"):
///
/// ```
/// DATA/
///   secretariat.pub         the secretariat's roster key, pinned at init (hex)
///   secretariat-next.pub    its successor, announced by the last roster installed (absent: none)
///   secretariat-backup.pub  the secretariat's offline backup key, pinned at init (optional)
/// ```
///
/// A roster signed by any of the three verifies. When the node installs one signed by the
/// successor, the successor becomes the pinned key: the old key signs nothing the node accepts
/// any more. The backup key is for the day the roster key is lost: kept offline, it signs a
/// roster that names a new successor, and every node follows without an operator.
extension NodeDirectory {
    var secretariatSuccessorKeyFile: URL { root.appendingPathComponent("secretariat-next.pub") }
    var secretariatBackupKeyFile: URL { root.appendingPathComponent("secretariat-backup.pub") }

    /// The verifier of offered rosters: the pinned key, its announced successor, the backup key.
    public func rosterVerifier() throws(SetupError) -> RosterVerifier {
        let others = [
            try loadKey(secretariatSuccessorKeyFile, what: "announced successor of the secretariat key"),
            try loadKey(secretariatBackupKeyFile, what: "pinned secretariat backup key"),
        ].compactMap { $0 }
        return RosterVerifier(secretariatKey: try loadSecretariatKey(), otherKeys: others)
    }

    /// Pins the secretariat's offline backup key (at `init`, or later by the operator).
    public func pinSecretariatBackupKey(_ key: Ed25519.PublicKey) throws(SetupError) {
        try writePublicKey(key, to: secretariatBackupKeyFile)
    }

    /// Brings the pins up to date with `roster`, just installed, signed with `signer`: a roster
    /// signed with the announced successor makes it the pinned key; the roster's own successor
    /// (if any, and not the pinned key) is remembered, else the file is removed. Returns the key
    /// pinned now when it changed.
    @discardableResult
    public func updatePins(after roster: Roster, signedBy signer: Ed25519.PublicKey) throws(SetupError) -> Ed25519
        .PublicKey?
    {
        var pinned = try loadSecretariatKey()
        var changed: Ed25519.PublicKey?
        if signer != pinned,
            signer == (try loadKey(secretariatSuccessorKeyFile, what: "announced successor of the secretariat key"))
        {
            try writePublicKey(signer, to: secretariatKeyFile)
            pinned = signer
            changed = signer
        }
        if let successor = roster.successorKey, successor != pinned {
            try writePublicKey(successor, to: secretariatSuccessorKeyFile)
        } else if FileManager.default.fileExists(atPath: secretariatSuccessorKeyFile.path) {
            do {
                try FileManager.default.removeItem(at: secretariatSuccessorKeyFile)
            } catch {
                throw SetupError.cannotWrite(
                    path: secretariatSuccessorKeyFile.path, reason: "cannot remove it: \(error)")
            }
        }
        return changed
    }

    /// The text of a public key file: 64 hex digits and a line feed.
    static func keyFileContents(_ key: Ed25519.PublicKey) -> [UInt8] {
        Array((Hex.encode(key.rawRepresentation) + "\n").utf8)
    }

    /// Writes (or replaces) a public key file, mode 0600.
    func writePublicKey(_ key: Ed25519.PublicKey, to file: URL) throws(SetupError) {
        try SecureFile.write(Self.keyFileContents(key), to: file, mode: SecureFile.privateMode, replacing: true)
    }

    /// A hex Ed25519 key file, or `nil` when it does not exist.
    func loadKey(_ file: URL, what: String) throws(SetupError) -> Ed25519.PublicKey? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let text = String(decoding: try SecureFile.read(file, what: what), as: UTF8.self)
        do {
            return try Ed25519.PublicKey(
                rawRepresentation: Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        } catch {
            throw SetupError.invalidContent(path: file.path, reason: "not a 64-digit hexadecimal Ed25519 key")
        }
    }
}
