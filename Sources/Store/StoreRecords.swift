/// The last envelope of one link as this node knows it: its sequence number and hash. The next
/// envelope on the link has `sequence + 1` and chains `hash`.
public struct LinkPosition: Sendable, Equatable {
    /// The sequence number of the last envelope (1 for the first).
    public var sequence: UInt64
    /// The hash of that envelope.
    public var hash: [UInt8]

    /// A position on a link.
    public init(sequence: UInt64, hash: [UInt8]) {
        self.sequence = sequence
        self.hash = hash
    }
}

/// A bulletin as stored: its metadata in columns (for queries and status) and its JSON body.
/// Bulletins are never edited: a correction or withdrawal is another bulletin.
public struct StoredBulletin: Sendable, Equatable {
    /// The node-assigned bulletin id (canonical lower-case UUID text).
    public var id: String
    /// The state that posted it.
    public var origin: String
    /// The incident type (`drug-trafficking`, …).
    public var incidentType: String
    /// The TLP marking (`AMBER`, …).
    public var tlp: String
    /// When the origin created it, in Unix milliseconds.
    public var createdAt: Int64
    /// When this node stored it, in Unix milliseconds.
    public var storedAt: Int64
    /// The bulletin JSON exactly as validated.
    public var body: [UInt8]

    /// A bulletin row.
    public init(id: String, origin: String, incidentType: String, tlp: String, createdAt: Int64, storedAt: Int64, body: [UInt8]) {
        self.id = id
        self.origin = origin
        self.incidentType = incidentType
        self.tlp = tlp
        self.createdAt = createdAt
        self.storedAt = storedAt
        self.body = body
    }
}

/// An envelope this node sealed for one recipient state, kept for (re)publication and replay.
public struct OutgoingEnvelope: Sendable, Equatable {
    /// The recipient state.
    public var recipient: String
    /// Its sequence number on the link from this node to `recipient`.
    public var sequence: UInt64
    /// The bulletin it carries.
    public var bulletinID: String
    /// The envelope's hash (what the next envelope chains and receipts name).
    public var hash: [UInt8]
    /// The complete envelope bytes, as published.
    public var bytes: [UInt8]
    /// When it was sealed, in Unix milliseconds.
    public var createdAt: Int64

    /// An outgoing envelope row.
    public init(recipient: String, sequence: UInt64, bulletinID: String, hash: [UInt8], bytes: [UInt8], createdAt: Int64) {
        self.recipient = recipient
        self.sequence = sequence
        self.bulletinID = bulletinID
        self.hash = hash
        self.bytes = bytes
        self.createdAt = createdAt
    }
}

/// An envelope this node accepted from an origin state.
public struct IncomingEnvelope: Sendable, Equatable {
    /// The origin state.
    public var origin: String
    /// Its sequence number on the link from `origin` to this node.
    public var sequence: UInt64
    /// The bulletin it carried.
    public var bulletinID: String
    /// The envelope's hash.
    public var hash: [UInt8]
    /// When this node stored it, in Unix milliseconds.
    public var receivedAt: Int64
    /// 0 when its bulletin was accepted; otherwise the protocol's rejection code. An envelope
    /// that was genuine and in order but whose content was refused still takes its place in the
    /// link's chain, so that the link goes on.
    public var status: Int

    /// An incoming envelope row.
    public init(origin: String, sequence: UInt64, bulletinID: String, hash: [UInt8], receivedAt: Int64, status: Int = 0) {
        self.origin = origin
        self.sequence = sequence
        self.bulletinID = bulletinID
        self.hash = hash
        self.receivedAt = receivedAt
        self.status = status
    }
}

/// A signed receipt a recipient returned for the link from this node to it.
public struct StoredReceipt: Sendable, Equatable {
    /// The recipient state that signed it.
    public var recipient: String
    /// The sequence number it acknowledges (with the chain, every envelope up to it).
    public var sequence: UInt64
    /// The hash of the acknowledged envelope, as the recipient computed it.
    public var envelopeHash: [UInt8]
    /// The protocol's status code: 0 accepted, otherwise the rejection reason.
    public var status: Int
    /// When the recipient stored the envelope, in Unix milliseconds (its clock).
    public var receivedAt: Int64
    /// The receipt's signed bytes, kept as proof of delivery.
    public var bytes: [UInt8]

    /// A receipt row.
    public init(recipient: String, sequence: UInt64, envelopeHash: [UInt8], status: Int, receivedAt: Int64, bytes: [UInt8]) {
        self.recipient = recipient
        self.sequence = sequence
        self.envelopeHash = envelopeHash
        self.status = status
        self.receivedAt = receivedAt
        self.bytes = bytes
    }
}

/// A message from a peer that this node refused, counted per peer and reason.
public struct Rejection: Sendable, Equatable {
    /// The peer it came from (its authenticated state code, or `?` if none).
    public var peer: String
    /// The sequence number it claimed, when it could be read.
    public var sequence: UInt64?
    /// The protocol's reason (`badSignature`, `wrongRecipient`, …).
    public var reason: String
    /// When it was refused, in Unix milliseconds.
    public var at: Int64

    /// A rejection row.
    public init(peer: String, sequence: UInt64?, reason: String, at: Int64) {
        self.peer = peer
        self.sequence = sequence
        self.reason = reason
        self.at = at
    }
}
