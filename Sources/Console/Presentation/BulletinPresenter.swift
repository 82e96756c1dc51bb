import BulletinSchema
import Foundation
import Store

/// Turns stored bulletins into what a page shows, in the reader's language: labels from the
/// schemas, free text in the language it was written (marked), every string from another state
/// neutralised (no control or bidirectional override reaches the page; the template escapes
/// markup and isolates each value in `<bdi>`).
struct BulletinPresenter {
    let catalog: SchemaCatalog
    let language: Language
    let countries: [String: LocalizedText]

    init(catalog: SchemaCatalog, language: Language) {
        self.catalog = catalog
        self.language = language
        self.countries = Self.countryLabels(catalog)
    }

    /// The labels of ISO alpha-2 codes, from the bulletin's `location.country` enumeration.
    static func countryLabels(_ catalog: SchemaCatalog) -> [String: LocalizedText] {
        let country = catalog.bulletinFields.first { $0.name == "location" }?.fields.first { $0.name == "country" }
        return Dictionary((country?.allowedValues ?? []).map { ($0.value, $0.labels) }, uniquingKeysWith: { first, _ in first })
    }

    static func safe(_ text: String) -> String { DisplayText.neutralised(text) }

    /// A JSON boolean in words (the labelled details give it as `true`/`false`).
    func yesNo(_ text: String) -> String? {
        switch text {
        case "true": return LocalizedText(ar: "نعم", fr: "Oui", en: "Yes")[language]
        case "false": return LocalizedText(ar: "لا", fr: "Non", en: "No")[language]
        default: return nil
        }
    }

    func stateLabel(_ code: String) -> String {
        guard let label = countries[code] else { return Self.safe(code) }
        return "\(label[language]) (\(code))"
    }

    func typeLabel(_ id: String) -> String {
        catalog.incidentType(id)?.labels[language] ?? Self.safe(id)
    }

    static func tlpClass(_ tlp: String) -> String { tlp.replacingOccurrences(of: "+", with: "-") }

