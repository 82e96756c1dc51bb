import ArgumentParser
import BulletinSchema
import ConsoleAccounts
import Exchange
import Foundation
import Logging
import Sodium

// The values commands take, each parsed here once: a command declares `--lang` as a `Language`,
// `--to` as a `StateList`, and so on, and gets a checked value or ArgumentParser's error
// ("The value 'de' is invalid for '--lang <ar|fr|en>'. Please provide one of 'ar', 'fr' or
// 'en'.", with the option's help line beneath it). `--help` lists the values of closed sets and
// the defaults. ArgumentParser's `init?(argument:)` cannot carry a reason, so the help of an
// option whose values are open (a state code, a key) says what a value looks like.

extension Language: ExpressibleByArgument {
    /// `ar`, `fr` or `en`, in either case.
    public init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }
}

extension StateCode: ExpressibleByArgument {
    /// Two letters, ISO 3166-1 alpha-2 (`MA`; `ma` is read as `MA`).
    public init?(argument: String) {
        guard let code = try? StateCode(argument.uppercased()) else { return nil }
        self = code
    }

    public var defaultValueDescription: String { description }
}

extension TLP: ExpressibleByArgument {
    /// A TLP 2.0 label with or without `TLP:`, in either case: `AMBER+STRICT`, `tlp:red`.
    public init?(argument: String) {
        guard let tlp = try? TLP(label: argument.uppercased()) else { return nil }
        self = tlp
    }

    public var defaultValueDescription: String { label }
    public static var allValueStrings: [String] { allCases.map(\.label) }
    public static var allValueDescriptions: [String: String] {
        [
            "CLEAR": "no limit on disclosure", "GREEN": "the recipients' community, not public channels",
            "AMBER": "the recipients' organisations and their clients who need to know",
            "AMBER+STRICT": "the recipients' organisations only", "RED": "the named recipients only",
        ]
    }
    public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

extension MemberRole: ExpressibleByArgument {
    /// `member`, `partner` or `secretariat`.
    public init?(argument: String) {
        guard let role = MemberRole.allCases.first(where: { $0.description == argument.lowercased() }) else {
            return nil
        }
        self = role
    }

    public var defaultValueDescription: String { description }
    public static var allValueStrings: [String] { allCases.map(\.description) }
    public static var allValueDescriptions: [String: String] {
        [
            "member": "a member state: linked to its land and sea neighbours by `roster link --neighbours`",
            "partner": "a partner or observer state: only the links written explicitly",
            "secretariat": "the secretariat's node, which collects the audit logs",
        ]
    }
    public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

extension BodySchemaVersion: ExpressibleByArgument {
    /// `MAJOR.MINOR` of a bulletin schema version, e.g. `1.1` (versions start at 1.0).
    public init?(argument: String) {
        guard let version = try? BodySchemaVersion(argument), RosterMember.isValidReadsSchema(version) else { return nil }
        self = version
    }

    public var defaultValueDescription: String { description }
}

extension BulletinStage: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension Ed25519.PublicKey: ExpressibleByArgument {
    /// 64 hexadecimal digits, as `bordernet secretariat init` prints a public key.
    public init?(argument: String) {
        guard let bytes = try? Hex.decode(argument), let key = try? Ed25519.PublicKey(rawRepresentation: bytes) else {
            return nil
        }
        self = key
    }

    public var defaultValueDescription: String { Hex.encode(rawRepresentation) }
}

/// Comma-separated state codes: `--to DZ,TN`.
struct StateList: ExpressibleByArgument, Equatable {
    let states: [StateCode]

    /// Each code as ``StateCode/init(argument:)`` reads it; spaces around commas are ignored,
    /// an empty entry (`DZ,,TN`) is refused.
    init?(argument: String) {
        var states: [StateCode] = []
        for entry in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let state = StateCode(argument: entry.trimmingCharacters(in: .whitespaces)) else { return nil }
            states.append(state)
        }
        self.states = states
    }

    var defaultValueDescription: String { states.map(\.description).joined(separator: ",") }
}

/// A ZeroMQ endpoint (`tcp://host:7450`), held to the rule a card's endpoints follow
/// (``NodeEndpoints``: 1…255 bytes of printable ASCII without spaces, containing `://`).
struct Endpoint: ExpressibleByArgument, CustomStringConvertible {
    let description: String

    init?(argument: String) {
        // NodeEndpoints is where the rule lives; checking the text as both of a card's endpoints
        // applies it without a second copy.
        guard (try? NodeEndpoints(publish: argument, service: argument)) != nil else { return nil }
        description = argument
    }

    /// A default written in this code.
    init(default text: String) {
        description = text
    }

