/// A header value of the form `type; name=value; name="quoted value"`, read strictly: the type
/// must be the one expected, each parameter appears once, a value is a token or a quoted string
/// without control characters. Quoted strings take no backslash escapes: browsers send a
/// form's names with `"`, CR and LF percent-encoded (HTML's multipart/form-data encoding), so
/// a backslash is a character of the name like any other.
struct HeaderParameters: Equatable {
    /// The parameters by lowercased name.
    private(set) var values: [String: String] = [:]

    /// `nil` when `text` is not `kind` (compared without case) followed by well-formed parameters.
    init?(_ text: String, kind: String) {
        var scalars = Substring(text).unicodeScalars[...]
        func skipSpaces() {
            while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        }
        func token() -> String {
            var out = String.UnicodeScalarView()
            while let first = scalars.first, Self.isTokenScalar(first) {
                out.append(first)
                scalars.removeFirst()
            }
            return String(out)
        }
        skipSpaces()
        var type = token()
        if scalars.first == "/" {
            scalars.removeFirst()
            type += "/" + token()
        }
        guard type.lowercased() == kind else { return nil }
        skipSpaces()
        while !scalars.isEmpty {
            guard scalars.first == ";" else { return nil }
            scalars.removeFirst()
            skipSpaces()
            let name = token().lowercased()
            guard !name.isEmpty, scalars.first == "=", values[name] == nil else { return nil }
            scalars.removeFirst()
            var value: String
            if scalars.first == "\"" {
                scalars.removeFirst()
                var quoted = String.UnicodeScalarView()
                while let first = scalars.first, first != "\"" {
                    guard first == "\t" || (first.value >= 0x20 && first.value != 0x7F) else { return nil }
                    quoted.append(first)
                    scalars.removeFirst()
                }
                guard scalars.first == "\"" else { return nil }  // unterminated: a header cut short or injected
                scalars.removeFirst()
                value = String(quoted)
            } else {
                value = token()
                guard !value.isEmpty else { return nil }
            }
            values[name] = value
            skipSpaces()
        }
    }

    /// RFC 9110's `tchar`: letters, digits and ``!#$%&'*+-.^_`|~``.
    static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        default: return "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar)
        }
    }
}

/// A part's `Content-Disposition: form-data; name="…"[; filename="…"]`.
struct ContentDisposition: Equatable {
    /// The form field's name (non-empty).
    var name: String
    /// The file's name as the browser sent it, empty for a file input left empty; `nil` for a
    /// text field.
    var fileName: String?

    /// `nil` unless `value` is `form-data` with a non-empty `name` of at most
    /// `maximumNameBytes`, and a `filename`, if any, of at most `maximumFileNameBytes`.
    init?(_ value: String, maximumNameBytes: Int, maximumFileNameBytes: Int) {
        guard let parameters = HeaderParameters(value, kind: "form-data"), let name = parameters.values["name"],
            !name.isEmpty, name.utf8.count <= maximumNameBytes
        else { return nil }
        if let fileName = parameters.values["filename"], fileName.utf8.count > maximumFileNameBytes { return nil }
        self.name = name
        fileName = parameters.values["filename"]
    }
}
