import BulletinSchema
import Foundation

/// The post form of one incident type, generated from its schema: the common fields of every
/// bulletin, then the type's own fields (enumerations as labelled choices, numbers as numbers),
/// and the structured ones (observables, lists of objects) as JSON in one text area. A refused
/// post shows each validator failure beside its field, in the officer's language, and keeps
/// everything that was typed.
struct PostForm {
    let catalog: SchemaCatalog
    let type: IncidentType
    let language: Language

    /// One input of the form, named as the form posts it: `title.ar`, `location.country`,
    /// `d.fuelType` (a member of `details`), `advanced` (the JSON of the other details).
    struct Field {
        enum Kind { case select([AllowedValue]), multiple([AllowedValue]), text(inputType: String?, step: String?), area(rows: Int) }
        var name: String
        var label: String
        var required: Bool
        var kind: Kind
        var hint: String?
    }

    /// The fields in display order.
    var fields: [Field] {
        var fields: [Field] = []
        let common = catalog.bulletinFields
        func field(_ name: String) -> FieldDescription? { common.first { $0.name == name } }
        for lang in Language.allCases {
            fields.append(Field(name: "title.\(lang.rawValue)", label: "\(ConsoleText.title(language)) (\(lang.nativeName))", required: false, kind: .text(inputType: nil, step: nil)))
        }
        for lang in Language.allCases {
            fields.append(Field(name: "summary.\(lang.rawValue)", label: "\(ConsoleText.summary(language)) (\(lang.nativeName))", required: false, kind: .area(rows: 4)))
        }
        fields.append(Field(name: "occurredAt", label: ConsoleText.occurredAt(language), required: true, kind: .text(inputType: nil, step: nil), hint: "2026-11-29T14:30:00+01:00"))
        let location = field("location")?.fields ?? []
        if let country = location.first(where: { $0.name == "country" }) {
            fields.append(Field(name: "location.country", label: ConsoleText.country(language), required: true, kind: .select(country.allowedValues)))
        }
        fields.append(Field(name: "location.region", label: ConsoleText.region(language), required: false, kind: .text(inputType: nil, step: nil)))
        if let point = location.first(where: { $0.name == "crossingPoint" }) {
            fields.append(Field(name: "location.crossingPoint", label: point.labels[language], required: false, kind: .select(point.allowedValues)))
        }
        fields.append(Field(name: "location.latitude", label: ConsoleText.latitude(language), required: false, kind: .text(inputType: "number", step: "any")))
        fields.append(Field(name: "location.longitude", label: ConsoleText.longitude(language), required: false, kind: .text(inputType: "number", step: "any")))
        fields.append(Field(name: "location.precisionMetres", label: ConsoleText.precision(language), required: false, kind: .text(inputType: "number", step: "1")))
        for name in ["severity", "tlp", "sourceReliability", "workingGroup", "reportKind"] {
            guard let described = field(name) else { continue }
            fields.append(Field(name: name, label: described.labels[language], required: described.required, kind: .select(described.allowedValues)))
        }
        if let credibility = field("informationCredibility") {
            let grades = (1...6).map { AllowedValue(value: String($0), labels: LocalizedText(ar: String($0), fr: String($0), en: String($0)), addedIn: nil) }
            fields.append(Field(name: "informationCredibility", label: credibility.labels[language], required: true, kind: .select(grades), hint: credibility.descriptions[language]))
        }
        if let handling = field("handling") {
            fields.append(Field(name: "handling", label: handling.labels[language], required: false, kind: .multiple(handling.allowedValues)))
        }
        for described in type.fields where Self.isSimple(described) {
            fields.append(Self.field(for: described, language: language))
        }
        if type.fields.contains(where: { !Self.isSimple($0) }) {
            let names = type.fields.filter { !Self.isSimple($0) }.map(\.name).joined(separator: ", ")
            fields.append(Field(name: "advanced", label: ConsoleText.advancedDetails(language), required: false, kind: .area(rows: 8), hint: names))
        }
        return fields
    }

    /// A field the form can offer as one input: a scalar, or a list of labelled values.
    static func isSimple(_ field: FieldDescription) -> Bool {
        if field.types == [.array] { return !field.allowedValues.isEmpty && field.fields.isEmpty }
        return field.fields.isEmpty && [[.string], [.integer], [.number], [.boolean]].contains(field.types)
    }

    static func field(for described: FieldDescription, language: Language) -> Field {
        let name = "d.\(described.name)"
        let label = described.labels[language]
        if described.types == [.array] {
            return Field(name: name, label: label, required: described.required, kind: .multiple(described.allowedValues), hint: described.descriptions[language])
        }
        if !described.allowedValues.isEmpty {
            return Field(name: name, label: label, required: described.required, kind: .select(described.allowedValues), hint: described.descriptions[language])
        }
        switch described.types {
        case [.boolean]:
            let choices = [
                AllowedValue(value: "true", labels: LocalizedText(ar: "نعم", fr: "Oui", en: "Yes"), addedIn: nil),
                AllowedValue(value: "false", labels: LocalizedText(ar: "لا", fr: "Non", en: "No"), addedIn: nil),
            ]
            return Field(name: name, label: label, required: described.required, kind: .select(choices), hint: described.descriptions[language])
        case [.integer]:
            return Field(name: name, label: label, required: described.required, kind: .text(inputType: "number", step: "1"), hint: described.descriptions[language])
        case [.number]:
            return Field(name: name, label: label, required: described.required, kind: .text(inputType: "number", step: "any"), hint: described.descriptions[language])
        default:
            return Field(name: name, label: label, required: described.required, kind: .text(inputType: nil, step: nil), hint: described.descriptions[language])
        }
    }

