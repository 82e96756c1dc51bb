import HTTPTypes
import Hummingbird

/// Headers every response carries: a content security policy that allows only the console's own
/// script, style and connections (no inline script, no framing, forms only to the console), no
/// MIME sniffing, no referrer, and no caching of pages that hold bulletin text.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = ConsoleContext

    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    }

    /// Headers HTTPTypes has no constant for.
    static let fixed: [(HTTPField.Name, String)] = [
        ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"), ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
    ].compactMap { name, value in HTTPField.Name(name).map { ($0, value) } }

    /// Renders the pages of refusals thrown by the routes (CSRF, expired session, bad form), so
    /// they carry these headers and the reader's language like every other page.
    let renderer: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            let language = context.person?.language ?? .en
            let text: String
            switch error.status {
            case .unauthorized: text = ConsoleText.sessionExpired(language)
            case .forbidden: text = ConsoleText.csrfRefused(language)
            default: text = ConsoleText.requestRefused(language)
            }
            let frame = PageRenderer.Frame(language: language, person: context.person, nodeLabel: nil)
            let link =
                error.status == .unauthorized
                ? (url: "/login?lang=\(language.rawValue)", text: ConsoleText.signIn(language)) : nil
            response = renderer.message(
                heading: ConsoleText.requestRefused(language), text: text, link: link, frame: frame,
                status: error.status)
        }
        // A route may set a stricter policy of its own (an attached file: `default-src 'none';
        // sandbox`, ConsoleServer+Attachments); every other response gets the pages' policy.
        if response.headers[.contentSecurityPolicy] != ConsoleServer.attachmentContentSecurityPolicy {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        for (name, value) in Self.fixed {
            response.headers[name] = value
        }
        if response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}
