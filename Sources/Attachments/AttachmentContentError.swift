/// Why an attached file was refused. Each case is about the content, never the file's name.
public enum AttachmentContentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file has no bytes.
    case empty
    /// The first bytes are not those of a JPEG, PNG, WebP or PDF file.
    case unknownType
    /// The file ends before its structure does (a download or copy cut short).
    case truncated(AttachmentMediaType)
    /// The file's structure is wrong: what is wrong, and where (a byte offset from the start).
    case malformed(AttachmentMediaType, String)

    /// What is wrong and what the officer can do about it, in one sentence.
    public var description: String {
        switch self {
        case .empty:
            "the file is empty; attach a JPEG, PNG, WebP or PDF file"
        case .unknownType:
            "the file is not a JPEG, PNG, WebP or PDF file by its content; attach a JPEG, PNG, WebP or PDF file"
        case .truncated(let type):
            "the \(type.name) file is cut short; attach the whole file"
        case .malformed(let type, let what):
            "the \(type.name) file is damaged (\(what)); save or scan it again and attach the new file"
        }
    }
}
