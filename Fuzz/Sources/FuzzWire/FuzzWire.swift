import Exchange
import FuzzSupport
import Wire

// The typed wire messages (Wire, docs/PROTOCOL.md §16, docs/AUDIT.md §12.1): every decoder of
// frames a node, the secretariat or a local program reads from a socket.
//
// Input: a selector byte whose low 3 bits choose the reader, then the reader's parameter bytes,
// then the frames as `u16`-length-prefixed chunks (at most 64; a chunk cut short by the end of
// the input is what is left of it).
//   0  `ControlRequest(frames:)`: what a node reads from its control socket (`[JSON]`, or
//      `[JSON, draft]` for a post, `[JSON, signed roster]` for rosterInstall)
//   1  `Publication(frames:maximumEnvelopeBytes:)`; parameter: the limit, u16 big-endian
//   2  `ServiceRequest(frames:)`, and `AuditRequest(frames:)` of the same frames
//   3  `ReplayBatch(frames:maximumEnvelopes:)` and `RosterAnswer(frames:maximumRosterBytes:)` of the
//      same frames (a requester reads both); parameter: the limit, one byte (× 256 bytes for a roster)
//   4  `AuditAnswer(frames:)`, and `answers(_:)` against each kind of request
//   5  `FeedMessage(frames:)`
//   6  `ControlResponse(frame:)`: the rest of the input is the one frame (no chunks)
//   7  `AuditRequest(frames:)` alone, and `WireNumber.decode` of every frame
// Invariants: nothing traps; a `WireError` is counted as malformedMessage, unknownMessageKind or
// oversized; a decoded message encodes to frames that decode to the same message (a control
// request through `frames()`); where the encoding is canonical, the frames are the input's:
// publications (re-encoded to the topic of the first frame when it is a state code), service and
// audit requests, replay batches, audit answers but a refusal (its reason is read leniently:
// invalid UTF-8 replaced, at most 4 KiB, one frame or extra frames allowed) and feed messages
// whose text frames are UTF-8; a control request with a draft keeps the draft frame as it came.
// Seeds (Fuzz/seeds.py): every message of Tests/Vectors/transport.json under its reader, control
// requests of each command with and without a draft frame, answers of each audit kind.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let reader = input.byte() & 7
    switch reader {
    case 0: controlRequest(frames(&input))
    case 1:
        let limit = Int(input.uint16())
        publication(frames(&input), maximumEnvelopeBytes: limit)
    case 2: serviceRequest(frames(&input))
    case 3:
        let limit = Int(input.byte())
        let answer = frames(&input)
        replayBatch(answer, maximumEnvelopes: limit)
        rosterAnswer(answer, maximumRosterBytes: limit * 256)
    case 4: auditAnswer(frames(&input))
    case 5: feedMessage(frames(&input))
    case 6: controlResponse(input.rest())
    default: auditRequest(frames(&input))
    }
    return 0
}

/// The rest of the input as frames: `u16`-length-prefixed chunks, at most 64.
private func frames(_ input: inout FuzzInput) -> [[UInt8]] {
    var frames: [[UInt8]] = []
    while !input.isAtEnd, frames.count < 64 { frames.append(input.chunk()) }
    return frames
}

/// What a node counts a refused message under: only these three (docs/PROTOCOL.md §16.5).
private func check(_ error: WireError) {
    fuzzRequire(
        [RejectionReason.malformedMessage, .unknownMessageKind, .oversized].contains(error.reason),
        "a wire error is counted as \(error.reason): \(error)")
    _ = error.description
}

/// Whether `frame` is UTF-8 that the lenient readers (`String(decoding:as:)`) keep as it is.
private func isUTF8(_ frame: [UInt8]) -> Bool {
    Array(String(decoding: frame, as: UTF8.self).utf8) == frame
}

