import Hummingbird

/// The request context of every console page: the person signed in, once the session middleware
/// has found their session.
struct ConsoleContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The signed-in person, or `nil` on the sign-in page and for a request without a valid session.
    var person: SignedInPerson?
    /// The client's address, for sign-in rate limits and the log.
    let remoteAddress: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        person = nil
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// A form is at most ``FormBody/maximumBytes``.
    var maxUploadSize: Int { FormBody.maximumBytes }
}
