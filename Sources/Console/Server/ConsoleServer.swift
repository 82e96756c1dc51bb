import BulletinSchema
import Clearance
import ConsoleAccounts
import Exchange
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Sodium
import Store
import Wire

/// The console's HTTP server: sign-in, the feed, a bulletin, the post form and settings, every
/// page server-rendered in the reader's language, every rule of ``ClearancePolicy`` checked on
/// the server for every request (a page that is not linked is not therefore reachable).
public struct ConsoleServer: Sendable {
    let configuration: ConsoleConfiguration
    let accounts: AccountStore
    let node: NodeGateway
    let renderer: PageRenderer
    let live: LiveFeed
    let logger: Logger
    /// The secretariat's collection (`--secretariat`), read-only; `nil` on a node's console.
    let audit: AuditGateway?
    /// The port bound, for the default public origins.
    let boundPort = BoundPort()
    /// The TAXII 2.1 server for agency systems (docs/TAXII.md); `nil` on the secretariat's console.
    let taxii: TAXIIService?

    // `__Host-`: the browser accepts them only Secure, for path /, from this host itself, so a
    // sibling subdomain cannot plant one (cookie tossing).
    static let sessionCookie = "__Host-bn_session"
    static let signInCookie = "__Host-bn_signin"
    /// The sign-in between password and security key: opens no page, only `/login/key` and
    /// `/login/recovery` look it up (`__Host-` wants path /).
    static let secondStepCookie = "__Host-bn_second"

    /// Opens the console's account store, the node's store (read-only) and the schemas; throws,
    /// saying which, when one cannot be opened.
    public init(configuration: ConsoleConfiguration, logger: Logger) throws {
        try self.init(configuration: configuration, logger: logger, taxiiGate: nil)
    }

    /// As ``init(configuration:logger:)``, the TAXII server's requests admitted by `taxiiGate`
    /// (tests: small limits on a frozen clock) instead of the limits of docs/TAXII.md.
    init(configuration: ConsoleConfiguration, logger: Logger, taxiiGate: TAXIIAccessGate?) throws {
        self.configuration = configuration
        self.logger = logger
        accounts = try AccountStore.open(folder: configuration.consoleData)
        let catalog = try SchemaCatalog.load(from: configuration.schemas)
        if let secretariat = configuration.secretariatData {
            // The secretariat's console: no node, no store, no control socket (ConsoleServer+Audit).
            audit = try AuditGateway(secretariat: secretariat)
            node = NodeGateway(absentWith: catalog, label: secretariat)
            taxii = nil
        } else {
            audit = nil
            let gateway = try NodeGateway(nodeData: configuration.nodeData, catalog: catalog, logger: logger)
            node = gateway
            if let reader = gateway.reader {
                // The correlation links' relationships unless the node keeps no search index.
                let searchEnabled = (try? gateway.directory.loadConfiguration().searchEnabled) ?? true
                taxii = TAXIIService(
                    accounts: accounts, node: gateway, reader: reader, catalog: catalog,
                    nodeLabel: gateway.directory.root.lastPathComponent, logger: logger,
                    links: searchEnabled ? gateway.search : nil, gate: taxiiGate)
            } else {
                taxii = nil
            }
        }
        renderer = try PageRenderer()
        live = LiveFeed(directory: node.directory, catalog: catalog, accounts: accounts)
    }