    var defaultValueDescription: String { description }
}

/// A bulletin's reference as the bulletin JSON writes it: `<origin>-<ULID>`
/// (`MA-01JFK6SY9541SJ3EQHB6GD1GHC`), in its one spelling.
struct BulletinReference: ExpressibleByArgument, CustomStringConvertible {
    let origin: StateCode
    let id: BulletinID

    init?(argument: String) {
        guard let (origin, id) = try? BulletinID.parse(reference: argument) else { return nil }
        self.origin = origin
        self.id = id
    }

    var description: String { id.reference(origin: origin) }
    var defaultValueDescription: String { description }
}

/// `--since`: an RFC 3339 time, or a duration back from now (`30m`, `12h`, `7d`). A duration is
/// kept as such and measured from the moment the command asks (``milliseconds(now:)``).
enum PastTime: ExpressibleByArgument, Equatable {
    /// That many seconds before now.
    case ago(seconds: Double)
    /// That instant.
    case at(Date)

    init?(argument: String) {
        // At most a century back, so that every duration converts to milliseconds.
        if let unit = argument.last, let amount = Double(argument.dropLast()), amount >= 0,
            let seconds = ["m": 60.0, "h": 3_600, "d": 86_400][String(unit)], amount * seconds <= Self.longestDuration
        {
            self = .ago(seconds: amount * seconds)
        } else if let date = try? Date(argument, strategy: .iso8601) {
            self = .at(date)
        } else {
            return nil
        }
    }

    /// The longest duration accepted: 100 years, in seconds.
    static let longestDuration = 100 * 366 * 86_400.0

    /// Unix milliseconds of this time, durations counted back from `now`.
    func milliseconds(now: Date = Date()) -> Int64 {
        switch self {
        case .ago(let seconds): Int64(now.addingTimeInterval(-seconds).timeIntervalSince1970 * 1000)
        case .at(let date): Int64(date.timeIntervalSince1970 * 1000)
        }
    }
}

/// `--role`: one of the web console's roles (``ConsoleUser/roles``), in either case.
struct ConsoleRoleName: ExpressibleByArgument, Equatable {
    let name: String

    init?(argument: String) {
        guard ConsoleUser.roles.contains(argument.lowercased()) else { return nil }
        name = argument.lowercased()
    }

    var defaultValueDescription: String { name }
    static var allValueStrings: [String] { ConsoleUser.roles }
    static var allValueDescriptions: [String: String] {
        [
            "officer": "a liaison officer: posts, corrects, withdraws and reads bulletins",
            "reader": "an agency's reader: reads what its working groups and TLP clearance allow",
            "operator": "runs the node: links, status, metrics, console users",
            "auditor": "the secretariat's auditor: reconciliation and findings, never content",
        ]
    }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

/// `--working-groups customs,security`: comma-separated names of 1–64 characters of `a-z 0-9 -`
/// (read in lower case); an empty entry (`customs,,security`) is refused.
struct WorkingGroupList: ExpressibleByArgument, Equatable {
    let names: [String]

    init?(argument: String) {
        var names: [String] = []
        for entry in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let name = entry.trimmingCharacters(in: .whitespaces).lowercased()
            guard (1...64).contains(name.utf8.count),
                name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D })
            else { return nil }
            names.append(name)
        }
        self.names = names
    }

    var defaultValueDescription: String { names.joined(separator: ",") }
}

/// `--valid-from`, `--since`: a moment given as an RFC 3339 time, `now`, or a duration from now,
/// ahead (`+30s`, `+30m`, `+1d`) or back (`2h`, `7d`, as `--since` of `feed` reads it); at most a century
/// either way. (A leading `-` would read as an option: `2h` is two hours ago.)
struct Moment: ExpressibleByArgument, Equatable {
    /// The moment, resolved when the argument is read.
    let timestamp: Timestamp

    init?(argument: String) {
        let now = Date()
        if argument == "now" {
            self.init(now)
        } else if let unit = argument.last, let seconds = ["s": 1.0, "m": 60, "h": 3_600, "d": 86_400][String(unit)],
            let amount = Double(argument.drop { $0 == "+" }.dropLast()), amount >= 0, amount * seconds <= PastTime.longestDuration,
            argument.filter({ $0 == "+" }).count <= 1
        {
            self.init(now.addingTimeInterval(argument.hasPrefix("+") ? amount * seconds : -amount * seconds))
        } else if let date = try? Date(argument, strategy: .iso8601) {
            self.init(date)
        } else {
            return nil
        }
    }

    private init?(_ date: Date) {
        let milliseconds = (date.timeIntervalSince1970 * 1_000).rounded()
        guard milliseconds >= 0, milliseconds < 9e15 else { return nil }
        timestamp = Timestamp(millisecondsSinceEpoch: UInt64(milliseconds))
    }

    var defaultValueDescription: String { "\(timestamp)" }
}
