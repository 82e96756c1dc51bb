/// Where a node can be reached: its PUB socket (envelopes) and its ROUTER socket (replay
/// requests, receipts, tree heads), as ZeroMQ endpoint strings such as `tcp://node.ma.example:7450`.
///
/// An endpoint is 1…255 bytes of printable ASCII without spaces and contains `://`. The exchange
/// layer does not resolve or dial them; it only carries them in the signed roster so that
/// neighbours know where to connect.
public struct NodeEndpoints: Hashable, Sendable, Codable {
    /// Longest endpoint, in bytes.
    public static let maximumByteCount = 255

    /// The PUB socket that publishes envelopes (default port 7450).
    public let publish: String
    /// The ROUTER socket of the replay service, receipts and tree heads (default port 7451).
    public let service: String

    /// Both endpoints, each checked.
    public init(publish: String, service: String) throws(FormatError) {
        try NodeEndpoints.check(publish, field: "publish endpoint")
        try NodeEndpoints.check(service, field: "service endpoint")
        self.publish = publish
        self.service = service
    }

    init(reading reader: inout ByteReader) throws(FormatError) {
        let publish = try reader.readString(field: "publish endpoint")
        let service = try reader.readString(field: "service endpoint")
        try self.init(publish: publish, service: service)
    }

    func write(to writer: inout ByteWriter) {
        writer.write(string: publish)
        writer.write(string: service)
    }

    /// Decodes the JSON form (docs/PROTOCOL.md §3) with the same checks as the binary form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let publish = try container.decode(String.self, forKey: .publish)
        let service = try container.decode(String.self, forKey: .service)
        do {
            try self.init(publish: publish, service: service)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .publish, in: container, debugDescription: error.description)
        }
    }

    private static func check(_ endpoint: String, field: String) throws(FormatError) {
        let utf8 = Array(endpoint.utf8)
        guard (1...maximumByteCount).contains(utf8.count) else {
            throw FormatError.invalidField(field: field, reason: "must be 1…\(maximumByteCount) bytes, got \(utf8.count)")
        }
        guard utf8.allSatisfy({ (0x21...0x7E).contains($0) }), endpoint.contains("://") else {
            throw FormatError.invalidField(
                field: field, reason: "“\(endpoint)” is not an endpoint like tcp://host:7450 (printable ASCII, no spaces)")
        }
    }
}
