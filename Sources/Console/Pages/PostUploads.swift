import BulletinSchema
import Foundation
import Wire

/// The files of a post form: ``slots`` file inputs `file.N`, each with its caption `caption.N`,
/// one caption language (`captionLang`) and the "keep metadata" box (`keepMetadata`, off unless
/// ticked). Turns what the browser sent into the control request's descriptions and files —
/// the same `post` request as `bordernet post --attach` — and says, beside each input, what
/// the console refuses before asking the node (a file over the node's size, a caption the
/// schema refuses).
struct PostUploads {
    /// The file inputs of the form.
    static let slots = 4
    /// The schema's bound on a caption in one language (`attachments[].caption.*`: 1–300).
    static let maximumCaptionScalars = 300

    /// One file chosen, as it will be sent.
    struct Chosen: Equatable {
        /// Its input (1…``slots``).
        var slot: Int
        /// The display name sent to the node (``UploadFileName/neutralised(_:)``).
        var name: String
        var caption: String?
        var file: UploadedFile
    }

    var chosen: [Chosen] = []
    var captionLanguage: Language
    var keepMetadata: Bool
    /// Refusals by input name (`file.2`, `caption.1`), in the officer's language.
    var errors: [String: String] = [:]

    /// Why the files of a body cannot be those of the post form (a hostile or broken client).
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case unknownField(String)
        case repeatedField(String)

        var description: String {
            switch self {
            case .unknownField(let name):
                "a file was sent as '\(DisplayText.neutralised(String(name.prefix(40))))', not one of the form's file inputs (file.1 … file.\(PostUploads.slots))"
            case .repeatedField(let name): "two files were sent as '\(name)'"
            }
        }
    }

    /// No file (a form without files, or the urlencoded form).
    init(form: FormBody, language: Language) {
        captionLanguage = form["captionLang"].flatMap(Language.init(rawValue:)) ?? language
        keepMetadata = form["keepMetadata"] == "yes"
    }

    /// The files of `files` in their inputs, with their captions from `form`; a file the browser
    /// sent under another name than the form's inputs, or twice, throws.
    init(form: FormBody, files: [UploadedFile], language: Language, maximumFileBytes: Int) throws(Refusal) {
        self.init(form: form, language: language)
        var seen: Set<Int> = []
        for file in files {
            guard file.field.hasPrefix("file."), let slot = Int(file.field.dropFirst(5)),
                (1...Self.slots).contains(slot),
                file.field == "file.\(slot)"
            else { throw .unknownField(file.field) }
            guard seen.insert(slot).inserted else { throw .repeatedField(file.field) }
            if file.isOversized {
                errors[file.field] = AttachmentRefusal(
                    fileName: nil, kind: .tooLarge(limit: maximumFileBytes), nodeText: nil
                )
                .text(language)
            }
            chosen.append(Chosen(slot: slot, name: UploadFileName.neutralised(file.fileName), caption: nil, file: file))
        }
        for index in chosen.indices {
            let field = "caption.\(chosen[index].slot)"
            guard let caption = form[field] else { continue }
            if caption.unicodeScalars.count > Self.maximumCaptionScalars {
                errors[field] = Self.captionTooLong[language]
            } else if DisplayText.containsHazard(caption, allowingLineBreaks: false) {
                errors[field] = Self.captionControls[language]
            } else {
                chosen[index].caption = caption
            }
        }
        chosen.sort { $0.slot < $1.slot }
    }

    /// What the control request's `post` carries of the files: a description of each, in order.
    var uploads: [AttachmentUpload] {
        chosen.map {
            AttachmentUpload(
                fileName: $0.name, caption: $0.caption.map { [captionLanguage.rawValue: $0] },
                keepMetadata: keepMetadata ? true : nil)
        }
    }

    /// The files' bytes, in the order of ``uploads``.
    var files: [[UInt8]] { chosen.map(\.file.bytes) }

    /// Where the node's refusal `message` belongs: beside the input of the file it names
    /// (`file.N`), or `uploads` (the upload fields as a whole), with its text in `language`;
    /// `nil` when the refusal is not about the files.
    func place(ofRefusal message: String, language: Language) -> (field: String, text: String)? {
        guard !chosen.isEmpty, let refusal = AttachmentRefusal.read(message, names: chosen.map(\.name)) else {
            return nil
        }
        let slot = refusal.fileName.flatMap { name in chosen.first { $0.name == name }?.slot }
        return (slot.map { "file.\($0)" } ?? "uploads", refusal.text(language))
    }

    private static let captionTooLong = LocalizedText(
        ar: "التعليق أطول من 300 حرف.", fr: "La légende dépasse 300 caractères.",
        en: "The caption is longer than 300 characters.")
    private static let captionControls = LocalizedText(
        ar: "يحتوي التعليق على أحرف تحكم أو اتجاه غير مسموح بها.",
        fr: "La légende contient des caractères de contrôle ou de direction refusés.",
        en: "The caption holds control or direction characters, which are refused.")
}
