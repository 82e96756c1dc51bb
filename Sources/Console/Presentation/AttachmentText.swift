import BulletinSchema
import Foundation

/// The words of a bulletin's attached files on its page, in Arabic, French and English
/// (templates read them as `{{a.attachments}}`, beside ``ConsoleText``'s `t`). Numbers and
/// Latin text inside an Arabic sentence are isolated (FSI … PDI) so that they keep their order.
enum AttachmentText: String, CaseIterable {
    case attachments, fileName, fileType, fileSize, state, complete, refused, download, fileUnreadable,
        attachmentReceipts
    // The post form's upload fields.
    case uploadFile, caption, captionLanguage, keepMetadata, keepMetadataExplanation, chooseFilesAgain,
        uploadMalformed, uploadBusy

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
        case .uploadFile: return LocalizedText(ar: "ملف", fr: "Fichier", en: "File")
        case .caption: return LocalizedText(ar: "التعليق", fr: "Légende", en: "Caption")
        case .captionLanguage:
            return LocalizedText(ar: "لغة التعليقات", fr: "Langue des légendes", en: "Language of the captions")
        case .keepMetadata:
            return LocalizedText(
                ar: "الإبقاء على البيانات الوصفية للصور، ومنها موقع التصوير (GPS)",
                fr: "Conserver les métadonnées des photos, dont le lieu de la prise de vue (GPS)",
                en: "Keep the photos' metadata, including where they were taken (GPS)")
        case .keepMetadataExplanation:
            return LocalizedText(
                ar:
                    "غير مؤشَّر افتراضيًا: تحذف العقدة من كل صورة موقع التصوير وتاريخه والجهاز المستخدم والتعليقات (EXIF وXMP) قبل أي حفظ أو إرسال. لا تؤشّر إلا إذا كان الموقع نفسه دليلًا يحتاجه المستلمون.",
                fr:
                    "Décoché par défaut : le nœud retire de chaque photo le lieu et l'heure de la prise de vue, l'appareil et les commentaires (EXIF, XMP) avant tout enregistrement ou envoi. Ne cochez que si la position elle-même est un élément dont les destinataires ont besoin.",
                en:
                    "Off by default: the node removes from each photo where and when it was taken, the camera and any comments (EXIF, XMP) before anything is stored or sent. Tick it only when the position itself is evidence the recipients need."
            )
        case .chooseFilesAgain:
            return LocalizedText(
                ar: "لا يحتفظ المتصفح بالملفات المختارة بعد الرفض: اختر الملفات من جديد قبل النشر.",
                fr:
                    "Un navigateur ne garde pas les fichiers choisis après un refus : choisissez de nouveau les fichiers avant de publier.",
                en: "A browser does not keep the files chosen after a refusal: choose the files again before posting.")
        case .uploadMalformed:
            return LocalizedText(
                ar:
                    "تعذّرت قراءة النموذج المرسَل (نموذج بملفات غير صالح). لم يُحفظ شيء ولم يُرسَل شيء. أعد تحميل الصفحة وحاول مجددًا.",
                fr:
                    "Le formulaire envoyé n'a pas pu être lu (formulaire avec fichiers invalide). Rien n'a été enregistré ni envoyé. Rechargez la page et recommencez.",
                en:
                    "The form sent could not be read (an invalid form with files). Nothing was stored or sent. Reload the page and try again."
            )
        case .uploadBusy:
            return LocalizedText(
                ar: "تُرسَل ملفات أخرى إلى وحدة التحكم الآن. لم يُحفظ شيء. عُد إلى الصفحة السابقة وأعد المحاولة بعد لحظات.",
                fr:
                    "D'autres fichiers sont en cours d'envoi à la console. Rien n'a été enregistré. Revenez à la page précédente et réessayez dans un instant.",
                en:
                    "Other files are being uploaded to the console right now. Nothing was stored. Go back and try again in a moment."
            )
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

    /// The upload fields' help: the types taken and the node's limits (`[attachments]`).
    static func uploadHelp(slots: Int, fileBytes: Int, bulletinBytes: Int) -> LocalizedText {
        func file(_ language: Language) -> String { AttachmentRefusal.size(fileBytes, language) }
        func total(_ language: Language) -> String { AttachmentRefusal.size(bulletinBytes, language) }
        return LocalizedText(
            ar:
                "حتى \(isolated("\(slots)")) صور أو وثائق ممسوحة: JPEG أو PNG أو WebP أو PDF، بامتداد يطابق المحتوى؛ \(file(.ar)) على الأكثر للملف و\(total(.ar)) للنشرة.",
            fr:
                "Jusqu'à \(slots) photos ou documents numérisés : JPEG, PNG, WebP ou PDF, nommés avec l'extension de leur contenu ; \(file(.fr)) au plus par fichier, \(total(.fr)) par bulletin.",
            en:
                "Up to \(slots) photos or scanned documents: JPEG, PNG, WebP or PDF, named with the extension of their content; at most \(file(.en)) per file, \(total(.en)) per bulletin."
        )
    }

    /// A post whose body passed the console's bound (the node's `max_bulletin_bytes` and the form).
    static func uploadTooLarge(bulletinBytes: Int) -> LocalizedText {
        func total(_ language: Language) -> String { AttachmentRefusal.size(bulletinBytes, language) }
        return LocalizedText(
            ar:
                "الملفات المختارة معًا أكبر من \(total(.ar))، وهو أقصى ما تحمله النشرة. لم يُحفظ شيء ولم يُرسَل شيء. عُد إلى الصفحة السابقة واختر ملفات أقل أو أصغر.",
            fr:
                "Les fichiers choisis dépassent ensemble \(total(.fr)), le plus qu'un bulletin emporte. Rien n'a été enregistré ni envoyé. Revenez à la page précédente et choisissez moins de fichiers, ou de plus petits.",
            en:
                "The files chosen together pass \(total(.en)), the most a bulletin carries. Nothing was stored or sent. Go back and choose fewer or smaller files."
        )
    }

    /// The number of a file input, `File 2`.
    static func uploadFile(_ number: Int, _ language: Language) -> String {
        "\(AttachmentText.uploadFile(language)) \(language == .ar ? isolated("\(number)") : "\(number)")"
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
