import Foundation
import Sodium

@testable import Exchange

/// The fixed keys, nodes, roster and times of the test vectors and of most tests. Every secret is
/// derived from a label: `SHA-256("BorderNet test vector: " ‖ label)`, so that the vectors can be
/// regenerated bit for bit and another implementation can see where each key comes from.
enum Fixtures {
    static func secret(_ label: String) -> SecretBytes {
        SecretBytes(copying: SHA256.hash(Array("BorderNet test vector: \(label)".utf8)))
    }

    static func signingKey(_ label: String) -> Ed25519.PrivateKey {
        // A 32-byte seed always makes a key.
        (try? Ed25519.PrivateKey(seed: secret(label))) ?? Ed25519.PrivateKey()
    }

    static func agreementKey(_ label: String) -> X25519.PrivateKey {
        (try? X25519.PrivateKey(rawRepresentation: secret(label))) ?? X25519.PrivateKey()
    }

    /// A node description of the fixtures.
    struct NodeSpec: Sendable {
        let label: String
        let state: String
        let name: String
        let host: String
        let role: MemberRole?
    }

    /// The roster members, plus two nodes deliberately not in the roster: LY (unknown origin)
    /// and an impostor claiming to be MA with keys of its own.
    static let nodeSpecs: [NodeSpec] = [
        NodeSpec(label: "MA", state: "MA", name: "ma-rabat-1", host: "bordernet.ma.example", role: .member),
        NodeSpec(label: "DZ", state: "DZ", name: "dz-alger-1", host: "bordernet.dz.example", role: .member),
        NodeSpec(label: "TN", state: "TN", name: "tn-tunis-1", host: "bordernet.tn.example", role: .member),
        NodeSpec(label: "MR", state: "MR", name: "mr-nouakchott-1", host: "bordernet.mr.example", role: .member),
        NodeSpec(label: "ES", state: "ES", name: "es-madrid-1", host: "bordernet.es.example", role: .partner),
        NodeSpec(label: "XS", state: "XS", name: "xs-secretariat-1", host: "bordernet.secretariat.example", role: .secretariat),
        NodeSpec(label: "LY", state: "LY", name: "ly-tripoli-1", host: "bordernet.ly.example", role: nil),
        NodeSpec(label: "impostor-MA", state: "MA", name: "ma-rabat-1", host: "bordernet.ma.example", role: nil),
    ]

    static func identity(_ spec: NodeSpec) -> NodeIdentity {
        let endpoints = (try? NodeEndpoints(publish: "tcp://\(spec.host):7450", service: "tcp://\(spec.host):7451"))
        guard let endpoints,
            let identity = try? NodeIdentity(
                state: state(spec.state), nodeName: spec.name, endpoints: endpoints,
                signingKey: signingKey("\(spec.label) signing"),
                encryptionKey: agreementKey("\(spec.label) encryption"),
                transportKey: agreementKey("\(spec.label) transport"))
        else {
            Issue.recordFixtureFailure("identity \(spec.label)")
            return identity(nodeSpecs[0])
        }
        return identity
    }

    static func identity(_ label: String) -> NodeIdentity {
        identity(nodeSpecs.first { $0.label == label } ?? nodeSpecs[0])
    }

    static let ma = identity("MA")
    static let dz = identity("DZ")
    static let tn = identity("TN")
    static let mr = identity("MR")
    static let es = identity("ES")
    static let xs = identity("XS")
    static let ly = identity("LY")
    static let impostor = identity("impostor-MA")

    /// The secretariat's roster key (separate from its node's keys: it can be kept offline).
    static let secretariatKey = signingKey("secretariat roster")
    /// The roster key the secretariat hands over to (roster-format-3.json `handOver`).
    static let successorRosterKey = signingKey("secretariat successor roster")

    static let issuedAt = Timestamp(millisecondsSinceEpoch: 1_740_787_200_000)  // 2025-03-01T00:00:00Z
    static let expiresAt = Timestamp(millisecondsSinceEpoch: 1_756_684_800_000)  // 2025-09-01T00:00:00Z
    /// "Now" in the vectors: a day after the roster was issued.
    static let now = Timestamp(millisecondsSinceEpoch: 1_740_873_600_000)  // 2025-03-02T00:00:00Z

    static var members: [RosterMember] { members() }

