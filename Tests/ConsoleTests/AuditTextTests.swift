import AuditCollection
import BulletinSchema
import Testing

@testable import Console

/// Every finding kind the collector or the report can produce has a label in each language on the
/// auditor's pages: a kind added later (as `accessRefused` was) must not show as a bare code.
@Suite("Audit pages: finding labels")
struct AuditTextTests {
    @Test("each finding kind of the collection and of the report is labelled in ar, fr and en")
    func everyKindLabelled() {
        let kinds = CollectionFinding.Kind.allCases.map(\.rawValue) + ReportFinding.Kind.allCases.map(\.rawValue)
        for kind in kinds {
            for language in Language.allCases {
                let label = AuditText.kindLabel(kind, language)
                #expect(label != kind, "\(kind) has no \(language) label")
                #expect(!label.isEmpty)
            }
        }
    }
}
