import Exchange
import Foundation

/// What the policy needs to know about a bulletin: its markings, read from the bulletin's JSON (or
/// from the store's summary of it) by the caller, or by ``init(bulletinJSON:isOwn:origin:)``.
public struct BulletinAccessFacts: Sendable, Hashable {
    /// Its TLP marking.
    public var tlp: TLP
    /// Its working group; `nil` when it has none or one this version does not know (readers are
    /// then refused).
    public var workingGroup: WorkingGroup?
    /// Its handling codes as written (docs/SCHEMAS.md §2), known or not.
    public var handling: Set<String>
    /// The state that posted it (two letters).
    public var origin: String
    /// Whether this node posted it.
    public var isOwn: Bool

    /// The facts of one bulletin.
    public init(tlp: TLP, workingGroup: WorkingGroup?, handling: Set<String>, origin: String, isOwn: Bool) {
        self.tlp = tlp
        self.workingGroup = workingGroup
        self.handling = handling
        self.origin = origin
        self.isOwn = isOwn
    }

    /// The facts of the bulletin JSON `bulletinJSON` (its `tlp`, `workingGroup` and `handling`; the
    /// rest is not read). `nil` when it is not a JSON object, has no valid `tlp`, or a `handling`
    /// that is not an array of strings: the caller then refuses it. A `workingGroup` missing or
    /// unknown to this version gives `workingGroup == nil` (readers refused, officers read it).
    ///
    /// Parsed with Foundation's `JSONSerialization`, so that this pure module does not depend on
    /// `BulletinSchema`: the bulletin was validated when it was stored.
    public init?(bulletinJSON: [UInt8], isOwn: Bool, origin: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bulletinJSON)) as? [String: Any],
            let label = object["tlp"] as? String, let tlp = try? TLP(label: label)
        else { return nil }
        var handling: Set<String> = []
        if let codes = object["handling"] {
            guard let codes = codes as? [Any] else { return nil }
            for code in codes {
                guard let code = code as? String else { return nil }
                handling.insert(code)
            }
        }
        let workingGroup = (object["workingGroup"] as? String).flatMap(WorkingGroup.init(rawValue:))
        self.init(tlp: tlp, workingGroup: workingGroup, handling: handling, origin: origin, isOwn: isOwn)
    }
}
