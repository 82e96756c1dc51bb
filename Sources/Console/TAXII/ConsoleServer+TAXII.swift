import ConsoleAccounts
import Foundation
import HTTPTypes
import Hummingbird
import StoredSTIX
import TAXII

/// The TAXII 2.1 routes (docs/TAXII.md), on the node's console only: discovery, the API root,
/// the agency's collections, and for each its objects, an object, its versions and the manifest.
/// Every answer is in the TAXII media type; every refusal a TAXII error message.
extension ConsoleServer {
    func addTAXIIRoutes(to router: Router<ConsoleContext>) {
        guard let taxii else { return }
        let root = "/taxii2/bordernet"
        let collection = "\(root)/collections/:collection"
        router.get("/taxii2") { request, context in
            await self.taxiiAnswer(request, context, taxii) { _ in try self.discovery(request) }
        }
        router.get(RouterPath(root)) { request, context in
            await self.taxiiAnswer(request, context, taxii) { _ in
                TAXIIResource.apiRoot(
                    title: "BorderNet \(taxii.nodeLabel)",
                    description: "The bulletins of this node for the state's agency systems (read-only).",
                    maximumContentLength: 0)
            }
        }
        router.get(RouterPath("\(root)/collections")) { request, context in
            await self.taxiiAnswer(request, context, taxii) { agency in
                TAXIIResource.collections(taxii.collections(of: agency).map(\.resource))
            }
        }
        router.get(RouterPath(collection)) { request, context in
            await self.taxiiAnswer(request, context, taxii) { agency in
                TAXIIResource.single(try Self.collection(context, of: agency, in: taxii).resource)
            }
        }
        router.get(RouterPath("\(collection)/objects")) { request, context in
            await self.taxiiPage(request, context, taxii, endpoint: .objects)
        }
        router.get(RouterPath("\(collection)/manifest")) { request, context in
            await self.taxiiPage(request, context, taxii, endpoint: .manifest)
        }
        router.get(RouterPath("\(collection)/objects/:object")) { request, context in
            await self.taxiiPage(request, context, taxii, endpoint: .object)
        }
        router.get(RouterPath("\(collection)/objects/:object/versions")) { request, context in
            await self.taxiiPage(request, context, taxii, endpoint: .versions)
        }
        // No writes: adding or deleting objects is refused once the agency is known.
        for path in ["\(collection)/objects", "\(collection)/objects/:object"] {
            router.post(RouterPath(path)) { request, context in
                await self.taxiiAnswer(request, context, taxii) { agency in
                    _ = try Self.collection(context, of: agency, in: taxii)
                    taxii.recordRefusal(agency: agency)
                    throw TAXIIError.forbidden("The collections of this server are read-only (can_write is false).")
                }
            }
            router.delete(RouterPath(path)) { request, context in
                await self.taxiiAnswer(request, context, taxii) { agency in
                    _ = try Self.collection(context, of: agency, in: taxii)
                    taxii.recordRefusal(agency: agency)
                    throw TAXIIError.forbidden("The collections of this server are read-only (can_write is false).")
                }
            }
        }
        // Anything else under /taxii2/ (the status resource included: nothing is ever written).
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
            router.on("/taxii2/**", method: method) { request, context in
                await self.taxiiAnswer(request, context, taxii) { _ in
                    throw TAXIIError.notFound("No such TAXII resource: the API root is \(TAXIIService.apiRootPath).")
                }
            }
        }
    }

    /// The endpoints that answer pages of object versions.
    enum TAXIIEndpoint: String {
        case objects, manifest, object, versions

        var parameters: Set<String> {
            switch self {
            case .objects, .manifest:
                ["added_after", "limit", "next", "match[id]", "match[type]", "match[version]", "match[spec_version]"]
            case .object: ["added_after", "limit", "next", "match[version]", "match[spec_version]"]
            case .versions: ["added_after", "limit", "next", "match[spec_version]"]
            }
        }
    }

    /// Checks the credentials and `Accept`, runs `body` for the agency, and answers its bytes, or
    /// the TAXII error it threw, in the TAXII media type.
    func taxiiAnswer(
        _ request: Request, _ context: ConsoleContext, _ taxii: TAXIIService,
        _ body: @escaping @Sendable (AgencyCredential) async throws -> [UInt8]
    ) async -> Response {
        do {
            let agency = try await taxiiAgency(request, context, taxii)
            return Self.taxiiResponse(status: .ok, body: try await body(agency))
        } catch let error as TAXIIError {
            return Self.taxiiResponse(error)
        } catch {
            logger.error("TAXII request failed", metadata: ["error": "\(error)"])
            return Self.taxiiResponse(
                TAXIIError(
                    status: 500, title: "Internal error",
                    description: "The node's store could not be read; try again later."))
        }
    }

    /// The agency behind the request: 401 without valid credentials, then 406 unless `Accept`
    /// allows the TAXII media type.
    func taxiiAgency(_ request: Request, _ context: ConsoleContext, _ taxii: TAXIIService) async throws
        -> AgencyCredential
    {
        let header = request.headers[.authorization]
        guard let agency = try await TAXIIService.offload({ try taxii.authenticate(header) }) else {
            taxii.recordRefusal(agency: nil)
            throw TAXIIError.unauthorized
        }
        guard TAXIIMediaType.accepts(request.headers[.accept]) else { throw TAXIIError.notAcceptable }
        return agency
    }

    static func taxiiResponse(status: HTTPResponse.Status, body: [UInt8], headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = TAXIIMediaType.taxii
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func taxiiResponse(_ error: TAXIIError) -> Response {
        var headers: HTTPFields = [:]
        if error.status == 401 { headers[.wwwAuthenticate] = "Basic realm=\"\(TAXIIService.realm)\"" }
        if let seconds = error.retryAfter { headers[.retryAfter] = String(seconds) }
        return taxiiResponse(status: HTTPResponse.Status(code: error.status), body: error.body, headers: headers)
    }

    /// The console's public origin the request came to (its `https` one first), else the first
    /// configured: the discovery's API root and the address of attachments' files are at it.
    func consoleOrigin(of request: Request) -> String {
        let authority = request.head.authority?.lowercased()
        let matching = publicOrigins.filter { $0.authority == authority }
        return (matching.first { $0.origin.hasPrefix("https:") } ?? matching.first ?? publicOrigins.first)?.origin ?? ""
    }

    /// The discovery resource, its API root an absolute URL at the origin the request came to.
    func discovery(_ request: Request) throws -> [UInt8] {
        let origin = consoleOrigin(of: request)
        let name = taxii?.nodeLabel ?? "node"
        return TAXIIResource.discovery(
            title: "BorderNet \(name)",
            description: "BorderNet bulletins as STIX 2.1 for the state's agency systems (read-only).",
            apiRoot: origin + TAXIIService.apiRootPath)
    }

    /// The collection the path names, among the agency's: 404 for any other (TAXII answers the
    /// same for one that does not exist and one the client may not see).
    static func collection(_ context: ConsoleContext, of agency: AgencyCredential, in taxii: TAXIIService) throws
        -> TAXIIService.Collection
    {
        let id = context.parameters.get("collection") ?? ""
        guard let found = taxii.collections(of: agency).first(where: { $0.id == id }) else {
            taxii.recordRefusal(agency: agency)
            throw TAXIIError.notFound(
                "No collection \(id.prefix(64)) for this agency: list them at \(TAXIIService.apiRootPath)collections/.")
        }
        return found
    }

    /// A page of objects, a manifest, an object or its versions.
    func taxiiPage(_ request: Request, _ context: ConsoleContext, _ taxii: TAXIIService, endpoint: TAXIIEndpoint) async
        -> Response
    {
        do {
            let agency = try await taxiiAgency(request, context, taxii)
            let collection = try Self.collection(context, of: agency, in: taxii)
            let query = request.uri.query ?? ""
            guard query.utf8.count <= TAXIIRequestFilter.maximumQueryLength else {
                throw TAXIIError.badRequest("the query is longer than \(TAXIIRequestFilter.maximumQueryLength) bytes.")
            }
            var filter = try TAXIIRequestFilter(items: try Self.queryItems(query), allowed: endpoint.parameters)
            var scope = "\(endpoint.rawValue)/\(collection.id)"
            if endpoint == .object || endpoint == .versions {
                let object = context.parameters.get("object") ?? ""
                guard TAXIIRequestFilter.isObjectID(object) else {
                    throw TAXIIError.notFound("\(object.prefix(64)) is not a STIX id.")
                }
                filter.ids = [object]
                scope += "/" + object
                if endpoint == .versions { filter.versions = [.all] }
            }
            let fingerprint = filter.fingerprint(scope: scope)
            let cursor = try filter.next.map { text throws(TAXIIError) in
                try TAXIICursor(text: text, fingerprint: fingerprint)
            }
            // Before the work: the record's place and a share of the node's bound (503, 429).
            let slot = try taxii.admitDelivery(agency: agency)
            let frozen = filter
            // Attachments' artifacts point at the console's own address for their files.
            let origin = consoleOrigin(of: request)
            let engine = taxii.engine.servingAttachments(at: origin.isEmpty ? nil : origin)
            let result = try await TAXIIService.offload { () throws -> TAXIIObjectEngine.Result in
                var candidates: [String]?
                var endWhenFound = false
                if !frozen.ids.isEmpty {
                    guard try taxii.indexIsCurrent() else {
                        throw TAXIIError.unavailable(
                            "The object index is being built after a start; try again in a few seconds.")
                    }
                    // The bulletins that give the ids asked for; a shared object (a marking, an
                    // identity, a crossing point) is looked for among the collection's bulletins,
                    // until found; an id of neither kind is in no bulletin.
                    let found = taxii.index.candidates(for: frozen.ids)
                    if found.isEmpty, !taxii.index.sharedIDs(among: frozen.ids).isEmpty {
                        endWhenFound = true
                    } else {
                        candidates = found
                    }
                }
                return try engine.page(
                    grant: collection.grant, filter: frozen, cursor: cursor, fingerprint: fingerprint,
                    candidates: candidates,
                    endWhenFound: endWhenFound)
            }
            for skipped in result.skipped {
                logger.warning(
                    "TAXII: a stored bulletin left out",
                    metadata: ["bulletin": "\(skipped.id)", "reason": "\(skipped.description)"])
            }
            let page = result.page
            if endpoint == .object, page.versions.isEmpty, cursor == nil, page.next == nil {
                // An id the agency may not read, or that is in no bulletin: a refusal, not an
                // empty delivery, so that probing ids shows in the audit log as what it is (the
                // unused slot gives its place back).
                taxii.recordRefusal(agency: agency)
                throw TAXIIError.notFound("No object \(filter.ids.first ?? "") in this collection for this agency.")
            }
            // Every page is an access, manifests and versions included (they name the objects).
            taxii.recordDelivery(slot, agency: agency, bulletins: result.bulletins)
            var headers: HTTPFields = [:]
            if let first = page.dateAddedFirst, let last = page.dateAddedLast,
                let firstName = HTTPField.Name("X-TAXII-Date-Added-First"),
                let lastName = HTTPField.Name("X-TAXII-Date-Added-Last")
            {
                headers[firstName] = first.description
                headers[lastName] = last.description
            }
            let body: [UInt8]
            switch endpoint {
            case .objects, .object: body = TAXIIResource.envelope(page)
            case .manifest: body = TAXIIResource.manifest(page)
            case .versions: body = TAXIIResource.versions(page)
            }
            return Self.taxiiResponse(status: .ok, body: body, headers: headers)
        } catch let error as TAXIIError {
            return Self.taxiiResponse(error)
        } catch {
            logger.error("TAXII request failed", metadata: ["error": "\(error)"])
            return Self.taxiiResponse(
                TAXIIError(
                    status: 500, title: "Internal error",
                    description: "The node's store could not be read; try again later."))
        }
    }

    /// The query's parameters, percent-decoded (`+` is not a space here: none of TAXII's values
    /// has one).
    static func queryItems(_ query: String) throws(TAXIIError) -> [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = String(parts[0]).removingPercentEncoding,
                let value = (parts.count > 1 ? String(parts[1]) : "").removingPercentEncoding
            else { throw TAXIIError.badRequest("the query is not percent-encoded correctly.") }
            items.append((name, value))
        }
        return items
    }
}