    static func time(_ milliseconds: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1_000)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date).prefix(16) + " UTC"
    }

    /// The text of a `{"ar", "fr", "en"}` object in the reader's language, else in the first
    /// language it has; with the language it is in.
    func localized(_ texts: [String: String]) -> (text: String, language: String)? {
        if let own = texts[language.rawValue] { return (Self.safe(own), language.rawValue) }
        for candidate in Language.allCases {
            if let text = texts[candidate.rawValue] { return (Self.safe(text), candidate.rawValue) }
        }
        return nil
    }

    /// One row of the feed; `flagged` only when the bulletin is flagged for review.
    func row(_ summary: BulletinSummary) -> [String: Any] {
        var row: [String: Any] = row(
            id: summary.id.description, origin: summary.origin.description, incidentType: summary.incidentType, tlp: summary.tlp.label,
            storedAt: Int64(clamping: summary.storedAt.millisecondsSinceEpoch), title: summary.title)
        if summary.flagged { row["flagged"] = true }
        return row
    }

    /// One row of the feed, from its parts (a live bulletin has no stored summary yet).
    func row(id: String, origin: String, incidentType: String, tlp: String, storedAt: Int64, title: [String: String]) -> [String: String] {
        let shown = localized(title) ?? (Self.safe(id), "en")
        return [
            "id": Self.safe(id), "storedAt": Self.time(storedAt), "originLabel": stateLabel(origin),
            "typeLabel": typeLabel(incidentType), "tlp": Self.safe(tlp), "tlpClass": Self.tlpClass(Self.safe(tlp)),
            "title": shown.text, "titleLang": shown.language,
        ]
    }

    /// The banner of a flagged bulletin, in the reader's language.
    func flagNotice(_ flag: BulletinFlag, origin: String) -> String {
        switch flag.reason {
        case .revokedKey:
            return ConsoleText.revokedKeyFlag(
                origin: Self.safe(origin), since: Self.time(Int64(clamping: flag.since.millisecondsSinceEpoch)), rosterVersion: flag.rosterVersion
            )[language]
        }
    }

    /// The bulletin page.
    func page(_ record: BulletinRecord) -> [String: Any] {
        let summary = record.summary
        let value = (try? JSONParser(maximumDepth: 64).parse(record.body)) ?? .object([:])
        var model: [String: Any] = [
            "id": summary.id.description, "tlp": summary.tlp.label, "tlpClass": Self.tlpClass(summary.tlp.label),
            "typeLabel": typeLabel(summary.incidentType), "originLabel": stateLabel(summary.origin.description),
            "storedAt": Self.time(Int64(clamping: summary.storedAt.millisecondsSinceEpoch)),
        ]
        if let flag = record.flag {
            model["flag"] = flagNotice(flag, origin: summary.origin.description)
        }
        // Titles and summaries: every language the origin wrote, the reader's first, each marked.
        func texts(_ member: String) -> [[String: Any]] {
            guard let object = value[member]?.objectValue else { return [] }
            let ordered = [language] + Language.allCases.filter { $0 != language }
            return ordered.compactMap { candidate in
                guard let text = object[candidate.rawValue]?.stringValue else { return nil }
                return [
                    "lang": candidate.rawValue, "langName": candidate.nativeName, "isReader": candidate == language,
                    "text": DisplayText.neutralised(text, keepingLineBreaks: true),
                ]
            }
        }
        model["titles"] = texts("title")
        model["summaries"] = texts("summary")

        var common: [[String: String]] = []
        func add(_ text: ConsoleText, _ member: String) {
            guard let raw = value[member] else { return }
            let shown: String
            if let string = raw.stringValue {
                shown = catalog.label(ofValue: string, inBulletinField: member)?[language] ?? Self.safe(string)
            } else {
                shown = Self.safe(raw.description)
            }
            common.append(["label": text(language), "value": shown])
        }
        add(.severity, "severity")
        add(.reportKind, "reportKind")
        add(.workingGroup, "workingGroup")
        add(.sourceReliability, "sourceReliability")
        add(.informationCredibility, "informationCredibility")
        add(.occurredAt, "occurredAt")
        add(.reportedAt, "reportedAt")
        if let location = value["location"]?.objectValue {
            var parts: [String] = []
            if let country = location["country"]?.stringValue { parts.append(stateLabel(country)) }
            if let region = location["region"]?.stringValue { parts.append(Self.safe(region)) }
            if let point = location["crossingPoint"]?.stringValue {
                parts.append(catalog.crossingPoints.first { $0.code == point }?.names[language] ?? Self.safe(point))
            } else if let point = location["borderCrossingPoint"]?.stringValue {
                parts.append(Self.safe(point))
            }
            if let position = location["position"]?.objectValue, let latitude = position["latitude"], let longitude = position["longitude"] {
                parts.append("\(latitude.description), \(longitude.description)")
            }
            common.append(["label": ConsoleText.location(language), "value": parts.joined(separator: " · ")])
        }
        model["common"] = common

        let handling = (value["handling"]?.arrayValue ?? []).compactMap(\.stringValue).map { code in
            ["label": catalog.label(ofValue: code, inBulletinField: "handling")?[language] ?? Self.safe(code)]
        }
        model["handlingCodes"] = handling
        model["hasHandling"] = !handling.isEmpty

        let details = catalog.labelledDetails(of: value, in: language).map { line -> [String: Any] in
            var row: [String: Any] = ["depth": min(line.depth, 3), "label": Self.safe(line.label)]
            if let shown = line.value { row["value"] = yesNo(shown) ?? Self.safe(shown) }
            return row
        }
        model["details"] = details
        model["hasDetails"] = !details.isEmpty

        let recipients = record.recipients.map { delivery -> [String: String] in
            let status: String
            switch delivery.state {
            case .accepted, .covered: status = ConsoleText.acknowledged(language)
            case .refused(let reason, _): status = ConsoleText.refusedByRecipient(language) + " (\(reason))"
            case .awaitingReceipt: status = ConsoleText.pending(language)
            }
            return ["state": stateLabel(delivery.recipient.description), "status": status]
        }
        model["recipients"] = recipients
        model["hasRecipients"] = !recipients.isEmpty

        let chain = record.laterBulletins.map { link -> [String: String] in
            let label = link.kind == .correction ? ConsoleText.correctedBy(language) : ConsoleText.withdrawnBy(language)
            return ["label": label, "id": link.id.description]
        }
        model["chain"] = chain
        model["hasChain"] = !chain.isEmpty
        return model
    }
}
