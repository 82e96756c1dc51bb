import Attachments
import FuzzSupport

// Attachments (photos and scanned documents an officer attaches to a bulletin): recognition by
// content and the JPEG, PNG, WebP and PDF checks of `AttachmentContent.check(_:keepMetadata:)`,
// over files anyone can craft.
//
// Input: one mode byte, then the file's bytes.
//   bit 0: keepMetadata (otherwise the file is cleaned).
// Invariants: the verdict (accepted, or the same error) does not depend on keepMetadata; with
// keepMetadata the file comes back unchanged with nothing removed; cleaning is idempotent (a
// cleaned file checks again to the same bytes, same type, nothing removed) and never grows the
// file; removed kinds are listed once each; a PDF is never changed.
// Seeds: Fuzz/seeds.py's small files of each type (with Exif and GPS, XMP, text chunks, trailing
// data), modes 0 and 1.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAttachments(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let keepMetadata = input.bool()
    let file = input.rest()

    let first = verdict(file, keepMetadata: keepMetadata)
    let other = verdict(file, keepMetadata: !keepMetadata)
    switch (first, other) {
    case (.failure(let error), .failure(let otherError)):
        fuzzRequire(
            error == otherError,
            "refused as \(error) with keepMetadata \(keepMetadata), as \(otherError) with \(!keepMetadata)")
        _ = error.description
        return 0
    case (.success, .failure(let error)), (.failure(let error), .success):
        fuzzRequire(false, "keepMetadata \(keepMetadata) changes the verdict: \(error)")
        return 0
    case (.success(let checked), .success(let otherChecked)):
        let (kept, cleaned) = keepMetadata ? (checked, otherChecked) : (otherChecked, checked)
        fuzzRequire(kept.mediaType == cleaned.mediaType, "\(kept.mediaType) kept, \(cleaned.mediaType) cleaned")
        fuzzRequire(kept.bytes == file, "keepMetadata changed the file")
        fuzzRequire(kept.removedMetadata.isEmpty, "keepMetadata removed \(kept.removedMetadata)")
        fuzzRequire(cleaned.bytes.count <= file.count, "cleaning grew the file")
        fuzzRequire(
            Set(cleaned.removedMetadata).count == cleaned.removedMetadata.count,
            "removed kinds repeat: \(cleaned.removedMetadata)")
        if cleaned.mediaType == .pdf {
            fuzzRequire(cleaned.bytes == file && cleaned.removedMetadata.isEmpty, "a PDF was changed")
        }
        switch verdict(cleaned.bytes, keepMetadata: false) {
        case .success(let again):
            fuzzRequire(
                again.mediaType == cleaned.mediaType, "a cleaned \(cleaned.mediaType) checks as \(again.mediaType)")
            fuzzRequire(again.bytes == cleaned.bytes, "cleaning is not idempotent: the bytes changed again")
            fuzzRequire(
                again.removedMetadata.isEmpty, "cleaning is not idempotent: \(again.removedMetadata) removed again")
        case .failure(let error):
            fuzzRequire(false, "a cleaned file is refused: \(error)")
        }
    }
    return 0
}

private func verdict(_ file: [UInt8], keepMetadata: Bool) -> Result<CheckedAttachment, AttachmentContentError> {
    Result { () throws(AttachmentContentError) in try AttachmentContent.check(file, keepMetadata: keepMetadata) }
}
