import Audit
import Exchange
import Foundation
import Wire
import ZeroMQ

/// The secretariat's connection to one node's service ROUTER: a DEALER, CURVE client with the
/// secretariat's transport key, server key = the node's card transport key. One request at a
/// time, each answered within ``timeoutMilliseconds`` or the node counts as unreachable.
///
/// Not `Sendable` (it owns a socket): use it on the thread that made it.
public final class NodeAuditClient: AuditSource {
    /// The node's state.
    public let state: StateCode
    /// The node's service endpoint, from its roster card.
    public let endpoint: String
    /// How long each request may wait for its answer.
    public let timeoutMilliseconds: Int
    private let socket: Socket

    /// The largest frame the client reads (`ZMQ_MAXMSGSIZE`, which libzmq applies to each frame):
    /// a larger one makes libzmq drop the connection, and the request times out (the node counts
    /// as unreachable). The largest frame of a legitimate answer is a consistency proof of 23 +
    /// 32 × 128 = 4,119 bytes (a tree of up to 2^64 entries), then a refusal's reason (≤ 4,096
    /// bytes read), an entry (≤ ``AuditEntryHeader/maximumUnknownKindBytes``) and a head (151);
    /// an `audit-entries` answer is one frame per entry, ≤ 1000 of them (docs/AUDIT.md §11, §12.1).
    public static let maximumFrameBytes: Int64 = 16 * 1_024
    /// Answers queued on receipt: one is expected at a time, a few late ones are skipped.
    static let answersQueued: Int32 = 4

    /// Connects to `card`'s service endpoint with `keys` (the secretariat's transport key pair).
    public init(context: Context, card: IdentityCard, keys: CurveKeyPair, timeoutMilliseconds: Int) throws(AuditCollectionError) {
        state = card.state
        endpoint = card.endpoints.service
        self.timeoutMilliseconds = timeoutMilliseconds
        do throws(ZeroMQError) {
            socket = try Socket(context, type: .dealer)
            try socket.setOption(.linger(milliseconds: 0))
            try socket.setOption(.maxMessageSize(bytes: Self.maximumFrameBytes))
            try socket.setOption(.receiveHighWaterMark(Self.answersQueued))
            try socket.makeCurveClient(
                serverKey: try CurvePublicKey(rawRepresentation: card.transportKey.rawRepresentation), keyPair: keys)
            try socket.connect(card.endpoints.service)
        } catch {
            throw .transport(state: card.state, reason: error.description)
        }
    }

    deinit {
        socket.close()
    }

    public func signedTreeHead() throws(AuditCollectionError) -> SignedTreeHead {
        guard case .head(let bytes) = try request(.head) else { throw unexpectedAnswer(to: .head) }
        do {
            return try SignedTreeHead(serializedBytes: bytes)
        } catch {
            throw .malformedAnswer(state: state, reason: "signed tree head: \(error)")
        }
    }

    public func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) throws(AuditCollectionError) -> ConsistencyProof {
        let asked = AuditRequest.consistency(from: firstSize, to: secondSize)
        guard case .consistency(let bytes) = try request(asked) else { throw unexpectedAnswer(to: asked) }
        do {
            return try ConsistencyProof(canonicalBytes: bytes)
        } catch {
            throw .malformedAnswer(state: state, reason: "consistency proof: \(error)")
        }
    }

    public func entryBytes(from first: UInt64, count: UInt64) throws(AuditCollectionError) -> [[UInt8]] {
        let asked = AuditRequest.entries(from: first, count: count)
        guard case .entries(_, let entries) = try request(asked) else { throw unexpectedAnswer(to: asked) }
        return entries
    }

    public func inclusionProof(index: UInt64, treeSize: UInt64) throws(AuditCollectionError) -> InclusionProof {
        let asked = AuditRequest.inclusion(index: index, treeSize: treeSize)
        guard case .inclusion(let bytes) = try request(asked) else { throw unexpectedAnswer(to: asked) }
        do {
            return try InclusionProof(canonicalBytes: bytes)
        } catch {
            throw .malformedAnswer(state: state, reason: "inclusion proof: \(error)")
        }
    }

    private func unexpectedAnswer(to request: AuditRequest) -> AuditCollectionError {
        .malformedAnswer(state: state, reason: "the answer to \(request.name) is of another kind")
    }

    /// Sends `asked` and returns its answer; an answer to an earlier request (one that timed
    /// out) is skipped, a refusal throws, a malformed answer throws.
    private func request(_ asked: AuditRequest) throws(AuditCollectionError) -> AuditAnswer {
        do {
            guard try socket.send(asked.frames, dontWait: true) else {
                throw AuditCollectionError.unreachable(state: state, endpoint: endpoint, milliseconds: timeoutMilliseconds)
            }
            var poller = Poller()
            poller.register(socket)
            let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
            while ContinuousClock.now < deadline {
                guard try !poller.poll(timeoutMilliseconds: 50).isEmpty, let message = try socket.receive(dontWait: true) else { continue }
                let answer: AuditAnswer
                do {
                    answer = try AuditAnswer(frames: message.frames)
                } catch {
                    throw AuditCollectionError.malformedAnswer(state: state, reason: "\(error)")
                }
                if case .refused(let reason) = answer { throw AuditCollectionError.refused(state: state, reason: reason) }
                if answer.answers(asked) { return answer }
            }
        } catch let error as AuditCollectionError {
            throw error
        } catch {
            throw .transport(state: state, reason: "\(error)")
        }
        throw .unreachable(state: state, endpoint: endpoint, milliseconds: timeoutMilliseconds)
    }
}
