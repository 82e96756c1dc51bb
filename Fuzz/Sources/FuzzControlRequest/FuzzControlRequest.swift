import Foundation
import FuzzSupport

@testable import Node

// Control requests (Node/Control): `ControlRequestDecoder.decode`, what the node reads from its
// control socket (`post`, `status`, `history`, `ping`, `metrics`). Internal, hence
// `@testable import` (SwiftPM debug builds are built for testing).
//
// Input: the request's JSON frame.
// Invariant (stated in ControlRequestDecoder): the fast path for posts and JSONDecoder accept
// exactly the same requests — whenever `fastPost` reads a request, JSONDecoder reads the same.
// Seeds: one request of each command, as ControlClient encodes them, and handwritten variants.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzControlRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let decoded = try? ControlRequestDecoder.decode(bytes)
    if let fast = ControlRequestDecoder.fastPost(bytes) {
        let general = try? JSONDecoder().decode(ControlRequest.self, from: Data(bytes))
        fuzzRequire(
            general == fast,
            "fastPost read \(fast) but JSONDecoder read \(general.map { "\($0)" } ?? "nothing") from \(String(decoding: bytes.prefix(300), as: UTF8.self))"
        )
        fuzzRequire(decoded == fast, "decode did not return the fast post")
    }
    if let decoded {
        // What a client would send back for it must read the same.
        if let encoded = try? JSONEncoder().encode(decoded) {
            fuzzRequire(
                (try? ControlRequestDecoder.decode(Array(encoded))) == decoded,
                "an encoded request does not decode back to itself")
        }
    }
    return 0
}