    /// Serves until SIGTERM or SIGINT, then makes one last bounded attempt to deliver the queued
    /// access records; `onListening` receives the port actually bound.
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let application = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { [boundPort] channel in
                let port = channel.localAddress?.port ?? 0
                boundPort.set(port)
                onListening(port)
            },
            logger: logger)
        // On SIGTERM the live streams end first (the last service is asked first), then the
        // server finishes its requests: an open feed page must not keep the process running.
        let services = ServiceGroup(
            configuration: .init(
                services: [application, LiveFeed.Shutdown(live: live)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        // Once the server has finished its requests no record comes any more: the queued ones get
        // one last attempt, at most 2 s (AccessRecorder.finish), whether the services ended well or not.
        do {
            try await services.run()
        } catch {
            await node.finishAccessRecords()
            throw error
        }
        await node.finishAccessRecords()
    }

    // MARK: - Routes

    /// Every route of the console behind its security headers (what ``run(onListening:)`` serves).
    func makeRouter() -> Router<ConsoleContext> {
        let router = Router(context: ConsoleContext.self)
        router.add(middleware: SecurityHeaders(renderer: renderer))
        addRoutes(to: router)
        return router
    }

    func addRoutes(to router: Router<ConsoleContext>) {
        router.get("/assets/console.css") { _, _ in Self.asset(Assets.styleSheet, type: "text/css; charset=utf-8") }
        router.get("/assets/console.js") { _, _ in Self.asset(Assets.script, type: "text/javascript; charset=utf-8") }
        router.get("/login") { request, _ in self.signInPage(request) }
        router.post("/login") { request, context in try await self.signIn(request, context: context) }
        router.get("/login/key") { request, _ in try self.secondStepPage(request) }
        router.post("/login/key") { request, context in try await self.signInWithKey(request, context: context) }
        router.post("/login/recovery") { request, context in
            try await self.signInWithRecoveryCode(request, context: context)
        }
        // Agency systems (docs/TAXII.md): their own credentials, no session, no cookie.
        addTAXIIRoutes(to: router)

        let pages = router.group().add(middleware: SessionMiddleware(accounts: accounts))
        if audit != nil {
            pages.add(middleware: SecretariatGate(renderer: renderer, label: node.directory.root.lastPathComponent))
        }
        addAuditRoutes(to: router, pages: pages)
        addSearchRoutes(to: pages)
        addWatchRoutes(to: pages)
        pages.post("/logout") { request, context in try await self.signOut(request, context: context) }
        pages.get("/") { request, context in try await self.feedPage(request, context: context) }
        pages.get("/bulletins/:id") { request, context in try await self.bulletinPage(request, context: context) }
        pages.get("/bulletins/:id/attachments/:number") { _, context in try await self.attachmentFile(context: context)
        }
        pages.get("/post") { request, context in try self.chooseTypePage(context: context) }
        pages.get("/post/:type") { request, context in try await self.postPage(request, context: context) }
        pages.post("/post/:type") { request, context in try await self.post(request, context: context) }
        pages.get("/withdraw/:id") { _, context in try await self.withdrawPage(context: context) }
        pages.get("/links") { _, context in try await self.linksPage(context: context) }
        pages.get("/users") { _, context in try self.usersPage(context: context) }
        pages.post("/users") { request, context in try await self.addUser(request, context: context) }
        pages.post("/users/:id") { request, context in try await self.changeUser(request, context: context) }
        pages.post("/users/:id/second-factor") { request, context in
            try await self.resetSecondFactor(request, context: context)
        }
        pages.post("/withdraw/:id") { request, context in try await self.withdraw(request, context: context) }
        pages.get("/settings") { _, context in try self.settingsPage(context: context) }
        pages.get("/password") { _, context in try self.passwordPage(context: context) }
        pages.post("/password") { request, context in try await self.changePassword(request, context: context) }
        pages.post("/settings") { request, context in try await self.saveSettings(request, context: context) }
        pages.get("/security") { request, context in try self.securityPage(request, context: context) }
        pages.post("/security/keys") { request, context in try await self.registerKey(request, context: context) }
        pages.post("/security/keys/remove") { request, context in try await self.removeKey(request, context: context) }
        pages.post("/security/recovery") { request, context in
            try await self.newRecoveryCodes(request, context: context)
        }
        pages.get("/events") { request, context in try self.events(request, context: context) }
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    func frame(_ context: ConsoleContext, language: Language? = nil) -> PageRenderer.Frame {
        PageRenderer.Frame(
            language: language ?? context.person?.language ?? .en, person: context.person,
            nodeLabel: node.directory.root.lastPathComponent)
    }

    static func person(_ context: ConsoleContext) throws -> SignedInPerson {
        guard let person = context.person else { throw HTTPError(.unauthorized) }
        return person
    }

    // MARK: - Sign-in

    /// The sign-in form carries a token also set as a cookie (double submit): a page of another
    /// site cannot sign a browser in to an account of its choosing.
    func signInPage(_ request: Request, error: String? = nil, username: String = "", language: Language? = nil)
        -> Response
    {
        let query = (try? FormBody(request.uri.query ?? "")) ?? FormBody.empty
        let chosen = language ?? query["lang"].flatMap(Language.init(rawValue:)) ?? .en
        let token = Self.randomToken()
        var model: [String: Any] = [
            "loginToken": token, "username": username, "lang": chosen.rawValue,
            "languages": Language.allCases.map { ["code": $0.rawValue, "name": $0.nativeName] },
        ]
        if let error { model["error"] = error }
        var response = renderer.response(
            "login", title: ConsoleText.signIn(chosen), model: model,
            frame: .init(language: chosen, person: nil, nodeLabel: nil), status: error == nil ? .ok : .unauthorized)
        response.setCookie(
            Cookie(name: Self.signInCookie, value: token, path: "/", secure: true, httpOnly: true, sameSite: .strict))
        return response
    }

    func signIn(_ request: Request, context: ConsoleContext) async throws -> Response {
        let form = try await Self.form(request, context: context)
        let language = form["lang"].flatMap(Language.init(rawValue:)) ?? .en
        guard let presented = form["csrf"], let expected = request.cookies[Self.signInCookie]?.value,
            Self.constantTimeEqual(presented, expected)
        else {
            return signInPage(request, error: ConsoleText.csrfRefused(language), language: language)
        }
        let username = String((form["username"] ?? "").prefix(64))
        let address = clientAddress(request, context: context)
        switch try accounts.authenticate(
            username: username, password: form.values["password"]?.first ?? "", from: address, now: Date())
        {
        case .signedIn(let user):
            // A person with a security key is not signed in yet: the key (or a recovery code)
            // comes next, on /login/key, with a token of its own that opens no page.
            if try !accounts.securityKeys(of: user.id).isEmpty {
                let pending = try accounts.beginSecondFactor(for: user, now: Date())
                var response = Self.redirect(to: "/login/key")
                response.setCookie(
                    Cookie(
                        name: Self.secondStepCookie, value: pending.token, path: "/", secure: true, httpOnly: true,
                        sameSite: .strict))
                response.setCookie(
                    Cookie(
                        name: Self.signInCookie, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true,
                        sameSite: .strict))
                logger.info(
                    "console password accepted, security key asked",
                    metadata: ["user": "\(user.username)", "from": "\(Self.logText(address))"])
                return response
            }
            // A new session for every sign-in: nothing the browser brought is reused (no fixation).
            let session = try accounts.createSession(for: user, now: Date())
            var response = Self.redirect(to: "/")
            response.setCookie(
                Cookie(
                    name: Self.sessionCookie, value: session.token, path: "/", secure: true, httpOnly: true,
                    sameSite: .strict))
            response.setCookie(
                Cookie(
                    name: Self.signInCookie, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true,
                    sameSite: .strict))
            logger.info("console sign-in", metadata: ["user": "\(user.username)", "from": "\(Self.logText(address))"])
            node.recordAccess(account: user.id, role: user.role, .signIn, .succeeded)
            return response
        case .refused:
            logger.notice(
                "console sign-in refused",
                metadata: ["user": "\(Self.logText(username))", "from": "\(Self.logText(address))"])
            recordRefusedSignIn(username: username, .refused)
            return signInPage(
                request, error: ConsoleText.signInRefused(language), username: username, language: language)
        case .lockedOut:
            logger.warning(
                "console sign-in locked out",
                metadata: ["user": "\(Self.logText(username))", "from": "\(Self.logText(address))"])
            recordRefusedSignIn(username: username, .lockedOut)
            return signInPage(request, error: ConsoleText.lockedOut(language), username: username, language: language)
        }
    }

    func signOut(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        let form = try await Self.form(request, context: context)
        try Self.requireCSRF(form, person)
        try accounts.endSession(token: person.sessionToken)
        node.recordAccess(account: person.userID, role: person.clearance.role.rawValue, .signOut, .succeeded)
        var response = Self.redirect(to: "/login?lang=\(person.language.rawValue)")
        response.setCookie(
            Cookie(
                name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true,
                sameSite: .strict))
        return response
    }

    // MARK: - Reading

    func feedPage(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        let language = person.language
        guard ClearancePolicy.readableScope(person.clearance) != .nothing else {
            // An operator reads no bulletin: their home is the links page.
            if person.canOperate { return Self.redirect(to: "/links") }
            return renderer.message(
                heading: ConsoleText.forbidden(language), text: ConsoleText.forbiddenExplanation(language),
                frame: frame(context), status: .forbidden)
        }
        let form = (try? FormBody(request.uri.query ?? "")) ?? FormBody.empty
        let presenter = BulletinPresenter(catalog: node.catalog, language: language)
        var query = BulletinQuery()
        query.incidentType = form["type"]
        query.origin = form["origin"].flatMap { try? StateCode($0.uppercased()) }
        if let tlp = form["tlp"].flatMap({ try? TLP(label: $0) }) { query.tlps = [tlp] }
        if let group = form["group"] { query.workingGroups = [group] }
        query.contains = form["q"].map { String($0.prefix(200)) }
        query.before = form["before"].flatMap(BulletinCursor.init)
        switch form["show"] {
        case "received": query.ownership = .received
        case "sent": query.ownership = .own
        default: query.ownership = .all
        }
        // A reader's pages hold what they may open: the clearance narrows the query itself.
        if case .restricted(let groups, let tlps, let permitted) = ClearancePolicy.readableScope(person.clearance) {
            let allowedGroups = Set(groups.map(\.rawValue))
            query.workingGroups = query.workingGroups.map { $0.intersection(allowedGroups) } ?? allowedGroups
            query.tlps = query.tlps.map { $0.intersection(tlps) } ?? tlps
            query.permittedHandling = permitted
        }
        let page = try await node.page(query)
        let visible = page.items.filter { ClearancePolicy.decide(person.clearance, for: Self.facts($0)) == .allowed }
        func options(_ values: [AllowedValue], selected: String?) -> [[String: Any]] {
            values.map { ["value": $0.value, "label": $0.labels[language], "selected": $0.value == selected] }
        }
        let common = node.catalog.bulletinFields
        var model: [String: Any] = [
            "rows": visible.map(presenter.row),
            "types": node.catalog.incidentTypes.map {
                ["value": $0.id, "label": $0.labels[language], "selected": $0.id == form["type"]]
            },
            "tlps": options(common.first { $0.name == "tlp" }?.allowedValues ?? [], selected: form["tlp"]),
            "groups": options(common.first { $0.name == "workingGroup" }?.allowedValues ?? [], selected: form["group"]),
            "shows": [("all", ConsoleText.all), ("received", ConsoleText.received), ("sent", ConsoleText.sent)].map {
                ["value": $0.0, "label": $0.1(language), "selected": $0.0 == (form["show"] ?? "all")]
            },
            "origin": form["origin"] ?? "", "q": form["q"] ?? "",
        ]
        // Live arrival only where new bulletins belong: the first page, unfiltered.
        if form.values.isEmpty { model["eventsURL"] = "/events" }
        if let next = page.next?.description {
            var parameters = URLComponents()
            parameters.queryItems =
                form.values.filter { $0.key != "before" }.flatMap { name, values in
                    values.map { URLQueryItem(name: name, value: $0) }
                }
                + [URLQueryItem(name: "before", value: next)]
            // URLComponents leaves "+" as is, which a form reads as a space.
            model["olderURL"] = "/?" + (parameters.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        }
        return renderer.response("feed", title: ConsoleText.feed(language), model: model, frame: frame(context))
    }

    func bulletinPage(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        let language = person.language
        let id = context.parameters.get("id") ?? ""
        guard try await readableSummary(id: id, for: person) != nil else {
            return renderer.message(
                heading: ConsoleText.notFound(language), text: ConsoleText.notFound(language), frame: frame(context),
                status: .notFound)
        }
        guard var record = try await node.bulletin(id: id) else {
            recordOpening(person, id: id, .notFound)
            return renderer.message(
                heading: ConsoleText.notFound(language), text: ConsoleText.notFound(language), frame: frame(context),
                status: .notFound)
        }
        // The corrections and withdrawals shown are those this person may read too.
        if ClearancePolicy.readableScope(person.clearance) != .everything {
            var visible: [BulletinRecord.ChainLink] = []
            for link in record.laterBulletins {
                if let later = try await node.summary(id: link.id.description),
                    ClearancePolicy.decide(person.clearance, for: Self.facts(later)) == .allowed
                {
                    visible.append(link)
                }
            }
            record.laterBulletins = visible
        }
        logger.info("console bulletin opened", metadata: ["user": "\(person.username)", "bulletin": "\(id)"])
        recordOpening(person, id: id, .succeeded)
        let presenter = BulletinPresenter(catalog: node.catalog, language: language)
        var model = presenter.page(record)
        model["type"] = record.summary.incidentType
        model["canAmend"] = person.canPost && Self.amendable(record)
        let linked = try await linkedBulletins(of: record.summary.id, person: person)
        model["linked"] = linked
        model["hasLinks"] = !linked.isEmpty
        model["s"] = SearchText.table(language)
        try await addAttachments(of: record, to: &model, language: language)
        return renderer.response("bulletin", title: ConsoleText.bulletin(language), model: model, frame: frame(context))
    }

    /// The summary of bulletin `id` when `person` may read it, `nil` otherwise — the one check of
    /// a bulletin's page and of its files (``ClearancePolicy/decide(_:for:)``). A refusal or an
    /// unknown id is recorded in the node's audit log here; `nil` gets the same answer whether the
    /// bulletin does not exist or may not be read, after the same work (one summary query): the
    /// refusal must not confirm what the store holds.
    func readableSummary(id: String, for person: SignedInPerson) async throws -> BulletinSummary? {
        let readsNothing = ClearancePolicy.readableScope(person.clearance) == .nothing
        let summary = readsNothing ? nil : try await node.summary(id: id)
        guard let summary, ClearancePolicy.decide(person.clearance, for: Self.facts(summary)) == .allowed else {
            recordOpening(person, id: id, summary == nil && !readsNothing ? .notFound : .refused)
            return nil
        }
        return summary
    }

    static func facts(_ summary: BulletinSummary) -> BulletinAccessFacts {
        BulletinAccessFacts(
            tlp: summary.tlp, workingGroup: summary.workingGroup.flatMap(WorkingGroup.init(rawValue:)),
            handling: Set(summary.handling), origin: summary.origin.description, isOwn: summary.isOwn)
    }

    func events(_ request: Request, context: ConsoleContext) throws -> Response {
        let person = try Self.person(context)
        guard ClearancePolicy.readableScope(person.clearance) != .nothing else { return forbidden(context) }
        guard let stream = live.stream(for: person) else {
            return Response(status: .serviceUnavailable, headers: [.retryAfter: "30"])
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
            body: .init(asyncSequence: stream))
    }

    // MARK: - Posting

    func chooseTypePage(context: ConsoleContext) throws -> Response {
        let person = try Self.person(context)
        guard person.canPost else { return forbidden(context) }
        let types = node.catalog.incidentTypes.map { ["value": $0.id, "label": $0.labels[person.language]] }
        return renderer.response(
            "choose", title: ConsoleText.newBulletin(person.language), model: ["types": types], frame: frame(context))
    }

    func forbidden(_ context: ConsoleContext) -> Response {
        let language = context.person?.language ?? .en
        return renderer.message(
            heading: ConsoleText.forbidden(language), text: ConsoleText.forbiddenExplanation(language),
            frame: frame(context), status: .forbidden)
    }

    func postPage(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        guard person.canPost else { return forbidden(context) }
        guard let type = node.catalog.incidentType(context.parameters.get("type") ?? "") else {
            return renderer.message(
                heading: ConsoleText.notFound(person.language), text: ConsoleText.notFound(person.language),
                frame: frame(context), status: .notFound)
        }
        let recipients = (try? await node.status())?.outgoing.map(\.recipient) ?? []
        let postForm = PostForm(catalog: node.catalog, type: type, language: person.language)
        var filled: FormBody?
        var corrects: String?
        var correctedRecipients: Set<String>?
        let query = (try? FormBody(request.uri.query ?? "")) ?? FormBody.empty
        if let id = query["corrects"] {
            // A correction starts from the bulletin it replaces, which must be ours and of this type.
            guard let record = try await node.bulletin(id: id), Self.amendable(record),
                record.summary.incidentType == type.id
            else {
                return renderer.message(
                    heading: ConsoleText.notFound(person.language), text: ConsoleText.notFound(person.language),
                    frame: frame(context), status: .notFound)
            }
            filled = postForm.prefilled(from: (try? JSONParser(maximumDepth: 64).parse(record.body)) ?? .object([:]))
            corrects = record.summary.id.description
            correctedRecipients = Set(record.recipients.map(\.recipient.description))
        }
        // A correction goes, by default, to the states that received the bulletin it replaces.
        let chosen = correctedRecipients ?? Set(recipients)
        var model = formModel(
            postForm, form: filled, errors: [:], general: [], refusal: nil, recipients: recipients, chosen: chosen,
            person: person, uploads: PostUploads(form: .empty, language: person.language))
        if let corrects { model["corrects"] = corrects }
        return renderer.response(
            "form", title: ConsoleText.newBulletin(person.language), model: model, frame: frame(context))
    }

    func post(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        guard person.canPost else { return forbidden(context) }
        let language = person.language
        guard let type = node.catalog.incidentType(context.parameters.get("type") ?? "") else {
            return renderer.message(
                heading: ConsoleText.notFound(language), text: ConsoleText.notFound(language), frame: frame(context),
                status: .notFound)
        }
        let submission: PostSubmission
        switch try await postSubmission(request, context: context, person: person) {
        case .read(let read): submission = read
        case .refused(let page): return page
        }
        // The files stay in memory until the node has answered: the gate's place is held until then.
        defer { submission.releaseUploadSlot() }
        let form = submission.form
        try Self.requireCSRF(form, person)
        let uploads = submission.uploads
        let postForm = PostForm(catalog: node.catalog, type: type, language: language)
        // The recipients are always named: the node's own default (every link) is never used
        // from here, so nothing goes to a state the officer did not tick.
        let linked = (try? await node.status())?.outgoing.map(\.recipient)
        let recipients = linked ?? []
        let chosen = Set(form.all("to")).intersection(recipients)
        let now = ISO8601DateFormatter().string(from: Date())
        var (draft, problems) = postForm.draft(from: form, reportedAt: now)
        var corrects: String?
        if let id = form["corrects"] {
            guard let record = try await node.bulletin(id: id), Self.amendable(record),
                record.summary.incidentType == type.id
            else {
                return renderer.message(
                    heading: ConsoleText.notFound(language), text: ConsoleText.notFound(language),
                    frame: frame(context), status: .notFound)
            }
            corrects = record.summary.id.description
            draft["corrects"] = corrects
        }

        // The upload fields' own refusals (`file.N`, `caption.N`) beside the post form's fields.
        var errors: [String: String] = problems.mapValues { _ in ConsoleText.fieldErrors(language) }
            .merging(uploads.errors) { first, _ in first }
        var general: [String] = []
        if linked == nil {
            general.append(ConsoleText.nodeUnreachable(language))
        } else if chosen.isEmpty {
            general.append(ConsoleText.chooseRecipients(language))
        }
        let bytes =
            (try? JSONSerialization.data(withJSONObject: draft, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        // Validated here first so each failure shows beside its field, together with the fields
        // whose text is not of their kind (one submission shows every error); the node validates again.
        let formFields = Set(postForm.fields.map(\.name))
        for failure in node.catalog.failures(in: bytes, stage: .draft) {
            let message = failure.reason.message(in: language)
            if let field = postForm.fieldName(for: failure.pointer), formFields.contains(field) {
                guard problems[field] == nil else { continue }  // left out of the draft: already marked
                errors[field] = errors[field].map { $0 + " · " + message } ?? message
            } else {
                // A failure with no input of its own (`/location/position`) is shown above the form.
                general.append(failure.line(in: language))
            }
        }
        if errors.isEmpty, general.isEmpty {
            do {
                let response = try await node.post(
                    draft: Array(bytes), recipients: chosen.sorted(), attachments: uploads.uploads, files: uploads.files
                )
                if response.ok, let posted = response.posted {
                    logger.info(
                        "console post",
                        metadata: [
                            "user": "\(person.username)", "bulletin": "\(posted.id)",
                            "files": "\(uploads.chosen.count)",
                        ])
                    return Self.redirect(to: "/bulletins/\(posted.id)")
                }
                let reason = response.error ?? ConsoleText.postRefused(language)
                // A refused file is said beside its input, in the officer's language.
                if let place = uploads.place(ofRefusal: reason, language: language) {
                    errors[place.field] = place.text
                } else {
                    general.append(reason)
                }
                general += response.failures ?? []
            } catch {
                // The form is kept; the node may or may not have the bulletin: the feed says.
                logger.error("console post failed", metadata: ["user": "\(person.username)", "error": "\(error)"])
                general.append(ConsoleText.nodeUnreachable(language))
            }
        }
        var model = formModel(
            postForm, form: form, errors: errors, general: general, refusal: ConsoleText.fieldErrors(language),
            recipients: recipients, chosen: chosen, person: person, uploads: uploads)
        if let corrects { model["corrects"] = corrects }
        return renderer.response(
            "form", title: ConsoleText.newBulletin(language), model: model, frame: frame(context),
            status: .unprocessableContent)
    }

    /// Whether a bulletin can be corrected or withdrawn from this node: one it posted itself, that
    /// is not a withdrawal and has not been withdrawn.
    static func amendable(_ record: BulletinRecord) -> Bool {
        record.summary.isOwn && record.summary.withdrawsID == nil
            && !record.laterBulletins.contains { $0.kind == .withdrawal }
    }

    func withdrawPage(context: ConsoleContext, reason: String = "", error: String? = nil) async throws -> Response {
        let person = try Self.person(context)
        guard person.canPost else { return forbidden(context) }
        let language = person.language
        guard let record = try await node.bulletin(id: context.parameters.get("id") ?? ""), Self.amendable(record)
        else {
            return renderer.message(
                heading: ConsoleText.notFound(language), text: ConsoleText.notFound(language), frame: frame(context),
                status: .notFound)
        }
        let presenter = BulletinPresenter(catalog: node.catalog, language: language)
        var model: [String: Any] = [
            "id": record.summary.id.description, "title": presenter.localized(record.summary.title)?.text ?? "",
            "csrf": person.csrfToken,
            "reason": reason,
        ]
        if let error { model["error"] = error }
        return renderer.response(
            "withdraw", title: ConsoleText.withdraw(language), model: model, frame: frame(context),
            status: error == nil ? .ok : .unprocessableContent)
    }

    /// A withdrawal repeats the bulletin's markings and place, gives its reason as the summary,
    /// and carries no details (docs/SCHEMAS.md §2).
    func withdraw(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        guard person.canPost else { return forbidden(context) }
        let form = try await Self.form(request, context: context)
        try Self.requireCSRF(form, person)
        let language = person.language
        guard let record = try await node.bulletin(id: context.parameters.get("id") ?? ""), Self.amendable(record),
            case .object(let original)? = try? JSONParser(maximumDepth: 64).parse(record.body)
        else {
            return renderer.message(
                heading: ConsoleText.notFound(language), text: ConsoleText.notFound(language), frame: frame(context),
                status: .notFound)
        }
        let reason = (form.values["reason"]?.first ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        var members = original
        for name in ["id", "details", "corrects", "relatedBulletins"] { members[name] = nil }
        members["summary"] = .object([language.rawValue: .string(reason)])
        members["reportedAt"] = .string(ISO8601DateFormatter().string(from: Date()))
        members["withdraws"] = .string(record.summary.id.description)
        let bytes = Array(JSONValue.object(members).description.utf8)
        let failures = node.catalog.failures(in: bytes, stage: .draft)
        guard failures.isEmpty else {
            return try await withdrawPage(
                context: context, reason: reason, error: failures.map { $0.line(in: language) }.joined(separator: " · ")
            )
        }
        // To the states that received the bulletin withdrawn, named: never the node's default.
        let recipients = record.recipients.map(\.recipient.description)
        guard !recipients.isEmpty else {
            return try await withdrawPage(
                context: context, reason: reason, error: ConsoleText.chooseRecipients(language))
        }
        let response: ControlResponse
        do {
            response = try await node.post(draft: bytes, recipients: recipients)
        } catch {
            return try await withdrawPage(
                context: context, reason: reason, error: ConsoleText.nodeUnreachable(language))
        }
        guard response.ok, let posted = response.posted else {
            return try await withdrawPage(
                context: context, reason: reason, error: response.error ?? ConsoleText.postRefused(language))
        }
        logger.info(
            "console withdrawal",
            metadata: ["user": "\(person.username)", "bulletin": "\(posted.id)", "withdraws": "\(record.summary.id)"])
        return Self.redirect(to: "/bulletins/\(posted.id)")
    }

    /// The form's model: each field with what was typed (kept after a refusal) and its error,
    /// then the upload fields (``uploadsModel(form:errors:uploads:language:)``).
    func formModel(
        _ postForm: PostForm, form: FormBody?, errors: [String: String], general: [String], refusal: String?,
        recipients: [String], chosen: Set<String>,
        person: SignedInPerson, uploads: PostUploads
    ) -> [String: Any] {
        let language = person.language
        let fields = postForm.fields.map { field -> [String: Any] in
            var model: [String: Any] = ["name": field.name, "label": field.label, "required": field.required]
            if let hint = field.hint { model["hint"] = hint }
            if let error = errors[field.name] { model["error"] = error }
            let typed = form?.values[field.name] ?? []
            switch field.kind {
            case .select(let values):
                model["isSelect"] = true
                model["options"] = values.map {
                    ["value": $0.value, "label": "\($0.labels[language])", "selected": typed.first == $0.value]
                }
            case .multiple(let values):
                model["isMulti"] = true
                model["options"] = values.map {
                    ["value": $0.value, "label": $0.labels[language], "selected": typed.contains($0.value)]
                }
            case .text(let inputType, let step):
                model["isText"] = true
                model["value"] = typed.first ?? ""
                // A number input shows nothing for a value that is not a number: a refused one is
                // given back as text, so what was typed stays in front of the person.
                if let inputType, errors[field.name] == nil { model["inputType"] = inputType }
                if let step { model["step"] = step }
            case .area(let rows):
                model["isArea"] = true
                model["rows"] = rows
                model["value"] = typed.first ?? ""
            }
            return model
        }
        var model: [String: Any] = [
            "type": postForm.type.id, "typeLabel": postForm.type.labels[language], "fields": fields,
            "csrf": person.csrfToken,
            "recipients": recipients.map { ["state": $0, "selected": chosen.contains($0)] },
            "generalErrors": general, "hasGeneralErrors": !general.isEmpty,
        ]
        if let refusal, !(errors.isEmpty && general.isEmpty) { model["refusal"] = refusal }
        model.merge(
            uploadsModel(form: form, errors: errors, uploads: uploads, refused: refusal != nil, language: language)
        ) {
            first, _ in first
        }
        return model
    }

    /// The upload fields' model: ``PostUploads/slots`` file inputs, each with the caption typed
    /// and its refusal; the caption language and "keep metadata" as chosen (off unless ticked);
    /// and, after a refused post that carried files, the notice that they must be chosen again
    /// (a browser never fills a file input from a page).
    func uploadsModel(
        form: FormBody?, errors: [String: String], uploads: PostUploads, refused: Bool, language: Language
    )
        -> [String: Any]
    {
        let slots = (1...PostUploads.slots).map { number -> [String: Any] in
            var slot: [String: Any] = [
                "n": number, "label": AttachmentText.uploadFile(number, language),
                "caption": form?.values["caption.\(number)"]?.first ?? "",
            ]
            if let error = errors["file.\(number)"] { slot["fileError"] = error }
            if let error = errors["caption.\(number)"] { slot["captionError"] = error }
            if slot["fileError"] != nil || slot["captionError"] != nil { slot["invalid"] = true }
            return slot
        }
        let limits = node.uploadLimits
        var model: [String: Any] = [
            "a": AttachmentText.table(language), "uploadSlots": slots, "keepMetadata": uploads.keepMetadata,
            "captionLanguages": Language.allCases.map {
                ["code": $0.rawValue, "name": $0.nativeName, "selected": $0 == uploads.captionLanguage]
            },
            "uploadHelp": AttachmentText.uploadHelp(
                slots: PostUploads.slots, fileBytes: limits.maximumFileBytes, bulletinBytes: limits.maximumBulletinBytes
            )[
                language],
            "maximumCaption": PostUploads.maximumCaptionScalars,
        ]
        if let error = errors["uploads"] { model["uploadError"] = error }
        if refused, !uploads.chosen.isEmpty { model["filesLost"] = true }
        return model
    }

    // MARK: - Settings

    func settingsPage(context: ConsoleContext) throws -> Response {
        let person = try Self.person(context)
        let model: [String: Any] = [
            "csrf": person.csrfToken, "arabicDigits": person.arabicDigits,
            "languages": Language.allCases.map {
                ["code": $0.rawValue, "name": $0.nativeName, "selected": $0 == person.language]
            },
        ]
        return renderer.response(
            "settings", title: ConsoleText.settings(person.language), model: model, frame: frame(context))
    }

    func saveSettings(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        let form = try await Self.form(request, context: context)
        try Self.requireCSRF(form, person)
        let language = form["lang"].flatMap(Language.init(rawValue:)) ?? person.language
        try accounts.setPreferences(
            userID: person.userID, language: language.rawValue, arabicDigits: form["digits"] == "arabic")
        return Self.redirect(to: "/settings")
    }

    // MARK: - Password

    func passwordPage(context: ConsoleContext, error: String? = nil) throws -> Response {
        let person = try Self.person(context)
        var model: [String: Any] = ["csrf": person.csrfToken, "mustChange": person.mustChangePassword]
        if let error { model["error"] = error }
        return renderer.response(
            "password", title: ConsoleText.changePassword(person.language), model: model, frame: frame(context),
            status: error == nil ? .ok : .unprocessableContent)
    }

    /// Replaces the password after checking the current one (a sign-in attempt, counted like any
    /// other); every session of the person ends, and this browser gets a new one.
    func changePassword(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        let form = try await Self.form(request, context: context)
        try Self.requireCSRF(form, person)
        let language = person.language
        let new = form.values["new"]?.first ?? ""
        guard new == (form.values["repeat"]?.first ?? "") else {
            return try passwordPage(context: context, error: ConsoleText.passwordsDiffer(language))
        }
        let current = form.values["current"]?.first ?? ""
        guard new != current else {
            return try passwordPage(context: context, error: ConsoleText.passwordRefused(language))
        }
        guard
            case .signedIn(let user) = try accounts.authenticate(
                username: person.username, password: current, from: clientAddress(request, context: context),
                now: Date())
        else {
            return try passwordPage(context: context, error: ConsoleText.passwordRefused(language))
        }
        do {
            try accounts.setPassword(new, of: user.id, mustChange: false, now: Date())
        } catch {
            return try passwordPage(context: context, error: ConsoleText.passwordRefused(language))
        }
        let session = try accounts.createSession(for: user, now: Date())
        logger.info("console password changed", metadata: ["user": "\(user.username)"])
        var response = Self.redirect(to: "/")
        response.setCookie(
            Cookie(
                name: Self.sessionCookie, value: session.token, path: "/", secure: true, httpOnly: true,
                sameSite: .strict))
        return response
    }

    // MARK: - Forms and CSRF

    static func form(_ request: Request, context: ConsoleContext) async throws -> FormBody {
        let buffer = try await request.body.collect(upTo: FormBody.maximumBytes)
        do {
            return try FormBody(String(buffer: buffer))
        } catch {
            throw HTTPError(.badRequest, message: "the form could not be read")
        }
    }

    static func requireCSRF(_ form: FormBody, _ person: SignedInPerson) throws {
        guard let presented = form["csrf"], constantTimeEqual(presented, person.csrfToken) else {
            throw HTTPError(.forbidden, message: "the form's token is not this session's: reload the page")
        }
    }

    /// The client's address: the socket's peer, or behind the TLS proxy (``ConsoleConfiguration/behindProxy``)
    /// the last address of `X-Forwarded-For`, which the proxy appends — otherwise every client
    /// would be the proxy, and one person's failed sign-ins would lock everyone out.
    func clientAddress(_ request: Request, context: ConsoleContext) -> String {
        guard configuration.behindProxy, let name = HTTPField.Name("X-Forwarded-For"),
            let forwarded = request.headers[name]
        else {
            return context.remoteAddress
        }
        let last = forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return last.isEmpty ? context.remoteAddress : String(last.prefix(64))
    }

    /// Text from a request made safe for one log line: at most 64 characters, controls escaped.
    static func logText(_ text: String) -> String {
        DisplayText.neutralised(String(text.prefix(64)))
    }

    /// 24 random bytes from libsodium, base64url without padding: a cookie-safe token.
    static func randomToken() -> String {
        Data(SecureRandom.bytes(count: 24)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(
                of: "=", with: "")
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
