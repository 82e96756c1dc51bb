import Sodium

/// Decides whether a node installs an offered roster, against the secretariat key pinned when the
/// node was set up (`bordernet init`). Checks, in order: size, signature, well-formedness,
/// version (no rollback), expiry.
public struct RosterVerifier: Sendable {
    /// The largest signed roster accepted (1 MiB: thousands of members).
    public static let maximumSignedRosterByteCount = 1 << 20

    /// The pinned key the secretariat signs rosters with.
    public let secretariatKey: Ed25519.PublicKey
    /// Other keys a roster may be signed with: the successor an installed roster announced
    /// (docs/PROTOCOL.md §6.6) and the secretariat's offline backup key pinned at `init`.
    public let otherKeys: [Ed25519.PublicKey]

    /// A verifier for rosters signed with `secretariatKey` or one of `otherKeys`.
    public init(secretariatKey: Ed25519.PublicKey, otherKeys: [Ed25519.PublicKey] = []) {
        self.secretariatKey = secretariatKey
        self.otherKeys = otherKeys
    }

    /// The trusted key whose signature `signed` carries, or `nil` (checked before anything of
    /// the roster is parsed).
    public func signer(of signed: SignedRoster) -> Ed25519.PublicKey? {
        ([secretariatKey] + otherKeys).first { $0.isValidSignature(signed.signature, for: signed.rosterBytes) }
    }

    /// What to do with an offered roster.
    public enum Acceptance: Sendable, Equatable {
        /// A newer, valid roster: install it (store the signed bytes, then switch to it).
        case install(Roster)
        /// The very roster already installed (same version, same bytes): nothing to do.
        case alreadyInstalled
    }

    /// Checks the signature and the contents of `signed` and that it has not expired at `now`,
    /// without comparing it with an installed roster (first setup, or loading the stored roster).
    public func verify(_ signed: SignedRoster, now: Timestamp) throws(RosterError) -> Roster {
        let roster = try verifiedContents(of: signed)
        guard !roster.isExpired(at: now) else { throw RosterError.expired(expiresAt: roster.expiresAt, now: now) }
        return roster
    }

    /// Whether to install `offered` in place of `installed` (nil when the node has none yet).
    ///
    /// A roster with the installed version is `alreadyInstalled` when its bytes are identical and a
    /// ``RosterError/versionConflict(version:)`` otherwise; a lower version is a rollback.
    public func accept(_ offered: SignedRoster, installed: Roster?, now: Timestamp) throws(RosterError) -> Acceptance {
        let roster = try verifiedContents(of: offered)
        if let installed {
            if roster.version == installed.version {
                guard roster.canonicalBytes == installed.canonicalBytes else {
                    throw RosterError.versionConflict(version: roster.version)
                }
                return .alreadyInstalled
            }
            guard roster.version > installed.version else {
                throw RosterError.rollback(offered: roster.version, installed: installed.version)
            }
        }
        guard !roster.isExpired(at: now) else { throw RosterError.expired(expiresAt: roster.expiresAt, now: now) }
        return .install(roster)
    }

    /// Size, signature (before any parsing of the contents), then well-formedness.
    private func verifiedContents(of signed: SignedRoster) throws(RosterError) -> Roster {
        let size = signed.rosterBytes.count + signed.signature.count
        guard size <= RosterVerifier.maximumSignedRosterByteCount else {
            throw RosterError.tooLarge(size: size, limit: RosterVerifier.maximumSignedRosterByteCount)
        }
        guard signer(of: signed) != nil else { throw RosterError.badSignature }
        return try Roster(canonicalBytes: signed.rosterBytes)
    }
}
