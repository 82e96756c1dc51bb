import Audit
import Exchange
import Foundation
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

    /// Connects to `card`'s service endpoint with `keys` (the secretariat's transport key pair).
    public init(context: Context, card: IdentityCard, keys: CurveKeyPair, timeoutMilliseconds: Int) throws(AuditCollectionError) {
        state = card.state
        endpoint = card.endpoints.service
        self.timeoutMilliseconds = timeoutMilliseconds
        do throws(ZeroMQError) {
            socket = try Socket(context, type: .dealer)
            try socket.setOption(.linger(milliseconds: 0))
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
        let frames = try request([AuditWire.headVerb])
        guard frames.count == 2 else { throw .malformedAnswer(state: state, reason: "audit-head answer has \(frames.count) frames, not 2") }
        do {
            return try SignedTreeHead(serializedBytes: frames[1])
        } catch {
            throw .malformedAnswer(state: state, reason: "signed tree head: \(error)")
        }
    }

    public func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) throws(AuditCollectionError) -> ConsistencyProof {
        let frames = try request([AuditWire.consistencyVerb, AuditWire.encode(firstSize), AuditWire.encode(secondSize)])
        guard frames.count == 2 else {
            throw .malformedAnswer(state: state, reason: "audit-consistency answer has \(frames.count) frames, not 2")
        }
        do {
            return try ConsistencyProof(canonicalBytes: frames[1])
        } catch {
            throw .malformedAnswer(state: state, reason: "consistency proof: \(error)")
        }
    }

    public func entryBytes(from first: UInt64, count: UInt64) throws(AuditCollectionError) -> [[UInt8]] {
        let frames = try request([AuditWire.entriesVerb, AuditWire.encode(first), AuditWire.encode(count)])
        guard frames.count >= 2, AuditWire.decode(frames[1]) == first else {
            throw .malformedAnswer(state: state, reason: "audit-entries answer does not start at entry \(first)")
        }
        return Array(frames.dropFirst(2))
    }

    public func inclusionProof(index: UInt64, treeSize: UInt64) throws(AuditCollectionError) -> InclusionProof {
        let frames = try request([AuditWire.inclusionVerb, AuditWire.encode(index), AuditWire.encode(treeSize)])
        guard frames.count == 2 else {
            throw .malformedAnswer(state: state, reason: "audit-inclusion answer has \(frames.count) frames, not 2")
        }
        do {
            return try InclusionProof(canonicalBytes: frames[1])
        } catch {
            throw .malformedAnswer(state: state, reason: "inclusion proof: \(error)")
        }
    }

    /// Sends `frames` and returns the answer with the same verb; an answer to an earlier request
    /// (one that timed out) is skipped.
    private func request(_ frames: [[UInt8]]) throws(AuditCollectionError) -> [[UInt8]] {
        let verb = frames[0]
        do {
            guard try socket.send(frames, dontWait: true) else {
                throw AuditCollectionError.unreachable(state: state, endpoint: endpoint, milliseconds: timeoutMilliseconds)
            }
            var poller = Poller()
            poller.register(socket)
            let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
            while ContinuousClock.now < deadline {
                guard try !poller.poll(timeoutMilliseconds: 50).isEmpty, let message = try socket.receive(dontWait: true) else { continue }
                guard let first = message.frames.first else { continue }
                if first == AuditWire.refusedVerb {
                    let reason = message.frames.count > 1 ? String(decoding: message.frames[1], as: UTF8.self) : "no reason given"
                    throw AuditCollectionError.refused(state: state, reason: reason)
                }
                if first == verb { return message.frames }
            }
        } catch let error as AuditCollectionError {
            throw error
        } catch {
            throw .transport(state: state, reason: "\(error)")
        }
        throw .unreachable(state: state, endpoint: endpoint, milliseconds: timeoutMilliseconds)
    }
}
