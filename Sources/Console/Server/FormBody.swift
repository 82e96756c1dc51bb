import Foundation

/// An `application/x-www-form-urlencoded` body or query string, parsed strictly: every name may
/// repeat (checkboxes), `+` is a space, percent escapes must be valid UTF-8, and the whole is
/// bounded before parsing (a browser's form is small; a hostile client's need not be).
struct FormBody: Sendable {
    /// The largest body the console reads: a post form with every field filled fits many times.
    static let maximumBytes = 256 * 1_024
    /// More fields than any form of the console has.
    static let maximumFields = 2_000

    private(set) var values: [String: [String]] = [:]

    /// No field at all (a page without a query string).
    static let empty = FormBody()

    private init() {}

    /// A form filled in advance (a correction starts from the bulletin it corrects).
    init(values: [String: [String]]) {
        self.values = values
    }

    init(_ text: String) throws(FormBodyError) {
        guard text.utf8.count <= FormBody.maximumBytes else { throw .tooLarge }
        var count = 0
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            count += 1
            guard count <= FormBody.maximumFields else { throw .tooManyFields }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                throw .malformed
            }
            values[name, default: []].append(value)
        }
    }

    private static func decode(_ part: Substring) -> String? {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The first value of `name`, trimmed; `nil` when absent or empty.
    subscript(name: String) -> String? {
        guard let value = values[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// Every non-empty value of `name` (checkboxes, multiple selection).
    func all(_ name: String) -> [String] {
        (values[name] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}

/// Why a form could not be read.
enum FormBodyError: Error, Sendable {
    case tooLarge, tooManyFields, malformed
}
