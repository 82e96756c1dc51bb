import Exchange
import Foundation
import NodeSetup

/// A region as the secretariat plans it: which states take part, in which role, under which node
/// name, and who may send bulletins to whom. Read from a region file
/// (`Deploy/region/rabat-declaration.toml`), in the TOML subset of `node.toml`:
///
/// ```toml
/// [region]
/// name = "Rabat Declaration on border security"
/// roster_valid_days = 365
///
/// [secretariat]            # optional: the secretariat's own node (role secretariat)
/// state = "XS"
/// name = "secretariat-1"
///
/// [members]                # state = node name
/// MA = "rabat-1"
///
/// [partners]               # observers: only the links written below, never by default
/// ES = "madrid-1"
///
/// [links]
/// land = ["MA-DZ"]         # a land border: both directions
/// sea = ["MA-MR"]          # a sea neighbourhood: both directions
/// one_way = ["MA>ES"]      # origin > recipient only
/// ```
public struct RegionPlan: Sendable, Equatable {
    /// One node of the region.
    public struct Node: Sendable, Equatable {
        /// The node's state.
        public let state: StateCode
        /// The node's name (its card's `nodeName`).
        public let name: String
        /// Member, partner or secretariat.
        public let role: MemberRole
        /// The newest bulletin schema version the node's schemas read, declared in the roster
        /// (``RosterMember/readsSchema``) and in its card.json.
        public let readsSchema: BodySchemaVersion

        /// A node of `state` named `name` with `role`, whose schemas read up to `readsSchema`.
        public init(state: StateCode, name: String, role: MemberRole, readsSchema: BodySchemaVersion = RosterMember.defaultReadsSchema) {
            self.state = state
            self.name = name
            self.role = role
            self.readsSchema = readsSchema
        }
    }

    /// The region's name, for people.
    public var name: String
    /// How long a roster signed from this plan stays valid.
    public var rosterValidDays: Int
    /// Every node, sorted by state.
    public var nodes: [Node]
    /// The land and sea neighbourhoods, each linked in both directions.
    public var neighbourhoods: [RegionGeography.Neighbourhood]
    /// Links in one direction only (typically member → partner).
    public var oneWayLinks: [Link]

    /// A plan made of the given parts.
    public init(
        name: String, rosterValidDays: Int, nodes: [Node], neighbourhoods: [RegionGeography.Neighbourhood], oneWayLinks: [Link]
    ) {
        self.name = name
        self.rosterValidDays = rosterValidDays
        self.nodes = nodes.sorted { $0.state < $1.state }
        self.neighbourhoods = neighbourhoods
        self.oneWayLinks = oneWayLinks
    }

    /// The same plan with every node declared to read `version` (a region whose nodes all load
    /// one schema folder: `region generate`, the demo, the bench).
    public func reading(_ version: BodySchemaVersion) -> RegionPlan {
        var plan = self
        plan.nodes = nodes.map { Node(state: $0.state, name: $0.name, role: $0.role, readsSchema: version) }
        return plan
    }

    /// Every link of the roster: both directions of each neighbourhood, and the one-way links.
    public var links: [Link] {
        var links = Set(oneWayLinks)
        for pair in neighbourhoods {
            links.insert(Link(origin: pair.first, recipient: pair.second))
            links.insert(Link(origin: pair.second, recipient: pair.first))
        }
        return links.sorted()
    }

    /// The states of a role, sorted.
    public func states(_ role: MemberRole) -> [StateCode] {
        nodes.filter { $0.role == role }.map(\.state)
    }

