/// What an accepted assertion says.
public struct VerifiedAssertion: Sendable, Hashable {
    /// The counter to store for the credential.
    public let signCount: UInt32
    /// Whether the authenticator verified the user.
    public let userVerified: Bool

    public init(signCount: UInt32, userVerified: Bool) {
        self.signCount = signCount
        self.userVerified = userVerified
    }
}
