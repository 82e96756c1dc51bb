import Clearance
import Exchange
import Foundation

/// The JSON form of a ``ReadableScope``, as `watchlists.sqlite` keeps an entry's scope snapshot
/// and as the control socket's `watchAdd` carries it (docs/SEARCH.md, "Watch-lists and alerts"):
///
/// - `{"kind":"everything"}` — every bulletin of the node (the operator, a liaison officer);
/// - `{"kind":"nothing"}` — no bulletin (an entry that never alerts);
/// - `{"kind":"restricted","workingGroups":["security"],"tlps":["CLEAR","GREEN"],"permittedHandling":["not-for-third-states"]}`
///   — the bulletins of those working groups and TLPs whose every handling code is permitted.
///
/// Read strictly: an unknown kind, working group or TLP label is refused, never ignored.
public enum WatchScopeJSON {
    /// The most bytes of a scope's JSON that are read.
    public static let maximumBytes = 4_096

    struct Form: Codable {
        var kind: String
        var workingGroups: [String]?
        var tlps: [String]?
        var permittedHandling: [String]?
    }

    /// `scope` as JSON (members in a fixed order, sets sorted: one text for one scope).
    public static func encode(_ scope: ReadableScope) -> String {
        let form: Form
        switch scope {
        case .everything: form = Form(kind: "everything")
        case .nothing: form = Form(kind: "nothing")
        case .restricted(let groups, let tlps, let handling):
            form = Form(
                kind: "restricted", workingGroups: groups.map(\.rawValue).sorted(), tlps: tlps.sorted { $0.rawValue < $1.rawValue }.map(\.label),
                permittedHandling: handling.sorted())
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(form)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"kind":"nothing"}"#
    }

    /// The scope of `json`, or the reason it is refused (for a person: which member, which value).
    public static func decode(_ json: [UInt8]) -> Result<ReadableScope, WatchScopeError> {
        guard json.count <= maximumBytes else { return .failure(.init("the scope has \(json.count) bytes (at most \(maximumBytes))")) }
        guard let form = try? JSONDecoder().decode(Form.self, from: Data(json)) else {
            return .failure(.init("the scope is not a JSON object with a string 'kind' and arrays of strings"))
        }
        switch form.kind {
        case "everything", "nothing":
            guard form.workingGroups == nil, form.tlps == nil, form.permittedHandling == nil else {
                return .failure(.init("a scope of kind '\(form.kind)' has no other member"))
            }
            return .success(form.kind == "everything" ? .everything : .nothing)
        case "restricted":
            guard let groupNames = form.workingGroups, let labels = form.tlps else {
                return .failure(.init("a restricted scope names its 'workingGroups' and 'tlps'"))
            }
            let handling = form.permittedHandling ?? []
            guard groupNames.count <= 16, labels.count <= 16, handling.count <= 64, handling.allSatisfy({ (1...64).contains($0.utf8.count) })
            else { return .failure(.init("a restricted scope holds at most 16 working groups, 16 TLPs and 64 handling codes of 1–64 bytes")) }
            var groups: Set<WorkingGroup> = []
            for name in groupNames {
                guard let group = WorkingGroup(rawValue: name) else {
                    return .failure(
                        .init("'\(name.prefix(64))' is not a working group (\(WorkingGroup.allCases.map(\.rawValue).joined(separator: ", ")))"))
                }
                groups.insert(group)
            }
            var tlps: Set<TLP> = []
            for label in labels {
                guard let tlp = try? TLP(label: label) else {
                    return .failure(.init("'\(label.prefix(64))' is not a TLP label (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)"))
                }
                tlps.insert(tlp)
            }
            return .success(.restricted(workingGroups: groups, tlps: tlps, permittedHandling: Set(handling)))
        default:
            return .failure(.init("'\(form.kind.prefix(64))' is not a kind of scope (everything, nothing, restricted)"))
        }
    }

    /// The JSON of what an agency reader may read (``ClearancePolicy/readableScope(_:)`` for a
    /// reader, ``ClearancePolicy/readableScope(agency:)`` for an agency named for TLP:RED): for
    /// `bordernet watch add` with `--working-group`, `--tlp-max` and `--agency-kind`, so that the
    /// command line never re-decides what a clearance reads.
    public static func readerScope(
        workingGroups: [String], highestTLP: String, agencyKind: String, agency: Bool
    ) -> Result<String, WatchScopeError> {
        var groups: Set<WorkingGroup> = []
        for name in workingGroups {
            guard let group = WorkingGroup(rawValue: name) else {
                return .failure(.init("'\(name.prefix(64))' is not a working group (\(WorkingGroup.allCases.map(\.rawValue).joined(separator: ", ")))"))
            }
            groups.insert(group)
        }
        guard let tlp = try? TLP(label: highestTLP) else {
            return .failure(.init("'\(highestTLP.prefix(64))' is not a TLP label (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)"))
        }
        guard let kind = AgencyKind(rawValue: agencyKind) else {
            return .failure(.init("'\(agencyKind.prefix(64))' is not a kind of agency (\(AgencyKind.allCases.map(\.rawValue).joined(separator: ", ")))"))
        }
        let scope =
            agency
            ? ClearancePolicy.readableScope(agency: AgencyGrant(workingGroups: groups, highestTLP: tlp, agencyKind: kind))
            : ClearancePolicy.readableScope(Clearance(role: .reader, workingGroups: groups, highestTLP: tlp, agencyKind: kind))
        return .success(encode(scope))
    }

    /// Whether `scope` admits the bulletin `facts` describes: what ``ClearancePolicy`` would let
    /// the scope's holder read (working group, TLP, every handling code permitted).
    public static func admits(_ scope: ReadableScope, _ facts: BulletinAccessFacts) -> Bool {
        switch scope {
        case .everything: true
        case .nothing: false
        case .restricted(let groups, let tlps, let permitted):
            facts.workingGroup.map(groups.contains) == true && tlps.contains(facts.tlp) && facts.handling.isSubset(of: permitted)
        }
    }
}

/// Why a scope's JSON is refused.
public struct WatchScopeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, for a person.
    public let description: String

    init(_ description: String) { self.description = description }
}
