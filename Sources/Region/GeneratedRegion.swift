/// What the region generator wrote: where each node's data folder is, its ports, the roster.
/// Also written as `region.json` in the output folder, for scripts.
public struct GeneratedRegion: Sendable, Codable, Equatable {
    /// One generated node.
    public struct Node: Sendable, Codable, Equatable {
        /// The node's state code.
        public let state: String
        /// `member`, `partner` or `secretariat`.
        public let role: String
        /// The node's name.
        public let name: String
        /// The node's data folder (`bordernet node run --data …`).
        public let data: String
        /// Its publish endpoint (advertised in its card and bound in node.toml).
        public let publish: String
        /// Its service endpoint.
        public let service: String
    }

    /// The region's name.
    public let name: String
    /// The secretariat's folder (roster key, draft).
    public let secretariat: String
    /// The secretariat's roster-signing public key (hex), pinned by every node.
    public let secretariatKey: String
    /// The signed roster file, installed in every node.
    public let roster: String
    /// The roster's version (1 for a new region).
    public let rosterVersion: UInt64
    /// When the roster expires (RFC 3339).
    public let rosterExpiresAt: String
    /// Every node, sorted by state.
    public let nodes: [Node]
    /// Every link, `MA→DZ`.
    public let links: [String]

    /// The node of `state`, if generated.
    public func node(_ state: String) -> Node? {
        nodes.first { $0.state == state }
    }
}
