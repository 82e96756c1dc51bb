import BulletinSchema

/// Reads a TLP from STIX markings, as BorderNet, MISP and OpenCTI write them: the official TLP 2.0
/// marking definitions (``TLPMarking``), the TLP 1.0 ones of the STIX 2.1 specification (white is
/// read as CLEAR), and OpenCTI's own TLP:AMBER+STRICT (TLP 1.0 has no AMBER+STRICT, so OpenCTI
/// defines one; its id is fixed in OpenCTI's `schema/identifier.js`). A marking definition with
/// another id is read by its content when that content says plainly which TLP it is.
public enum STIXMarkingReader {
    /// The TLP 1.0 marking definitions of STIX 2.1 (§7.2.1.4) and OpenCTI's TLP:AMBER+STRICT.
    public static let knownIDs: [String: TLPMarking] = {
        var ids: [String: TLPMarking] = [
            "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": .clear,  // TLP 1.0 white; OpenCTI's TLP:CLEAR
            "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": .green,
            "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": .amber,
            "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": .red,
            "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37": .amberStrict,  // OpenCTI
        ]
        for marking in TLPMarking.allCases { ids[marking.id] = marking }
        return ids
    }()

    /// How strict each TLP is, CLEAR lowest.
    static func rank(_ marking: TLPMarking) -> Int {
        switch marking {
        case .clear: 0
        case .green: 1
        case .amber: 2
        case .amberStrict: 3
        case .red: 4
        }
    }

    /// The TLP of marking `id`: by its id, else by `definition` (the marking-definition object of
    /// the bundle with that id, if any) when it says which TLP it is: the TLP 2.0 extension's
    /// `tlp_2_0`, a TLP 1.0 `definition_type` "tlp" with `definition.tlp`, OpenCTI's
    /// `x_opencti_definition_type` "TLP" with `x_opencti_definition`, or `definition_type` "TLP"
    /// with a `name` such as "TLP:AMBER+STRICT". `nil` when it is not a TLP marking.
    public static func tlp(id: String, definition: [String: JSONValue]?) -> TLPMarking? {
        if let known = knownIDs[id] { return known }
        guard let definition else { return nil }
        if let extensions = definition["extensions"]?.objectValue,
            let tlp = extensions[TLPMarking.extensionDefinitionID]?["tlp_2_0"]?.stringValue
        {
            return label(tlp)
        }
        let type = definition["definition_type"]?.stringValue?.lowercased()
        if type == "tlp", let tlp = definition["definition"]?["tlp"]?.stringValue { return label(tlp) }
        if definition["x_opencti_definition_type"]?.stringValue?.lowercased() == "tlp",
            let text = definition["x_opencti_definition"]?.stringValue
        {
            return label(text)
        }
        if type == "tlp", let name = definition["name"]?.stringValue { return label(name) }
        return nil
    }

    /// A TLP written as `amber`, `TLP:AMBER+STRICT`, `tlp:white`…
    static func label(_ text: String) -> TLPMarking? {
        var value = String(text.uppercased().drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        if value.hasPrefix("TLP:") { value.removeFirst(4) }
        if value == "WHITE" { return .clear }
        if value == "AMBER STRICT" || value == "AMBER_STRICT" { return .amberStrict }
        return TLPMarking(rawValue: value)
    }

    /// A short description of a marking that is not TLP, for the report.
    static func describe(id: String, definition: [String: JSONValue]?) -> String {
        guard let definition else { return "\(id), not in the bundle" }
        if let statement = definition["definition"]?["statement"]?.stringValue {
            return "statement \"\(STIXImporter.shortened(statement))\""
        }
        let name = definition["name"]?.stringValue ?? definition["x_opencti_definition"]?.stringValue
        let type = definition["definition_type"]?.stringValue ?? definition["x_opencti_definition_type"]?.stringValue
        return [type, name].compactMap { $0 }.joined(separator: " ").isEmpty
            ? id : [type, name].compactMap { $0 }.joined(separator: " ")
    }
}
