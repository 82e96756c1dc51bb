import BulletinSchema
import Foundation
import HTTPTypes
import Hummingbird

/// The post form's body: `multipart/form-data` with files (the console's own form), or the
/// urlencoded form without (clients of earlier pages). Read within ``UploadLimits``, a few at a
/// time (``UploadGate``); a body that is not what the form sends gets a page that says why.
extension ConsoleServer {
    /// Posts with files read or waiting for the node at once (``UploadGate``).
    static let uploadGate = UploadGate(capacity: 2)

    /// A post request read: its fields and its files.
    struct PostSubmission {
        var form: FormBody
        var uploads: PostUploads
        /// Whether it holds a place of ``uploadGate`` (a body with files): the caller gives it
        /// back with ``releaseUploadSlot()`` once the node has answered, so that the files held
        /// in memory, not only the bodies being read, are bounded.
        var holdsUploadSlot = false

        /// Gives back the place of ``uploadGate`` this submission holds, if any.
        func releaseUploadSlot() {
            if holdsUploadSlot { ConsoleServer.uploadGate.leave() }
        }
    }

    /// A post's body read, or the page refusing it (400 unreadable, 413 too large, 503 busy).
    enum PostBody {
        case read(PostSubmission)
        case refused(Response)
    }

    /// Reads the body of `POST /post/:type`. The CSRF token is the caller's to check, on the
    /// fields of either kind of body.
    func postSubmission(_ request: Request, context: ConsoleContext, person: SignedInPerson) async throws -> PostBody {
        let language = person.language
        let contentType = request.headers[.contentType]
        guard MultipartFormReader.isMultipartForm(contentType) else {
            let form = try await Self.form(request, context: context)
            return .read(PostSubmission(form: form, uploads: PostUploads(form: form, language: language)))
        }
        let limits = node.uploadLimits
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limits.multipart.maximumBodyBytes {
            return .refused(uploadRefused(.bodyTooLarge(limit: limits.multipart.maximumBodyBytes), person, context))
        }
        guard Self.uploadGate.enter() else {
            logger.notice("console post with files refused: too many at once", metadata: ["user": "\(person.username)"])
            return .refused(
                renderer.message(
                    heading: ConsoleText.requestRefused(language), text: AttachmentText.uploadBusy(language),
                    frame: frame(context), status: .serviceUnavailable))
        }
        // Kept past this function when the body is read: the caller gives it back after the post.
        var slotHandedOver = false
        defer { if !slotHandedOver { Self.uploadGate.leave() } }
        let multipart: MultipartForm
        do throws(MultipartFormError) {
            let reader = try MultipartFormReader(contentType: contentType ?? "", limits: limits.multipart)
            do {
                for try await chunk in request.body { try reader.feed(chunk) }
            } catch let error as MultipartFormError {
                throw error
            } catch {
                // The connection failed while the body came in: nothing to answer it with.
                throw .truncated
            }
            multipart = try reader.finish()
        } catch {
            return .refused(uploadRefused(error, person, context))
        }
        let form = FormBody(values: multipart.fields)
        do {
            let uploads = try PostUploads(
                form: form, files: multipart.files, language: language, maximumFileBytes: limits.maximumFileBytes)
            slotHandedOver = true
            return .read(PostSubmission(form: form, uploads: uploads, holdsUploadSlot: true))
        } catch {
            return .refused(badUpload(error.description, person, context))
        }
    }

    /// The page of a body refused by ``MultipartFormReader``: 413 for one over the bound, 400 otherwise.
    private func uploadRefused(_ error: MultipartFormError, _ person: SignedInPerson, _ context: ConsoleContext)
        -> Response
    {
        guard case .bodyTooLarge = error else { return badUpload(error.description, person, context) }
        logger.notice(
            "console post with files refused: too large",
            metadata: ["user": "\(person.username)", "reason": "\(error)"])
        let language = person.language
        return renderer.message(
            heading: ConsoleText.postRefused(language),
            text: AttachmentText.uploadTooLarge(bulletinBytes: node.uploadLimits.maximumBulletinBytes)[language],
            frame: frame(context), status: .contentTooLarge)
    }

    /// The 400 page of a body that is not the post form's, with the reason (logged too).
    private func badUpload(_ reason: String, _ person: SignedInPerson, _ context: ConsoleContext) -> Response {
        logger.notice(
            "console post with files refused: unreadable form",
            metadata: ["user": "\(person.username)", "reason": "\(DisplayText.neutralised(reason))"])
        let language = person.language
        return renderer.message(
            heading: ConsoleText.requestRefused(language),
            text: "\(AttachmentText.uploadMalformed(language)) (\(DisplayText.neutralised(reason)))",
            frame: frame(context),
            status: .badRequest)
    }
}
