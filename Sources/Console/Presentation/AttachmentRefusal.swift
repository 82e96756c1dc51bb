import BulletinSchema
import Foundation

/// A refusal of a post's file, in the officer's language: the node's own reason (its English
/// words from `NodeEngine.prepareAttachments` and `AttachmentContentError`, read back into a
/// kind and the file it names), or the console's own check (a file over the size the node
/// takes). The node's words are kept beside the translation: they are what its log says.
struct AttachmentRefusal: Equatable {
    enum Kind: Equatable {
        /// The name's extension announces one type, the content is another (`named`, `content`: media types).
        case misnamed(named: String, content: String)
        /// The name has no extension of the four types.
        case noExtension(content: String)
        /// Over `[attachments] max_file_bytes` (`limit` bytes).
        case tooLarge(limit: Int)
        /// The files together over `[attachments] max_bulletin_bytes` (`limit` bytes).
        case totalTooLarge(limit: Int)
        /// A name the node does not take (empty, too long, a path): the console's names never are.
        case badName
        case empty
        /// Not a JPEG, PNG, WebP or PDF by its first bytes.
        case unknownType
        /// A JPEG, PNG, WebP or PDF that ends before its structure does.
        case cutShort
        /// A JPEG, PNG, WebP or PDF whose structure is wrong.
        case damaged
        /// Any other refusal of the node about the files.
        case other
    }

    /// The file's name as sent to the node, when the refusal names one.
    var fileName: String?
    var kind: Kind
    /// The node's words, or `nil` for the console's own check.
    var nodeText: String?

    /// What the node's refusal `message` says about the files, given the names sent (the node
    /// quotes the name first: `'photo.pdf' is named as …`); `nil` when it is not about a file.
    static func read(_ message: String, names: [String]) -> AttachmentRefusal? {
        let name = names.filter { message.hasPrefix("'\($0)'") }.max { $0.count < $1.count }
        let rest = name.map { String(message.dropFirst($0.count + 2)) } ?? message
        func integer(after marker: String) -> Int? {
            guard let range = rest.range(of: marker) else { return nil }
            return Int(rest[range.upperBound...].prefix { $0.isNumber })
        }
        let kind: Kind
        if let match = rest.firstMatch(of: /^ is named as (\S+) but its content is (\S+?);/) {
            kind = .misnamed(named: String(match.1), content: String(match.2))
        } else if let match = rest.firstMatch(of: /^ has no extension .*; its content is (\S+?):/) {
            kind = .noExtension(content: String(match.1))
        } else if name != nil, let limit = integer(after: "; a file may have at most ") {
            kind = .tooLarge(limit: limit)
        } else if message.hasPrefix("the files attached have"),
            let limit = integer(after: "a bulletin may carry at most ")
        {
            kind = .totalTooLarge(limit: limit)
        } else if name != nil, rest.hasPrefix(": a file name has") {
            kind = .badName
        } else if name != nil, rest.hasPrefix(": the file is empty") {
            kind = .empty
        } else if name != nil, rest.hasPrefix(": the file is not a JPEG") {
            kind = .unknownType
        } else if name != nil, rest.hasPrefix(": the "), rest.contains(" file is cut short") {
            kind = .cutShort
        } else if name != nil, rest.hasPrefix(": the "), rest.contains(" file is damaged") {
            kind = .damaged
        } else if name != nil || message.contains("attach") {
            kind = .other
        } else {
            return nil
        }
        return AttachmentRefusal(fileName: name, kind: kind, nodeText: message)
    }

    /// The refusal in `language`, followed by the node's words when there are any.
    func text(_ language: Language) -> String {
        let said = Self.sentence(kind)[language]
        guard let nodeText else { return said }
        let node = LocalizedText(ar: "العقدة:", fr: "le nœud :", en: "the node:")[language]
        return "\(said) (\(node) \u{2068}\(DisplayText.neutralised(nodeText))\u{2069})"
    }

