/// The watch-list part of a control request (`watchAdd`, `watchRemove`, `watchList`;
/// docs/SEARCH.md, "Watch-lists and alerts"). The owner is named by the caller: the console and
/// `bordernet watch` are local programs of the node's user, which alone can reach the control
/// socket. The node checks every member and refuses, with the reason, what it cannot take.
public struct WatchRequest: Codable, Sendable, Equatable {
    /// Who keeps the entry: `user:NAME`, `agency:NAME` or `operator`.
    public var owner: String
    /// `watchRemove`: the entry's number.
    public var entry: Int64?
    /// `watchAdd`: what is watched (`name`, `document`, `plate`, `vessel`, `phone`,
    /// `incident-type`, `crossing-point`).
    public var kind: String?
    /// `watchAdd`: the value (at most 200 characters).
    public var value: String?
    /// `watchAdd`: the owner's own words for it (optional, at most 200 characters, one line).
    public var label: String?
    /// `watchAdd`: what the owner can read now; the entry alerts only on bulletins within it.
    public var scope: WatchScope?

    /// A request for `owner`.
    public init(owner: String, entry: Int64? = nil, kind: String? = nil, value: String? = nil, label: String? = nil, scope: WatchScope? = nil) {
        self.owner = owner
        self.entry = entry
        self.kind = kind
        self.value = value
        self.label = label
        self.scope = scope
    }
}

/// What a watch-list entry's owner can read (a `ReadableScope` on the wire): `everything`,
/// `nothing`, or `restricted` to working groups, TLP labels and the handling codes permitted.
public struct WatchScope: Codable, Sendable, Equatable {
    /// `everything`, `nothing` or `restricted`.
    public var kind: String
    /// `restricted`: the working groups (`security`, `intelligence`, `customs`, `justice`).
    public var workingGroups: [String]?
    /// `restricted`: the TLP labels (`CLEAR`, `GREEN`, `AMBER`, `AMBER+STRICT`, `RED`).
    public var tlps: [String]?
    /// `restricted`: the handling codes a bulletin may carry (any other refuses it).
    public var permittedHandling: [String]?

    /// A scope.
    public init(kind: String, workingGroups: [String]? = nil, tlps: [String]? = nil, permittedHandling: [String]? = nil) {
        self.kind = kind
        self.workingGroups = workingGroups
        self.tlps = tlps
        self.permittedHandling = permittedHandling
    }

    /// Every bulletin of the node (the operator).
    public static let everything = WatchScope(kind: "everything")
}

/// A watch-list entry in an answer (`watchAdd` gives the one made, `watchList` the owner's).
public struct WatchListItem: Codable, Sendable, Equatable {
    /// Its number (what `watchRemove` and alerts name).
    public var id: Int64
    /// Its owner, `user:NAME`, `agency:NAME` or `operator`.
    public var owner: String
    /// What is watched, and the value.
    public var kind: String
    public var value: String
    /// The owner's label, if any.
    public var label: String?
    /// The scope kept with it.
    public var scope: WatchScope
    /// When it was made (Unix milliseconds).
    public var createdAt: Int64

    /// An entry.
    public init(id: Int64, owner: String, kind: String, value: String, label: String?, scope: WatchScope, createdAt: Int64) {
        self.id = id
        self.owner = owner
        self.kind = kind
        self.value = value
        self.label = label
        self.scope = scope
        self.createdAt = createdAt
    }
}