private func controlRequest(_ frames: [[UInt8]]) {
    let request: ControlRequest
    do {
        request = try ControlRequest(frames: frames)
    } catch {
        fuzzRequire(!error.description.isEmpty, "a control request error without a description")
        return
    }
    // The second frame is a post's draft or a rosterInstall's signed roster, nothing else.
    let second = request.command == .rosterInstall ? request.signedRoster : request.draft
    fuzzRequire(
        (second != nil) == (frames.count == 2) && (request.draft == nil || request.command == .post)
            && (request.signedRoster == nil || request.command == .rosterInstall),
        "a \(request.command.rawValue) request of \(frames.count) frames has \(second == nil ? "no" : "a") second frame")
    if let second { fuzzRequire(second == frames[1], "the second frame is not kept as it came") }
    let encoded: [[UInt8]]
    do {
        encoded = try request.frames()
    } catch {
        fuzzRequire(false, "a request the node read cannot be encoded: \(error)")
        return
    }
    fuzzRequire(encoded.count == frames.count, "a request of \(frames.count) frames encodes to \(encoded.count)")
    if frames.count == 2 { fuzzRequire(encoded[1] == frames[1], "the draft frame is not sent as it came") }
    do {
        let again = try ControlRequest(frames: encoded)
        fuzzRequire(
            again == request,
            "an encoded request reads back as another: \(again) from \(String(decoding: encoded[0].prefix(300), as: UTF8.self))")
    } catch {
        fuzzRequire(
            false, "an encoded request does not read back (\(error)): \(String(decoding: encoded[0].prefix(300), as: UTF8.self))")
    }
}

private func publication(_ frames: [[UInt8]], maximumEnvelopeBytes: Int) {
    let publication: Publication
    do {
        publication = try Publication(frames: frames, maximumEnvelopeBytes: maximumEnvelopeBytes)
    } catch {
        check(error)
        return
    }
    if case .envelope(let bytes) = publication {
        fuzzRequire(bytes.count <= maximumEnvelopeBytes, "an envelope frame over the limit was read")
    }
    // The decoder ignores the topic frame (the SUB's filter has checked it): any recipient.
    let recipient = try? StateCode(String(decoding: frames[0], as: UTF8.self))
    let state = recipient ?? (try! StateCode("DZ"))
    let encoded = publication.frames(to: state)
    if recipient != nil, encoded[0] == frames[0] {
        fuzzRequire(encoded == frames, "a publication to \(state) does not re-encode to its frames")
    } else {
        fuzzRequire(Array(encoded[1...]) == Array(frames[1...]), "a publication does not re-encode to its kind and body")
    }
    fuzzRequire(
        (try? Publication(frames: encoded, maximumEnvelopeBytes: maximumEnvelopeBytes)) == publication,
        "an encoded publication does not read back")
}

private func serviceRequest(_ frames: [[UInt8]]) {
    let audit = try? AuditRequest(frames: frames)
    let request: ServiceRequest
    do {
        request = try ServiceRequest(frames: frames)
    } catch {
        check(error)
        if let verb = frames.first, verb.starts(with: AuditRequest.verbPrefix) {
            fuzzRequire(
                error == .malformedAuditRequest(verb: String(decoding: verb.prefix(32), as: UTF8.self)),
                "an audit- verb refused otherwise than as a malformed audit request: \(error)")
            fuzzRequire(audit == nil, "AuditRequest read what ServiceRequest refused")
        }
        return
    }
    if case .audit(let inner) = request {
        fuzzRequire(audit == inner, "ServiceRequest and AuditRequest read an audit request differently")
    } else {
        fuzzRequire(audit == nil, "AuditRequest read a \(request) service request")
    }
    fuzzRequire(request.frames == frames, "a service request does not re-encode to its frames")
    fuzzRequire((try? ServiceRequest(frames: request.frames)) == request, "an encoded service request does not read back")
}

private func auditRequest(_ frames: [[UInt8]]) {
    for frame in frames {
        if let value = WireNumber.decode(frame) {
            fuzzRequire(WireNumber.encode(value) == frame, "WireNumber.decode is not the inverse of encode")
        } else {
            fuzzRequire(frame.count != 8, "an 8-byte frame is not a number")
        }
    }
    let request: AuditRequest
    do {
        request = try AuditRequest(frames: frames)
    } catch {
        check(error)
        fuzzRequire(error.reason == .malformedMessage, "an audit request refused as \(error.reason)")
        return
    }
    fuzzRequire(request.frames == frames, "an audit request does not re-encode to its frames")
    fuzzRequire(request.verb == frames[0] && request.name == String(decoding: frames[0], as: UTF8.self), "an audit request's verb")
    fuzzRequire((try? AuditRequest(frames: request.frames)) == request, "an encoded audit request does not read back")
    fuzzRequire((try? ServiceRequest(frames: frames)) == .audit(request), "ServiceRequest does not read an audit request")
}

