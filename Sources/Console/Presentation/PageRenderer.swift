import BulletinSchema
import Hummingbird
import Mustache

/// Renders a page into the layout, in the reader's language and direction.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    init() throws {
        MustacheContentTypes.register(ScalarHTMLEscaping(), named: ScalarHTMLEscaping.name)
        var library = MustacheLibrary()
        let all = Templates.all.merging(AuditTemplates.all, uniquingKeysWith: { first, _ in first })
            .merging(SearchTemplates.all, uniquingKeysWith: { first, _ in first })
        for (name, text) in all {
            // Every template escapes with ScalarHTMLEscaping, never the library's default.
            try library.register("{{% CONTENT_TYPE: \(ScalarHTMLEscaping.name)}}" + text, named: name)
        }
        self.library = library
    }

    /// What the layout needs besides the page: the language, and the person if signed in.
    struct Frame {
        var language: Language
        var person: SignedInPerson?
        var nodeLabel: String?
    }

    /// The HTML of `page` rendered with `model`, inside the layout.
    func html(_ page: String, title: String, model: [String: Any], frame: Frame) -> String {
        var pageModel = model
        pageModel["t"] = ConsoleText.table(frame.language)
        let content = library.render(pageModel, withTemplate: page) ?? ""
        var layout: [String: Any] = [
            "lang": frame.language.rawValue, "dir": frame.language == .ar ? "rtl" : "ltr",
            "t": ConsoleText.table(frame.language), "pageTitle": title, "content": content,
            "digits": frame.person?.arabicDigits == true ? "arabic" : "western",
        ]
        if let node = frame.nodeLabel { layout["node"] = node }
        if let person = frame.person {
            layout["user"] = true
            layout["displayName"] = person.displayName
            layout["roleLabel"] = person.roleLabel(frame.language)
            layout["csrf"] = person.csrfToken
            layout["canPost"] = person.canPost
            layout["canOperate"] = person.canOperate
            if person.canAudit { layout["audit"] = AuditText.audit(frame.language) }
            if person.canReadBulletins {
                layout["search"] = SearchText.search(frame.language)
                layout["watch"] = SearchText.watch(frame.language)
            }
        }
        return library.render(layout, withTemplate: "layout") ?? ""
    }

    /// An HTML response of `page`.
    func response(_ page: String, title: String, model: [String: Any], frame: Frame, status: HTTPResponse.Status = .ok) -> Response {
        let body = html(page, title: title, model: model, frame: frame)
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A page that only says something (refused, not found, posted…).
    func message(heading: String, text: String, link: (url: String, text: String)? = nil, frame: Frame, status: HTTPResponse.Status) -> Response {
        var model: [String: Any] = ["heading": heading, "text": text]
        if let link {
            model["link"] = link.url
            model["linkText"] = link.text
        }
        return response("message", title: heading, model: model, frame: frame, status: status)
    }
}

/// HTML escaping of every `{{value}}`, scalar by scalar.
///
/// swift-mustache's own HTML escaping (2.1.1) looks up whole `Character`s, which are grapheme
/// clusters: a `"` followed by a combining mark, or a `<` after a "prepend" character such as
/// U+0600, is one cluster that is not in its table and went through raw — an attribute closed or
/// a tag opened by text from another state. Escaping each Unicode scalar has no such gap.
struct ScalarHTMLEscaping: MustacheContentType {
    static let name = "BORDERNET_HTML"

    func escapeText(_ text: String) -> String {
        Self.escape(text)
    }

    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}

extension Language {
    /// The language's own name, for the language menu.
    var nativeName: String {
        switch self {
        case .ar: return "العربية"
        case .fr: return "Français"
        case .en: return "English"
        }
    }
}