    /// Reads a region file.
    public init(contentsOf file: URL) throws(RegionError) {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw RegionError.invalidFile(path: file.path, reason: error.localizedDescription)
        }
        let document: TOMLDocument
        do {
            document = try TOMLDocument(parsing: text)
        } catch {
            throw RegionError.invalidFile(path: file.path, reason: "\(error)".replacingOccurrences(of: "node.toml ", with: ""))
        }
        try self.init(document: document, path: file.path)
    }

    /// Reads a parsed region file; `path` names it in errors.
    public init(document: TOMLDocument, path: String = "region file") throws(RegionError) {
        let known = ["", "region", "secretariat", "members", "partners", "links"]
        for (table, values) in document.tables where !known.contains(table) || (table.isEmpty && !values.isEmpty) {
            throw RegionError.invalidFile(
                path: path, reason: table.isEmpty ? "keys before the first [table]" : "unknown table [\(table)] (known: [region], [secretariat], [members], [partners], [links])")
        }
        func string(_ table: String, _ key: String) throws(RegionError) -> String? {
            guard let value = document.value(table, key) else { return nil }
            guard case .string(let text) = value else {
                throw RegionError.invalidFile(path: path, reason: "'\(table).\(key)' must be a string in quotes, found \(value)")
            }
            return text
        }
        func strings(_ table: String, _ key: String) throws(RegionError) -> [String] {
            guard let value = document.value(table, key) else { return [] }
            guard case .array(let values) = value else {
                throw RegionError.invalidFile(path: path, reason: "'\(table).\(key)' must be an array of strings")
            }
            var texts: [String] = []
            for element in values {
                guard case .string(let text) = element else {
                    throw RegionError.invalidFile(path: path, reason: "'\(table).\(key)' must hold strings only, found \(element)")
                }
                texts.append(text)
            }
            return texts
        }
        func refuseUnknownKeys(_ table: String, _ keys: Set<String>) throws(RegionError) {
            for key in (document.tables[table] ?? [:]).keys where !keys.contains(key) {
                throw RegionError.invalidFile(path: path, reason: "unknown key '\(table).\(key)' (known: \(keys.sorted().joined(separator: ", ")))")
            }
        }
        func state(_ text: String, key: String) throws(RegionError) -> StateCode {
            do {
                return try StateCode(text)
            } catch {
                throw RegionError.invalidState(key: key, found: text)
            }
        }

        try refuseUnknownKeys("region", ["name", "roster_valid_days"])
        try refuseUnknownKeys("secretariat", ["state", "name"])
        try refuseUnknownKeys("links", ["land", "sea", "one_way"])
        let regionName = try string("region", "name") ?? "BorderNet region"
        var validDays = 365
        if let value = document.value("region", "roster_valid_days") {
            guard case .integer(let days) = value, (1...3_650).contains(days) else {
                throw RegionError.invalidFile(path: path, reason: "'region.roster_valid_days' must be an integer in 1…3650, found \(value)")
            }
            validDays = Int(days)
        }

        var nodes: [Node] = []
        var declared: Set<StateCode> = []
        func declare(_ node: Node) throws(RegionError) {
            guard declared.insert(node.state).inserted else { throw RegionError.duplicateState(node.state.description) }
            nodes.append(node)
        }
        for (table, role) in [("members", MemberRole.member), ("partners", .partner)] {
            for key in (document.tables[table] ?? [:]).keys.sorted() {
                let code = try state(key, key: "\(table).\(key)")
                guard let nodeName = try string(table, key), !nodeName.isEmpty else {
                    throw RegionError.invalidFile(path: path, reason: "'\(table).\(key)' must be the node's name, e.g. \"rabat-1\"")
                }
                try declare(Node(state: code, name: nodeName, role: role))
            }
        }
        if document.tables["secretariat"] != nil {
            guard let code = try string("secretariat", "state"), let nodeName = try string("secretariat", "name") else {
                throw RegionError.invalidFile(path: path, reason: "[secretariat] needs state (e.g. \"XS\") and name")
            }
            try declare(Node(state: try state(code, key: "secretariat.state"), name: nodeName, role: .secretariat))
        }

        var seen: Set<Link> = []
        func add(_ link: Link, written: String) throws(RegionError) {
            for end in [link.origin, link.recipient] where !declared.contains(end) {
                throw RegionError.undeclaredState(state: end.description, link: written)
            }
            guard seen.insert(link).inserted else { throw RegionError.duplicateLink(written) }
        }
        var neighbourhoods: [RegionGeography.Neighbourhood] = []
        for (key, border) in [("land", RegionGeography.Border.land), ("sea", .sea)] {
            for text in try strings("links", key) {
                let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, parts[0] != parts[1] else {
                    throw RegionError.invalidLink(key: "links.\(key)", found: text, expected: "two different states joined by '-', e.g. \"MA-DZ\"")
                }
                let first = try state(parts[0], key: "links.\(key)")
                let second = try state(parts[1], key: "links.\(key)")
                try add(Link(origin: first, recipient: second), written: text)
                try add(Link(origin: second, recipient: first), written: text)
                neighbourhoods.append(
                    RegionGeography.Neighbourhood(first: first, second: second, border: border, note: "\(path), links.\(key)"))
            }
        }
        var oneWay: [Link] = []
        for text in try strings("links", "one_way") {
            let parts = text.split(separator: ">", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, parts[0] != parts[1] else {
                throw RegionError.invalidLink(key: "links.one_way", found: text, expected: "origin '>' recipient, e.g. \"MA>ES\"")
            }
            let link = Link(origin: try state(parts[0], key: "links.one_way"), recipient: try state(parts[1], key: "links.one_way"))
            try add(link, written: text)
            oneWay.append(link)
        }
        self.init(name: regionName, rosterValidDays: validDays, nodes: nodes, neighbourhoods: neighbourhoods, oneWayLinks: oneWay)
    }
}