private func replayBatch(_ frames: [[UInt8]], maximumEnvelopes: Int) {
    let batch: ReplayBatch
    do {
        batch = try ReplayBatch(frames: frames, maximumEnvelopes: maximumEnvelopes)
    } catch {
        check(error)
        return
    }
    fuzzRequire(batch.envelopes.count <= maximumEnvelopes, "a batch over the limit was read")
    fuzzRequire(batch.frames == frames, "a replay batch does not re-encode to its frames")
    fuzzRequire(
        (try? ReplayBatch(frames: batch.frames, maximumEnvelopes: maximumEnvelopes)) == batch,
        "an encoded replay batch does not read back")
}

/// A requester's other answer: the same frames read as a roster answer (docs/PROTOCOL.md §16.3).
private func rosterAnswer(_ frames: [[UInt8]], maximumRosterBytes: Int) {
    let answer: RosterAnswer
    do {
        answer = try RosterAnswer(frames: frames, maximumRosterBytes: maximumRosterBytes)
    } catch {
        check(error)
        return
    }
    fuzzRequire(RosterAnswer.isRosterAnswer(frames), "a roster answer read from frames that do not start with its verb")
    fuzzRequire((answer.signedRoster?.count ?? 0) <= maximumRosterBytes, "a roster over the limit was read")
    fuzzRequire(answer.frames == frames, "a roster answer does not re-encode to its frames")
    fuzzRequire((try? RosterAnswer(frames: answer.frames, maximumRosterBytes: maximumRosterBytes)) == answer, "an encoded roster answer does not read back")
}

private func auditAnswer(_ frames: [[UInt8]]) {
    let answer: AuditAnswer
    do {
        answer = try AuditAnswer(frames: frames)
    } catch {
        check(error)
        return
    }
    let requests: [AuditRequest] = [
        .head, .consistency(from: 1, to: 2), .inclusion(index: 0, treeSize: 1), .entries(from: 0, count: 1),
        .entries(from: .max, count: 1),
    ]
    for request in requests { _ = answer.answers(request) }
    do {
        let again = try AuditAnswer(frames: answer.frames)
        fuzzRequire(again == answer, "an encoded audit answer reads back as another: \(again) for \(answer)")
    } catch {
        fuzzRequire(false, "an encoded audit answer does not read back: \(error)")
    }
    if case .refused(let reason) = answer {
        fuzzRequire(answer.answers(.head), "a refusal does not answer every request")
        fuzzRequire(reason.utf8.count <= AuditAnswer.maximumReasonBytes, "a refusal's reason of \(reason.utf8.count) bytes was read")
        if frames.count == 2, frames[1].count <= AuditAnswer.maximumReasonBytes, isUTF8(frames[1]) {
            fuzzRequire(answer.frames == frames, "a refusal with a short UTF-8 reason does not re-encode to its frames")
        }
    } else {
        fuzzRequire(answer.frames == frames, "an audit answer does not re-encode to its frames")
    }
}

private func feedMessage(_ frames: [[UInt8]]) {
    let message: FeedMessage
    do {
        message = try FeedMessage(frames: frames)
    } catch {
        check(error)
        return
    }
    if isUTF8(frames[0]), isUTF8(frames[1]) {
        fuzzRequire(message.frames == frames, "a feed message does not re-encode to its frames")
    }
    fuzzRequire((try? FeedMessage(frames: message.frames)) == message, "an encoded feed message does not read back")
}

private func controlResponse(_ frame: [UInt8]) {
    let response: ControlResponse
    do {
        response = try ControlResponse(frame: frame)
    } catch {
        fuzzRequire(!error.description.isEmpty, "a control response error without a description")
        return
    }
    do {
        let encoded = try response.frame()
        fuzzRequire((try? ControlResponse(frame: encoded)) == response, "an encoded control response does not read back")
    } catch {
        fuzzRequire(false, "a response read from a node cannot be encoded: \(error)")
    }
}
