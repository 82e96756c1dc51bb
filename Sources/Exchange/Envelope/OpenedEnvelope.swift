/// A verified envelope and its decrypted body (the bulletin JSON, for the schema layer).
///
/// `description` names the envelope only; the body is never printed.
public struct OpenedEnvelope: Sendable, CustomStringConvertible {
    /// The envelope, verified.
    public let envelope: Envelope
    /// The bulletin JSON bytes.
    public let body: [UInt8]

    /// The link position once this envelope is accepted.
    public var position: ChainPosition { ChainPosition(after: envelope) }

    /// `opened <envelope> (<n>-byte body)`.
    public var description: String { "opened \(envelope) (\(body.count)-byte body)" }
}