    // MARK: - From a bulletin to the form (corrections)

    /// The form filled with `bulletin`'s values, for a correction: the officer changes what was
    /// wrong and posts the whole bulletin again (bulletins are never edited).
    func prefilled(from bulletin: JSONValue) -> FormBody {
        var values: [String: [String]] = [:]
        func set(_ name: String, _ value: JSONValue?) {
            guard let value else { return }
            switch value {
            case .string(let text): values[name] = [text]
            case .integer, .decimal, .bool: values[name] = [value.description]
            case .array(let elements): values[name] = elements.map { $0.stringValue ?? $0.description }
            default: break
            }
        }
        for lang in Language.allCases {
            set("title.\(lang.rawValue)", bulletin["title"]?[lang.rawValue])
            set("summary.\(lang.rawValue)", bulletin["summary"]?[lang.rawValue])
        }
        for name in ["occurredAt", "severity", "tlp", "sourceReliability", "informationCredibility", "workingGroup", "reportKind", "handling"] {
            set(name, bulletin[name])
        }
        for name in ["country", "region", "crossingPoint"] { set("location.\(name)", bulletin["location"]?[name]) }
        for name in ["latitude", "longitude", "precisionMetres"] { set("location.\(name)", bulletin["location"]?["position"]?[name]) }
        var advanced: [String: JSONValue] = [:]
        for (name, value) in bulletin["details"]?.objectValue ?? [:] {
            if let described = type.fields.first(where: { $0.name == name }), Self.isSimple(described) {
                set("d.\(name)", value)
            } else {
                advanced[name] = value
            }
        }
        if !advanced.isEmpty { values["advanced"] = [JSONValue.object(advanced).description] }
        return FormBody(values: values)
    }

    // MARK: - From the form to a draft

    /// The draft the form describes, as a JSON object; `problems` names fields whose text is not
    /// of their kind (a number that is not one, advanced details that are not a JSON object).
    func draft(from form: FormBody, reportedAt: String) -> (draft: [String: Any], problems: [String: String]) {
        var problems: [String: String] = [:]
        var draft: [String: Any] = ["schemaVersion": catalog.version.description, "incidentType": type.id, "reportedAt": reportedAt]
        var title: [String: String] = [:]
        var summary: [String: String] = [:]
        for lang in Language.allCases {
            if let text = form["title.\(lang.rawValue)"] { title[lang.rawValue] = text }
            if let text = form.values["summary.\(lang.rawValue)"]?.first, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                summary[lang.rawValue] = text.replacingOccurrences(of: "\r\n", with: "\n")
            }
        }
        if !title.isEmpty { draft["title"] = title }
        if !summary.isEmpty { draft["summary"] = summary }
        for name in ["occurredAt", "severity", "tlp", "sourceReliability", "workingGroup", "reportKind"] {
            if let value = form[name] { draft[name] = value }
        }
        if let credibility = form["informationCredibility"] {
            if let number = Int(credibility) { draft["informationCredibility"] = number } else { problems["informationCredibility"] = credibility }
        }
        let handling = form.all("handling")
        if !handling.isEmpty { draft["handling"] = handling }

        var location: [String: Any] = [:]
        for name in ["country", "region", "crossingPoint"] {
            if let value = form["location.\(name)"] { location[name] = value }
        }
        var position: [String: Any] = [:]
        for name in ["latitude", "longitude"] {
            guard let text = form["location.\(name)"] else { continue }
            if let number = Double(text) { position[name] = number } else { problems["location.\(name)"] = text }
        }
        if let text = form["location.precisionMetres"] {
            if let number = Int(text) { position["precisionMetres"] = number } else { problems["location.precisionMetres"] = text }
        }
        if !position.isEmpty { location["position"] = position }
        if !location.isEmpty { draft["location"] = location }

        var details: [String: Any] = [:]
        if let advanced = form.values["advanced"]?.first, !advanced.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            if let object = try? JSONSerialization.jsonObject(with: Data(advanced.utf8)) as? [String: Any] {
                details = object
            } else {
                problems["advanced"] = "JSON"
            }
        }
        for described in type.fields where Self.isSimple(described) {
            let name = "d.\(described.name)"
            if described.types == [.array] {
                let chosen = form.all(name)
                if !chosen.isEmpty { details[described.name] = chosen }
                continue
            }
            guard let text = form[name] else { continue }
            switch described.types {
            case [.boolean]: details[described.name] = text == "true"
            case [.integer]: if let number = Int(text) { details[described.name] = number } else { problems[name] = text }
            case [.number]: if let number = Double(text) { details[described.name] = number } else { problems[name] = text }
            default: details[described.name] = text
            }
        }
        draft["details"] = details
        return (draft, problems)
    }

    /// The form field a validator failure belongs to (`/details/fuelType` → `d.fuelType`), or
    /// `nil` for a failure the form shows above the fields.
    func fieldName(for pointer: JSONPointer) -> String? {
        let tokens = pointer.tokens
        guard let first = tokens.first else { return nil }
        switch first {
        case "title", "summary":
            return tokens.count > 1 ? "\(first).\(tokens[1])" : "\(first).\(language.rawValue)"
        case "location":
            guard tokens.count > 1 else { return "location.country" }
            if tokens[1] == "position", tokens.count > 2 { return "location.\(tokens[2])" }
            return "location.\(tokens[1])"
        case "details":
            guard tokens.count > 1 else { return nil }
            if let described = type.fields.first(where: { $0.name == tokens[1] }) {
                return Self.isSimple(described) ? "d.\(described.name)" : "advanced"
            }
            return "advanced"
        default:
            return first
        }
    }
}
