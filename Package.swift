// swift-tools-version:6.0
//
// BorderNet: signed, encrypted border-security bulletins exchanged between neighbouring states.
// Layers (imports only go down) are described in docs/ARCHITECTURE.md.

import PackageDescription

let package = Package(
    name: "BorderNet",
    products: [
        .executable(name: "bordernet", targets: ["bordernet"]),
        .executable(name: "bordernet-bench", targets: ["BorderNetBench"]),
        // For Fuzz/Package.swift only (a path dependency sees library products, not targets); docs/FUZZING.md.
        .library(
            name: "BorderNetFuzzable", targets: ["Exchange", "BulletinSchema", "Audit", "AuditCollection", "NodeSetup", "Wire", "Region", "Sodium", "WebAuthn", "Observables", "Names", "Attachments"]),
    ],
    dependencies: [
        // The command line: parsing, help, completion.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The node's store: SQLite (system libsqlite3) with migrations, WAL and typed rows.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Structured logs with metadata (never bodies or keys).
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Counters and gauges (swift-metrics API) exposed in Prometheus text format.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The web console (its own process, `bordernet console serve`): HTTP server and
        // templates. Hummingbird is the lean server of the list (SwiftNIO, no ORM); swift-mustache
        // escapes every {{value}} (with the console's own scalar-by-scalar escaping registered in
        // place of its per-grapheme one, which let joined characters through: PageRenderer).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Hummingbird's own header types, named directly for the console's security headers.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Hummingbird's service lifecycle, named directly so the console's live streams end before
        // the server on SIGTERM (ConsoleServer.run).
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // P-256 (ES256) for the console's WebAuthn second factor: libsodium has no NIST curve, and
        // swift-crypto (BoringSSL inside) checks that a key's point is on the curve and verifies
        // DER ECDSA signatures.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // MARK: System libraries (module maps and shim headers only)
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .systemLibrary(
            name: "CZeroMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),

        // MARK: Swift faces of the C libraries (the only targets that import a C module)
        // SHA-256 through swift-crypto: BoringSSL's SHA-NI code is 4.5× libsodium's portable C (PERFORMANCE.md).
        .target(name: "Sodium", dependencies: ["CSodium", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ", "Sodium"]),
        .target(name: "BulletinSchema"),
        // The local POSIX calls BorderNet needs (Glibc, no C type or errno in its API): files created
        // with their mode (O_CREAT | O_EXCL, then fchmod), permissions, removal, the umask, the data
        // folder's flock, the Unix-socket probe of control.sock, the loopback port check. Written
        // against Glibc rather than apple/swift-system: swift-system has no umask, flock or AF_UNIX
        // connect, so this target would import Glibc anyway, and a dependency for open/fchmod alone
        // would cost CI a package to resolve and build for no line saved.
        .target(name: "LocalFiles", dependencies: ["CProcessControl"]),
        // prctl(2) behind two fixed-argument C functions (Swift cannot call a variadic C function):
        // the node makes itself non-dumpable so that the web console, run as the same user, cannot
        // read its keys from memory. Imported by LocalFiles alone.
        .target(name: "CProcessControl"),

        // MARK: Storage
        // The typed storage boundary: the node's store, and the one way every SQLite file is opened
        // (SQLiteFile) with the conversions of Exchange's values to and from columns.
        .target(name: "Store", dependencies: ["Exchange", "LocalFiles", .product(name: "GRDB", package: "GRDB.swift")]),
        // The node's tamper-evident audit log: RFC 9162 Merkle tree, signed tree heads, proofs.
        .target(name: "Audit", dependencies: ["Exchange", "Store", "Sodium", .product(name: "GRDB", package: "GRDB.swift")]),

        // MARK: Node setup, wire messages and clients (below the daemon; no sockets of a node)
        // The data folders (node, secretariat), keys, cards, node.toml and its TOML reader, roster install.
        .target(name: "NodeSetup", dependencies: ["Exchange", "BulletinSchema", "Sodium", "LocalFiles"]),
        // Every message that crosses a socket, typed and encoded in one place: peer publications and
        // service requests (docs/PROTOCOL.md §16), the secretariat's audit requests, the local feed
        // and the control socket. No sockets: bytes in, typed values out.
        .target(name: "Wire", dependencies: ["Exchange", "BulletinSchema"]),
        // The local programs' side of a running node: the control socket and the feed, for the CLI,
        // the demo and tests.
        .target(name: "NodeClient", dependencies: ["Wire", "NodeSetup", "ZeroMQ", "LocalFiles"]),

        // MARK: The daemon
        .target(
            name: "Node",
            dependencies: [
                "Exchange", "LinkRules", "BulletinSchema", "Store", "Audit", "Wire", "NodeSetup", "ZeroMQ", "Sodium", "LocalFiles",
                "SearchIndex", "Observables", "Attachments",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        // The secretariat's side of the audit: collection over ZeroMQ, its store, reconciliation, reports.
        .target(
            name: "AuditCollection",
            dependencies: ["NodeSetup", "Wire", "Audit", "Store", "Exchange", "ZeroMQ", "Sodium", .product(name: "GRDB", package: "GRDB.swift")]
        ),

        // MARK: The web console's second factor (pure: bytes in, verdicts out)
        // WebAuthn registration and authentication checks: a bounded CTAP2 CBOR reader, COSE keys
        // (ES256 through swift-crypto, EdDSA through Sodium's Ed25519), authenticator data,
        // client data. No I/O, no clock: the console stores credentials and challenges.
        .target(name: "WebAuthn", dependencies: ["Sodium", .product(name: "Crypto", package: "swift-crypto")]),

        // MARK: The web console's accounts (its own process and folder, never the node's keys)
        // People, argon2id passwords, server-side sessions (only token hashes stored), CSRF tokens,
        // sign-in lockout and recovery codes, in console.sqlite of the console's own folder.
        .target(
            name: "ConsoleAccounts",
            dependencies: ["Sodium", "Store", "LocalFiles", "Clearance", "Exchange", .product(name: "GRDB", package: "GRDB.swift")]),

        // MARK: The web console (its own process; never the node's keys)
        // Server-rendered pages in Arabic, French and English over the node's store (read-only) and
        // control socket (posts): feed, bulletin, post form, sign-in; and, for the secretariat's
        // auditors, over collected.sqlite (read-only, AuditCollection's CollectionReader). docs/CONSOLE.md.
        .target(
            name: "Console",
            dependencies: [
                "BulletinSchema", "Clearance", "ConsoleAccounts", "NodeClient", "NodeSetup", "Wire", "Store", "Exchange", "Sodium",
                "AuditCollection", "WebAuthn", "STIX", "TAXII", "StoredSTIX", "SearchIndex", "Observables",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Regions and the demo (never linked into the daemon's code path)
        // One region builder (secretariat, nodes, ports, roster) for `region generate`, the demo and
        // the bench, and the node processes they start.
        .target(name: "Region", dependencies: ["NodeSetup", "Exchange", "Sodium", "LocalFiles"]),
        // `bordernet demo`: the ten states on loopback, samples posted, a report.
        .target(name: "Demo", dependencies: ["Region", "NodeClient", "Wire", "NodeSetup", "Exchange"]),

        // MARK: Pure protocol layers (no I/O)
        .target(name: "Exchange", dependencies: ["Sodium"]),
        // A link's rules as values (gaps, duplicates, conflicts, heartbeat bounds, replay limits,
        // receipts, resets): events in, actions out; the node's engine performs them.
        .target(name: "LinkRules", dependencies: ["Exchange"]),
        // Who may read what on the console, the agency feeds and search (DESIGN.md §7): one pure
        // policy of roles, working groups, TLP and handling codes, asked by every page and route.
        .target(name: "Clearance", dependencies: ["Exchange"]),
        // A bulletin as STIX 2.1 objects (docs/STIX.md): a pure mapping and a bundle writer, for
        // `bordernet export stix` and the TAXII server.
        .target(name: "STIX", dependencies: ["BulletinSchema"]),
        // TAXII 2.1's pure pieces (docs/TAXII.md): media-type negotiation, the opaque page cursor,
        // request filters, error bodies, resources and envelopes as JSON. No I/O.
        .target(name: "TAXII", dependencies: ["STIX", "BulletinSchema"]),
        // The STIX objects of the node's store: validated bodies and correction chains read
        // through the read-only BulletinReader (for `export stix` and the TAXII server), the TAXII
        // objects engine (an agency's scope, pages of objects, versions) and the object index.
        .target(name: "StoredSTIX", dependencies: ["STIX", "TAXII", "BulletinSchema", "Store", "Exchange", "Clearance"]),
        // Person names across Arabic and Latin spellings (docs/NAMES.md): normalisation, the
        // region's particles and compounds, a common phonetic alphabet, a ranked score in 0…1 and
        // blocking keys. Pure: no I/O; for search, correlation and watch-lists.
        .target(name: "Names"),
        // Attachments (photos, scans) checked by content and cleaned of metadata (Exif, GPS, XMP, text). Pure.
        .target(name: "Attachments"),
        // What a bulletin's body says that can be matched (docs/SEARCH.md): folded text for the
        // search index, normalised identifiers, persons, crossing points; the person correlation
        // score and watch-list criteria. Pure: no I/O.
        .target(name: "Observables", dependencies: ["Names"]),
        // The node's search index, correlation links and alerts (search.sqlite, FTS5) and its
        // watch-lists (watchlists.sqlite): written by the node's indexer, read by the console
        // and the command line within a reader's scope.
        .target(
            name: "SearchIndex",
            dependencies: ["Observables", "Names", "Store", "Exchange", "Clearance", .product(name: "GRDB", package: "GRDB.swift")]),

        // MARK: Executable
        .executableTarget(
            name: "bordernet",
            dependencies: [
                "Node", "NodeSetup", "NodeClient", "Wire", "Region", "Demo", "Exchange", "BulletinSchema", "Sodium", "Audit",
                "AuditCollection", "LocalFiles", "ConsoleAccounts", "Console", "Store", "STIX", "StoredSTIX", "SearchIndex", "Observables",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Benchmarks (make bench; not shipped)
        .executableTarget(
            name: "BorderNetBench",
            dependencies: [
                "NodeSetup", "NodeClient", "Wire", "Region", "Exchange", "Store", "BulletinSchema", "ZeroMQ", "Sodium", "ConsoleAccounts",
                "SearchIndex", "Observables", "Clearance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // `make names-eval`: the Names matcher measured against arabic-name-romanizer's attested
        // spellings (downloaded, never committed); docs/NAMES.md. Not shipped.
        .executableTarget(name: "NamesEval", dependencies: ["Names"]),

        // MARK: Tests
        .testTarget(name: "SodiumTests", dependencies: ["Sodium"]),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ", "Sodium"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Exchange", "LocalFiles", .product(name: "GRDB", package: "GRDB.swift")]),
        // The link rules alone: no sockets, no store, time passed in; runs in seconds.
        .testTarget(name: "LinkRulesTests", dependencies: ["LinkRules", "Exchange"]),
        // The clearance policy alone, every rule and boundary: pure, runs in about a second.
        .testTarget(name: "ClearanceTests", dependencies: ["Clearance", "Exchange"]),
        // ZeroMQ only to stand up a real ipc:// listener for the socket probe.
        .testTarget(name: "LocalFilesTests", dependencies: ["LocalFiles", "ZeroMQ"]),
        .testTarget(
            name: "NodeTests",
            dependencies: [
                "Node", "NodeSetup", "NodeClient", "Wire", "Region", "Demo", "Exchange", "Audit", "AuditCollection", "Store", "ZeroMQ",
                "Sodium", "LocalFiles", "ConsoleAccounts", "SearchIndex", "Observables", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "AuditCollectionTests",
            dependencies: [
                "AuditCollection", "Audit", "Store", "NodeSetup", "Region", "Wire", "Exchange", "ZeroMQ", "Sodium", "LocalFiles",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // Accounts, sessions, lockout and recovery codes against a real console.sqlite in a temp
        // folder and real libsodium, with time passed in.
        .testTarget(
            name: "ConsoleAccountsTests",
            dependencies: [
                "ConsoleAccounts", "Store", "Sodium", "LocalFiles", "Clearance", "Exchange", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // WebAuthn against real P-256 and Ed25519 keys made in the test, byte-built attestation
        // objects and assertions, the W3C Level 3 test vectors, and malformed CBOR of many shapes.
        .testTarget(
            name: "WebAuthnTests", dependencies: ["WebAuthn", "Sodium", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "BulletinSchemaTests", dependencies: ["BulletinSchema"]),
        // The STIX mapping of every example bulletin, against docs/stix/ (located via #filePath).
        .testTarget(name: "STIXTests", dependencies: ["STIX", "BulletinSchema"]),
        // TAXII's pure pieces, and the objects engine over real stores made in a temp folder
        // (pagination, scope, versions, filters), with a real search index for the links.
        .testTarget(
            name: "TAXIITests",
            dependencies: ["TAXII", "StoredSTIX", "STIX", "Store", "Clearance", "Exchange", "BulletinSchema", "SearchIndex"]),
        // The name matcher alone: normalisation rules, known pairs, hostile inputs, and recall on
        // Tests/Vectors/names (located via #filePath); pure, runs in about a second.
        .testTarget(name: "NamesTests", dependencies: ["Names"]),
        // Attachments built byte by byte in the test (JPEG, PNG, WebP, PDF) and docs/console/*.png
        // (located via #filePath): accepted, cleaned, refused; every prefix and random bytes never trap.
        .testTarget(name: "AttachmentsTests", dependencies: ["Attachments"]),
        // Observables read from bodies, folding, person correlation and watch criteria: pure.
        .testTarget(name: "ObservablesTests", dependencies: ["Observables", "Names"]),
        // The search index, links, alerts and watch-lists over real SQLite files in a temp folder.
        .testTarget(
            name: "SearchIndexTests",
            dependencies: ["SearchIndex", "Observables", "Names", "Store", "Exchange", "Clearance", .product(name: "GRDB", package: "GRDB.swift")]),
        // The console's pieces (escaping, forms, the access recorder against a real control socket),
        // and the secretariat's console served on loopback over a collected.sqlite made by a real
        // collection (HummingbirdTesting's live client).
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "Console", "BulletinSchema", "ConsoleAccounts", "AuditCollection", "Audit", "Exchange", "NodeClient", "NodeSetup", "Wire",
                "Store", "STIX", "TAXII",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "Exchange", "Sodium"]),
        // Reads Sources/ and docs/ARCHITECTURE.md (located via #filePath): the import table stays true.
        .testTarget(name: "ArchitectureTests"),
        // Reads (and with BORDERNET_WRITE_VECTORS=1 writes) Tests/Vectors, located via #filePath.
        .testTarget(name: "ExchangeTests", dependencies: ["Exchange", "Sodium"]),
        // Reads (and with BORDERNET_WRITE_VECTORS=1 writes) Tests/Vectors/audit, located via #filePath.
        .testTarget(
            name: "AuditTests",
            dependencies: ["Audit", "Store", "Exchange", "Sodium", "LocalFiles", .product(name: "GRDB", package: "GRDB.swift")]),
        // Deploy/: the Debian package (Deploy/package.sh), systemd units, the region generator and
        // the docs/OPERATIONS.md walkthrough, with the bordernet executable built beside them.
        .testTarget(name: "DeployTests", dependencies: ["NodeSetup", "NodeClient", "Region", "Exchange"]),
    ],
    swiftLanguageModes: [.v6]
)