    /// The roster members, each reading schema 1.0 unless `reads` names it.
    static func members(reads: [String: BodySchemaVersion] = [:]) -> [RosterMember] {
        nodeSpecs.compactMap { spec in
            spec.role.map {
                RosterMember(card: identity(spec).card, role: $0, readsSchema: reads[spec.state] ?? RosterMember.defaultReadsSchema)
            }
        }
    }

    /// Neighbour links of the member states, plus one explicit link to a partner (MA→ES).
    static var links: [Link] {
        RegionGeography.rabatDeclaration.defaultLinks(for: members) + [Link(origin: state("MA"), recipient: state("ES"))]
    }

    static func roster(
        version: UInt64 = 7, issuedAt: Timestamp = issuedAt, expiresAt: Timestamp = expiresAt, reads: [String: BodySchemaVersion] = [:]
    ) -> Roster {
        guard let roster = try? Roster(
            version: version, issuedAt: issuedAt, expiresAt: expiresAt, members: members(reads: reads), links: links)
        else {
            Issue.recordFixtureFailure("roster")
            preconditionFailure("fixture roster")
        }
        return roster
    }

    static let standardRoster = roster()

    // MARK: Keys over time (roster format 3, docs/PROTOCOL.md §6.5)

    /// MA's node after a rotation: the same state, name and endpoints, new keys of the label
    /// `MA-2` (not in identities.json, which must not change; roster-format-3.json lists it).
    static let rotatedMASpec = NodeSpec(
        label: "MA-2", state: "MA", name: "ma-rabat-1", host: "bordernet.ma.example", role: .member)
    static let maRotated = identity(rotatedMASpec)

    /// When MA's rotation comes into force: its old keys sign what is dated before it, the keys of
    /// `MA-2` what is dated at or after it. Between MA→DZ envelopes 2 (12:07) and 3 (12:31) of
    /// envelopes.json, and after the roster's issued-at: a scheduled rotation.
    static let rotationTime = Timestamp(millisecondsSinceEpoch: 1_740_832_200_000)  // 2025-03-01T12:30:00Z
    /// When LY's keys were compromised: they are trusted for nothing dated at or after it.
    static let revocationTime = Timestamp(millisecondsSinceEpoch: 1_740_009_600_000)  // 2025-02-20T00:00:00Z
    /// The secretariat's reason for revoking LY's keys.
    static let revocationReason = "keys copied from ly-tripoli-1 by a former administrator; LY left the exchange"

    /// The key history of roster-format-3.json: MA's keys before its rotation, and LY's keys,
    /// revoked after a compromise (LY is no longer a member).
    static var keyHistory: [RetiredKeys] {
        [
            RetiredKeys(retiring: ma.card, until: rotationTime),
            RetiredKeys(retiring: ly.card, until: revocationTime, revocation: revocationReason),
        ]
    }

    /// The members with MA's card after its rotation (every member reads 1.0).
    static var rotatedMembers: [RosterMember] {
        members.map { $0.state == ma.state ? RosterMember(card: maRotated.card, role: $0.role) : $0 }
    }

    /// Version 9 of the vector roster, in format 3: MA rotated at ``rotationTime``, LY revoked.
    static func keyHistoryRoster(version: UInt64 = 9, retiredKeys: [RetiredKeys] = keyHistory) -> Roster {
        guard let roster = try? Roster(
            version: version, issuedAt: issuedAt, expiresAt: expiresAt, members: rotatedMembers, links: links,
            retiredKeys: retiredKeys)
        else {
            Issue.recordFixtureFailure("key history roster")
            preconditionFailure("fixture roster")
        }
        return roster
    }

    static func bulletinID(_ label: String, at time: Timestamp) -> BulletinID {
        // A UUIDv7 with fixed "random" bits, so vectors are stable.
        var bytes = Array(SHA256.hash(Array("BorderNet test vector: bulletin \(label)".utf8)).prefix(16))
        let milliseconds = time.millisecondsSinceEpoch
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> UInt64(40 - 8 * index)) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        return BulletinID(checked: bytes)
    }

    /// A small bulletin JSON body (the schema layer defines the real ones).
    static func body(_ number: Int, summary: String) -> [UInt8] {
        Array(
            """
            {"type":"seizure","summary":"\(summary)","sequenceHint":\(number),"location":{"lat":34.6814,"lon":-1.9086}}
            """.utf8)
    }
}

import Testing

extension Issue {
    /// Records that a fixture could not be built (a bug in the fixtures, not in the code under test).
    static func recordFixtureFailure(_ what: String) {
        Issue.record("fixture could not be built: \(what)")
    }
}