    private static func sentence(_ kind: Kind) -> LocalizedText {
        switch kind {
        case .misnamed(let named, let content):
            let n = isolated(AttachmentText.typeLabel(named))
            let c = isolated(AttachmentText.typeLabel(content))
            return LocalizedText(
                ar: "اسم الملف يدلّ على \(n) لكن محتواه \(c): غيّر الاسم أو اختر الملف الصحيح.",
                fr:
                    "Le nom du fichier annonce un \(n) mais son contenu est un \(c) : renommez-le ou choisissez le bon fichier.",
                en: "The file's name says \(n) but its content is \(c): rename it or choose the right file.")
        case .noExtension(let content):
            let c = isolated(AttachmentText.typeLabel(content))
            return LocalizedText(
                ar: "اسم الملف بلا امتداد مقبول (.jpg أو .png أو .webp أو .pdf)؛ محتواه \(c): غيّر الاسم.",
                fr:
                    "Le nom du fichier n'a pas d'extension acceptée (.jpg, .png, .webp, .pdf) ; son contenu est un \(c) : renommez-le.",
                en:
                    "The file's name has no accepted extension (.jpg, .png, .webp, .pdf); its content is \(c): rename it."
            )
        case .tooLarge(let limit):
            return LocalizedText(
                ar: "الملف أكبر من الحدّ: \(size(limit, .ar)) على الأكثر للملف الواحد.",
                fr: "Fichier trop volumineux : \(size(limit, .fr)) au plus par fichier.",
                en: "The file is too large: at most \(size(limit, .en)) per file.")
        case .totalTooLarge(let limit):
            return LocalizedText(
                ar: "الملفات معًا أكبر من الحدّ: \(size(limit, .ar)) على الأكثر للنشرة.",
                fr: "Les fichiers ensemble sont trop volumineux : \(size(limit, .fr)) au plus par bulletin.",
                en: "The files together are too large: at most \(size(limit, .en)) per bulletin.")
        case .badName:
            return LocalizedText(
                ar: "اسم الملف غير مقبول: غيّر الاسم.", fr: "Nom de fichier refusé : renommez le fichier.",
                en: "The file's name is refused: rename the file.")
        case .empty:
            return LocalizedText(
                ar: "الملف فارغ: اختر صورة أو وثيقة (JPEG أو PNG أو WebP أو PDF).",
                fr: "Le fichier est vide : choisissez une photo ou un document (JPEG, PNG, WebP, PDF).",
                en: "The file is empty: choose a photo or document (JPEG, PNG, WebP, PDF).")
        case .unknownType:
            return LocalizedText(
                ar: "محتوى الملف ليس JPEG ولا PNG ولا WebP ولا PDF: اختر ملفًا من هذه الأنواع.",
                fr:
                    "Le contenu du fichier n'est ni JPEG, ni PNG, ni WebP, ni PDF : choisissez un fichier de ces types.",
                en: "The file's content is not JPEG, PNG, WebP or PDF: choose a file of these types.")
        case .cutShort:
            return LocalizedText(
                ar: "الملف مقطوع (نسخ أو تنزيل غير مكتمل): اختر الملف كاملًا.",
                fr: "Le fichier est tronqué (copie ou téléchargement incomplet) : choisissez le fichier entier.",
                en: "The file is cut short (an incomplete copy or download): choose the whole file.")
        case .damaged:
            return LocalizedText(
                ar: "الملف تالف: احفظه أو امسحه ضوئيًا من جديد ثم أرفقه.",
                fr: "Le fichier est endommagé : enregistrez-le ou numérisez-le à nouveau, puis joignez-le.",
                en: "The file is damaged: save or scan it again, then attach it.")
        case .other:
            return LocalizedText(
                ar: "رفضت العقدة الملفات المرفقة.", fr: "Le nœud a refusé les fichiers joints.",
                en: "The node refused the attached files.")
        }
    }

    /// `bytes` as ``AttachmentText/size(_:_:)`` writes it (`20.0 MiB`, `20,0 MiB`), isolated for Arabic.
    static func size(_ bytes: Int, _ language: Language) -> String {
        isolated(AttachmentText.size(UInt64(max(0, bytes)), language))
    }

    private static func isolated(_ text: String) -> String { "\u{2068}\(text)\u{2069}" }
}
