#if canImport(Glibc)
    internal import Glibc
#endif

/// The calling thread's `errno` and the system's words for it, for this module only: no code
/// above it sees an error number.
enum SystemError {
    /// The current `errno`.
    static var code: Int32 { errno }

    /// `strerror` of `code` (e.g. `Permission denied`).
    static func message(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// The symbolic name of `code` for the failures an operator may meet (`ENAMETOOLONG`, …).
    static func name(_ code: Int32) -> String {
        switch code {
        case ENAMETOOLONG: "ENAMETOOLONG"
        case ELOOP: "ELOOP"
        case EMFILE: "EMFILE"
        case ENFILE: "ENFILE"
        case ENOMEM: "ENOMEM"
        case ENOTSOCK: "ENOTSOCK"
        case EPROTOTYPE: "EPROTOTYPE"
        case ECONNRESET: "ECONNRESET"
        case EIO: "EIO"
        default: "errno \(code)"
        }
    }
}
