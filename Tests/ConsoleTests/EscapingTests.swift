import BulletinSchema
import Testing

@testable import Console

@Suite("the console's pages escape every value, scalar by scalar")
struct EscapingTests {
    /// Values that swift-mustache's own escaping (by grapheme cluster) let through raw.
    static let payloads = [
        "a\"\u{0301} autofocus x=\"y",  // a quote joined to a combining mark: closes an attribute
        "\u{0600}<b>\u{0301}BOLD",  // a prepend mark before "<", a combining mark after ">"
        "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "'; \"",
    ]

    @Test("no angle bracket, quote or ampersand of a value reaches the page raw", arguments: payloads)
    func escaped(_ payload: String) throws {
        let renderer = try PageRenderer()
        let html = renderer.html(
            "message", title: "t", model: ["heading": payload, "text": payload],
            frame: PageRenderer.Frame(language: .fr, person: nil, nodeLabel: nil))
        // Every payload holds a character that must be escaped: it must be found escaped, never raw.
        #expect(html.contains(ScalarHTMLEscaping.escape(payload)))
        #expect(!html.contains(payload))
        #expect(ScalarHTMLEscaping.escape(payload).unicodeScalars.allSatisfy { !"<>\"'".unicodeScalars.contains($0) })
    }

    @Test("the layout is in the reader's language and direction")
    func direction() throws {
        let renderer = try PageRenderer()
        let arabic = renderer.html("message", title: "t", model: ["heading": "h", "text": "x"], frame: .init(language: .ar, person: nil, nodeLabel: nil))
        #expect(arabic.contains("<html lang=\"ar\" dir=\"rtl\">"))
        let french = renderer.html("message", title: "t", model: ["heading": "h", "text": "x"], frame: .init(language: .fr, person: nil, nodeLabel: nil))
        #expect(french.contains("<html lang=\"fr\" dir=\"ltr\">"))
    }
}

@Suite("forms are read strictly and bounded")
struct FormBodyTests {
    @Test("repeated names, plus as space, percent escapes")
    func parsing() throws {
        let form = try FormBody("to=DZ&to=TN&title.ar=%D8%AD%D8%AC%D8%B2+%D9%88%D9%82%D9%88%D8%AF&empty=&q=a%2Bb")
        #expect(form.all("to") == ["DZ", "TN"])
        #expect(form["title.ar"] == "حجز وقود")
        #expect(form["empty"] == nil)
        #expect(form["q"] == "a+b")
    }

    @Test("malformed escapes, too many fields and too many bytes are refused")
    func refusals() {
        #expect(throws: FormBodyError.self) { try FormBody("a=%ZZ") }
        #expect(throws: FormBodyError.self) { try FormBody(Array(repeating: "a=1", count: FormBody.maximumFields + 1).joined(separator: "&")) }
        #expect(throws: FormBodyError.self) { try FormBody(String(repeating: "a", count: FormBody.maximumBytes + 1)) }
    }
}
