import BulletinSchema
import Foundation

/// The words of a bulletin's attached files on its page, in Arabic, French and English
/// (templates read them as `{{a.attachments}}`, beside ``ConsoleText``'s `t`). Numbers and
/// Latin text inside an Arabic sentence are isolated (FSI … PDI) so that they keep their order.
enum AttachmentText: String, CaseIterable {
    case attachments, fileName, fileType, fileSize, state, complete, refused, download, fileUnreadable,
        attachmentReceipts

    var text: LocalizedText {
        switch self {
        case .attachments: return LocalizedText(ar: "المرفقات", fr: "Pièces jointes", en: "Attachments")
        case .fileName: return LocalizedText(ar: "اسم الملف", fr: "Nom du fichier", en: "File name")
        case .fileType: return LocalizedText(ar: "النوع", fr: "Type", en: "Type")
        case .fileSize: return LocalizedText(ar: "الحجم", fr: "Taille", en: "Size")
        case .state: return LocalizedText(ar: "الحالة", fr: "État", en: "State")
        case .complete: return LocalizedText(ar: "مكتمل", fr: "complet", en: "complete")
        case .refused: return LocalizedText(ar: "مرفوض:", fr: "refusé :", en: "refused:")
        case .download: return LocalizedText(ar: "تنزيل الملف", fr: "Télécharger le fichier", en: "Download the file")
        case .fileUnreadable:
            return LocalizedText(
                ar: "تعذّرت قراءة هذا الملف على هذه العقدة: لم يُرسَل شيء. أخبر مشغّل العقدة.",
                fr: "Ce fichier n'a pas pu être lu sur ce nœud : rien n'a été envoyé. Prévenez l'opérateur du nœud.",
                en: "This file could not be read on this node: nothing was sent. Tell the node's operator.")
        case .attachmentReceipts:
            return LocalizedText(ar: "استلام المرفقات", fr: "Réception des pièces jointes", en: "Attachments received")
        }
    }

    /// The text in `language`.
    func callAsFunction(_ language: Language) -> String { text[language] }

    /// Every word in `language`, keyed by case name, for templates.
    static func table(_ language: Language) -> [String: String] {
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0(language)) })
    }

    private static func isolated(_ text: String) -> String { "\u{2068}\(text)\u{2069}" }

    /// A file still pulled from the origin: `held` of its `count` parts (chunks) here.
    static func inTransfer(held: UInt64, of count: UInt64) -> LocalizedText {
        LocalizedText(
            ar: "قيد النقل: \(isolated("\(held)")) من \(isolated("\(count)")) أجزاء",
            fr: "en cours de transfert : \(held) parties sur \(count)",
            en: "in transfer: \(held) of \(count) parts")
    }

    /// What a recipient acknowledged of a bulletin's `count` files: `held` received, `refused` refused.
    static func received(held: Int, refused: Int, of count: Int) -> LocalizedText {
        let done = held + refused >= count
        let refusedText =
            refused == 0
            ? nil
            : LocalizedText(
                ar: "، \(isolated("\(refused)")) مرفوض", fr: ", \(refused) refusé(s)", en: ", \(refused) refused")
        return LocalizedText(
            ar:
                "استُلم \(isolated("\(held)")) من \(isolated("\(count)")) ملفات\(refusedText?.ar ?? "")\(done ? "" : " — قيد النقل")",
            fr:
                "\(held) fichier(s) reçu(s) sur \(count)\(refusedText?.fr ?? "")\(done ? "" : " — en cours de transfert")",
            en: "\(held) of \(count) files received\(refusedText?.en ?? "")\(done ? "" : " — in transfer")")
    }

    /// The short name of one of the four media types a bulletin may carry.
    static func typeLabel(_ mediaType: String) -> String {
        switch mediaType {
        case "image/jpeg": return "JPEG"
        case "image/png": return "PNG"
        case "image/webp": return "WebP"
        case "application/pdf": return "PDF"
        default: return DisplayText.neutralised(mediaType)
        }
    }

    /// A size in KiB (below 1 MiB) or MiB, one decimal, with the language's decimal separator.
    static func size(_ bytes: UInt64, _ language: Language) -> String {
        let mebibyte = 1_048_576.0
        let value = Double(bytes)
        let (amount, unit) = value < mebibyte ? (value / 1_024, "KiB") : (value / mebibyte, "MiB")
        let number = String(format: "%.1f", amount)
        return "\(language == .fr ? number.replacingOccurrences(of: ".", with: ",") : number) \(unit)"
    }
}
