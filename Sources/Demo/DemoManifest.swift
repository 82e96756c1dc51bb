/// `DIR/demo.json`: what a demo region is made of, written last when the region is created, so
/// that its presence means the region is complete and a later run can reuse it.
public struct DemoManifest: Codable, Sendable, Equatable {
    /// One node of the region.
    public struct Node: Codable, Sendable, Equatable {
        /// Its state code (`MA`).
        public var state: String
        /// Its node name (`rabat-1`).
        public var name: String
        /// Its data folder's name inside the region (`ma`).
        public var folder: String
        /// Its publish port on 127.0.0.1.
        public var publishPort: Int
        /// Its service port on 127.0.0.1.
        public var servicePort: Int
    }

    /// The layout version of this file.
    public var format = 1
    /// The `--base-port` the region was created with.
    public var basePort: Int
    /// When it was created (RFC 3339).
    public var createdAt: String
    /// The nodes, in the order the demo shows them.
    public var nodes: [Node]
    /// The links of the signed roster (`MA→DZ`).
    public var links: [String]
}
