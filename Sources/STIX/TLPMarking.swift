import BulletinSchema

/// The five TLP 2.0 markings as the official STIX 2.1 marking-definition objects of the OASIS CTI
/// TC (cti-stix-common-objects, `extension-definition-specifications/tlp-2.0`): fixed ids, created
/// 2022-10-01, the TLP 2.0 property extension. They are copied into every bundle that uses them,
/// byte for byte the same, so that a consumer that does not know them yet can read them.
public enum TLPMarking: String, Sendable, CaseIterable {
    /// TLP:CLEAR.
    case clear = "CLEAR"
    /// TLP:GREEN.
    case green = "GREEN"
    /// TLP:AMBER.
    case amber = "AMBER"
    /// TLP:AMBER+STRICT.
    case amberStrict = "AMBER+STRICT"
    /// TLP:RED.
    case red = "RED"

    /// The OASIS TLP 2.0 extension definition the marking objects use.
    public static let extensionDefinitionID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

    /// The bulletin's `tlp` value (`CLEAR`, `GREEN`, `AMBER`, `AMBER+STRICT`, `RED`).
    public init?(bulletinValue: String) {
        self.init(rawValue: bulletinValue)
    }

    /// The more restrictive of two markings (CLEAR < GREEN < AMBER < AMBER+STRICT < RED): what
    /// repeats the content of two bulletins goes no further than either allows.
    public static func moreRestrictive(_ first: TLPMarking, _ second: TLPMarking) -> TLPMarking {
        let order = allCases
        return (order.firstIndex(of: first) ?? 0) >= (order.firstIndex(of: second) ?? 0) ? first : second
    }

    /// The official marking-definition id.
    public var id: String {
        switch self {
        case .clear: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
        case .green: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
        case .amber: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
        case .amberStrict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
        case .red: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
        }
    }

    /// The marking-definition object, as published by OASIS.
    public var object: STIXObject {
        STIXObject(
            id: id, modified: "2022-10-01T00:00:00.000Z",
            content: .object([
                "type": .string("marking-definition"), "spec_version": .string("2.1"), "id": .string(id),
                "created": .string("2022-10-01T00:00:00.000Z"), "name": .string("TLP:\(rawValue)"),
                "extensions": .object([
                    Self.extensionDefinitionID: .object([
                        "extension_type": .string("property-extension"), "tlp_2_0": .string(rawValue.lowercased()),
                    ])
                ]),
            ]))
    }
}
