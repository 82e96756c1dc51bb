/// A node's answer to a roster request (ROUTER → DEALER, docs/PROTOCOL.md §16.3, "Rosters"):
///
/// ```
/// ["roster", installed version (u64)]                  nothing newer than what you hold
/// ["roster", installed version (u64), signed roster]   my roster, newer than yours
/// ```
///
/// The version frame is a hint like a heartbeat's; the signed roster proves itself: the requester
/// verifies it against its pinned secretariat key exactly as `roster install` does before it
/// believes anything in it.
public struct RosterAnswer: Sendable, Equatable {
    /// The version of the roster the answering node has installed, as it says.
    public var installedVersion: UInt64
    /// The signed roster (docs/PROTOCOL.md §6.3), not yet verified; `nil` when the answerer holds
    /// nothing newer than the requester asked about.
    public var signedRoster: [UInt8]?

    /// An answer.
    public init(installedVersion: UInt64, signedRoster: [UInt8]?) {
        self.installedVersion = installedVersion
        self.signedRoster = signedRoster
    }

    /// Its frames (the ROUTER's routing id goes before them).
    public var frames: [[UInt8]] {
        [ServiceRequest.rosterVerb, WireNumber.encode(installedVersion)] + (signedRoster.map { [$0] } ?? [])
    }

    /// Whether `frames` (a requester's incoming message) is a roster answer rather than a replay answer.
    public static func isRosterAnswer(_ frames: [[UInt8]]) -> Bool {
        frames.first == ServiceRequest.rosterVerb
    }

    /// Reads an answer whose signed roster is at most `maximumRosterBytes` long.
    public init(frames: [[UInt8]], maximumRosterBytes: Int) throws(WireError) {
        guard frames.count == 2 || frames.count == 3 else {
            throw .frameCount(message: "roster answer", found: frames.count, expected: "2 or 3")
        }
        guard frames[0] == ServiceRequest.rosterVerb else {
            throw .unknownKind(message: "roster answer", byteCount: frames[0].count)
        }
        guard let version = WireNumber.decode(frames[1]) else {
            throw .malformedField(message: "roster answer", field: "version", byteCount: frames[1].count, expected: 8)
        }
        if frames.count == 3, frames[2].count > maximumRosterBytes {
            throw .oversized(message: "roster answer", byteCount: frames[2].count, limit: maximumRosterBytes)
        }
        installedVersion = version
        signedRoster = frames.count == 3 ? frames[2] : nil
    }
}
