import Synchronization

/// Counters of one ``EnvelopeOpener``: envelopes verified, refusals by reason, and decryptions
/// attempted. Metrics read them; tests use ``Counts/decryptionAttempts`` to show that no envelope
/// is decrypted before its signature and roster checks succeed.
public final class OpeningStatistics: Sendable {
    /// A snapshot of the counters.
    public struct Counts: Hashable, Sendable {
        /// Envelopes that passed every check before decryption.
        public var verified = 0
        /// Refusals, by reason.
        public var rejected: [RejectionReason: Int] = [:]
        /// Calls into the body decryption (successful or not).
        public var decryptionAttempts = 0
        /// Bodies decrypted successfully.
        public var decrypted = 0
    }

    private let state = Mutex(Counts())

    /// Zeroed counters.
    public init() {}

    /// The current values.
    public var counts: Counts { state.withLock { $0 } }

    func recordVerified() { state.withLock { $0.verified += 1 } }

    func recordRejection(_ reason: RejectionReason) { state.withLock { $0.rejected[reason, default: 0] += 1 } }

    func recordDecryptionAttempt() { state.withLock { $0.decryptionAttempts += 1 } }

    func recordDecrypted() { state.withLock { $0.decrypted += 1 } }
}
