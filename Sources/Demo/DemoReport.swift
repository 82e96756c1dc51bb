import Wire
/// What one run of `bordernet demo` did and saw: the region, the samples posted and where they
/// arrived, each state's feed and each node's links. `--json` prints it as is.
public struct DemoReport: Codable, Sendable, Equatable {
    /// One running node.
    public struct Node: Codable, Sendable, Equatable {
        /// Its state.
        public var state: String
        /// Its node name.
        public var name: String
        /// Its data folder.
        public var data: String
        /// Its publish and service endpoints.
        public var publish: String
        /// Its service endpoint.
        public var service: String
        /// The child process id.
        public var pid: Int32
        /// Its log file.
        public var log: String
    }

    /// One sample bulletin and who got it.
    public struct Delivery: Codable, Sendable, Equatable {
        /// The example it came from.
        public var example: String
        /// The posting state.
        public var origin: String
        /// Its incident type.
        public var incidentType: String
        /// Its title.
        public var title: String
        /// The id the node assigned.
        public var id: String
        /// The states it was sealed for, sorted.
        public var recipients: [String]
        /// The recipients that stored it, sorted.
        public var deliveredTo: [String]
    }

    /// A state's feed after the samples arrived.
    public struct Feed: Codable, Sendable, Equatable {
        /// The state.
        public var state: String
        /// The bulletins of this run it received, oldest first.
        public var received: [FeedBulletin]
        /// How many bulletins it had received before this run.
        public var earlier: Int
    }

    /// The region's folder.
    public var directory: String
    /// Whether this run created the region (false: it reused one).
    public var created: Bool
    /// The first port of the region.
    public var basePort: Int
    /// The nodes.
    public var nodes: [Node]
    /// The roster's links.
    public var links: [String]
    /// The samples posted in this run.
    public var samples: [Delivery]
    /// Whether every sample reached every recipient in time.
    public var delivered: Bool
    /// Whether every link was acknowledged up to what it sent, in time.
    public var acknowledged: Bool
    /// Each state's feed.
    public var feeds: [Feed]
    /// Each node's status after the exchange.
    public var statuses: [NodeStatus]
}
