import BulletinSchema
import STIX

/// A TAXII error message resource (TAXII 2.1 §3.6.1) with its HTTP status: what every refusal of
/// the TAXII server answers, in the TAXII media type.
public struct TAXIIError: Error, Sendable, Hashable {
    /// The HTTP status (400, 401, 403, 404, 406, 429, 503…).
    public var status: Int
    /// A short human-readable title.
    public var title: String
    /// What went wrong and what to do.
    public var description: String
    /// Whole seconds to wait before asking again (`Retry-After`), for 429 and 503.
    public var retryAfter: Int?

    /// An error.
    public init(status: Int, title: String, description: String, retryAfter: Int? = nil) {
        self.status = status
        self.title = title
        self.description = description
        self.retryAfter = retryAfter.map { max($0, 1) }
    }

    /// The error message resource: `title`, `description`, `http_status` (a string, as TAXII 2.1
    /// defines it).
    public var body: [UInt8] {
        CanonicalJSON.bytes(
            .object(["title": .string(title), "description": .string(description), "http_status": .string(String(status))]))
            + [0x0A]
    }

    /// 400: a parameter the server cannot read.
    public static func badRequest(_ description: String) -> TAXIIError {
        TAXIIError(status: 400, title: "Bad request", description: description)
    }

    /// 401: no credentials, or credentials that are unknown, revoked or expired.
    public static let unauthorized = TAXIIError(
        status: 401, title: "Unauthorized",
        description:
            "Give the agency's TAXII token: HTTP Basic (user = agency name, password = token) or Authorization: Bearer TOKEN. A revoked or expired token is refused; ask the node's operator for a new one."
    )

    /// 403: the request is understood but not allowed (a write to a read-only collection).
    public static func forbidden(_ description: String) -> TAXIIError {
        TAXIIError(status: 403, title: "Forbidden", description: description)
    }

    /// 404: no such resource, or one this agency may not see (TAXII says the same for both).
    public static func notFound(_ description: String) -> TAXIIError {
        TAXIIError(status: 404, title: "Not found", description: description)
    }

    /// 406: the `Accept` header does not allow the TAXII 2.1 media type.
    public static let notAcceptable = TAXIIError(
        status: 406, title: "Not acceptable",
        description: "This server answers \(TAXIIMediaType.taxii) only: send Accept: \(TAXIIMediaType.taxii).")

    /// 429: the client asks faster than the server may answer; try again after `retryAfter`
    /// seconds, with the same request (its `next` stays good).
    public static func tooManyRequests(retryAfter: Int) -> TAXIIError {
        let seconds = max(retryAfter, 1)
        return TAXIIError(
            status: 429, title: "Too many requests",
            description:
                "Pages are served no faster than the node's audit log records them: try the same request again in \(seconds) s (Retry-After).",
            retryAfter: seconds)
    }

    /// 503: the server cannot answer now; try again in `retryAfter` seconds.
    public static func unavailable(_ description: String, retryAfter: Int = 10) -> TAXIIError {
        TAXIIError(status: 503, title: "Service unavailable", description: description, retryAfter: retryAfter)
    }
}
