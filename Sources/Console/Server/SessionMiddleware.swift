import ConsoleAccounts
import Foundation
import Hummingbird

/// Finds the person behind a request from the session cookie, or sends the browser to sign in.
/// Sessions live on the server (the cookie holds a random token whose hash the account store
/// keeps); an idle or expired session is gone, whatever the browser still holds.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ConsoleContext
    let accounts: AccountStore

    func handle(_ request: Request, context: ConsoleContext, next: (Request, ConsoleContext) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[ConsoleServer.sessionCookie]?.value, !token.isEmpty,
            let session = try accounts.session(token: token, now: Date()),
            let person = SignedInPerson(session: session, token: token)
        else {
            if request.method == .get {
                return ConsoleServer.redirect(to: "/login")
            }
            throw HTTPError(.unauthorized, message: "sign in again")
        }
        var context = context
        context.person = person
        // A one-time password opens one page: the one that replaces it (and sign-out).
        if person.mustChangePassword, !["/password", "/logout"].contains(request.uri.path) {
            if request.method == .get { return ConsoleServer.redirect(to: "/password") }
            throw HTTPError(.forbidden, message: "choose a new password first")
        }
        return try await next(request, context)
    }
}
