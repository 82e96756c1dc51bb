// swift-tools-version:5.4
//
// BorderNet's libFuzzer targets (docs/FUZZING.md). A package of its own so that `swift build` and
// `swift test` of the main package never see these executables: they have no `main` (libFuzzer
// brings it) and only link with `-sanitize=fuzzer,address`. Build and run them with `make fuzz`
// or Fuzz/fuzz.sh, never with a bare `swift build` here.

import Foundation
import PackageDescription

// A path dependency is named after its folder (the checkout's, e.g. `main` or `bordernet`), so the
// identity is read from this file's location rather than written down.
let rootIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()
let borderNet = Target.Dependency.product(name: "BorderNetFuzzable", package: rootIdentity)

/// One libFuzzer target per reader of outside bytes; the name is also its folder under
/// Fuzz/Sources, Fuzz/Corpus and Fuzz/Regressions.
let fuzzTargets = [
    "FuzzEnvelope", "FuzzReceipt", "FuzzRoster", "FuzzIdentityCard", "FuzzJSON", "FuzzBulletin", "FuzzTOML",
    "FuzzWire", "FuzzAuditWire", "FuzzAuditCollector", "FuzzReconciler", "FuzzWebAuthn", "FuzzObservables",
    "FuzzAttachments",
]

let package = Package(
    name: "BorderNetFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [borderNet])
    ]
        + fuzzTargets.map { .executableTarget(name: $0, dependencies: ["FuzzSupport", borderNet]) }
)
