// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "identikit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "identikit", targets: ["identikit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/adam-fowler/compress-nio", exact: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        // Pure identity rules: values, validation, the decision table. No SQLite, no I/O.
        .target(
            name: "IdentityCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // What the fronts see of a store: the values its queries return (both stores share them).
        .target(name: "Store", dependencies: ["IdentityCore"]),
        // SQLite persistence (GRDB) implementing the core's storage protocol, plus read queries.
        .target(
            name: "SQLiteStore",
            dependencies: ["IdentityCore", "Store", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift"), "CSQLiteTuning"]
        ),
        .systemLibrary(name: "CSQLiteTuning", path: "Sources/CSQLiteTuning"),
        // The PostgreSQL store (postgres-nio): batches loaded, run through the rules in memory, written back.
        .target(
            name: "PostgresStore",
            dependencies: ["IdentityCore", "Store", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        // zlib from the system (zlib1g-dev), for streaming gzip with end-of-stream checks.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // brotli's and zstd's decoders from the system (libbrotli-dev, libzstd-dev), for PostHog's exports.
        .systemLibrary(name: "CBrotli", path: "Sources/CBrotli"),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd"),
        // Decoders for event files and streams, and the batching ingest pipeline.
        .target(
            name: "Ingest",
            dependencies: [
                "IdentityCore", "Store", "SQLiteStore", "CZlib", "CBrotli", "CZstd",
            ]
        ),
        // PostHog-compatible capture server: pure body decoding plus the Hummingbird routes.
        .target(
            name: "CaptureServer",
            dependencies: [
                "IdentityCore", "Store", "Ingest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Deterministic synthetic event streams for `identikit demo` and the benchmarks.
        .target(name: "DemoData", dependencies: ["IdentityCore"]),
        // libFuzzer target over the event decoders (Scripts/fuzz); in a normal build, a replayer of fuzz inputs.
        .executableTarget(name: "DecoderFuzz", dependencies: ["Ingest"]),
        // ncursesw, seen through a shim header: the only C the explorer touches.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        // The full-screen explorer: pure state, update and view, plus one small ncurses wrapper.
        .target(
            name: "Explorer",
            dependencies: ["IdentityCore", "Store", "CNcursesw"]
        ),
        .executableTarget(
            name: "identikit",
            dependencies: [
                "IdentityCore", "Store", "SQLiteStore", "PostgresStore", "Ingest", "DemoData", "CaptureServer", "Explorer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Loads Tests/Scenarios and compares outcomes; shared by the test targets.
        .target(name: "ScenarioSupport", dependencies: ["IdentityCore", "DemoData"], path: "Tests/ScenarioSupport"),
        // What the test targets share: one way to run a program and the built binary (one-shot or
        // a live `serve`), temporary stores of both kinds (PostgreSQL on a throwaway cluster), HTTP requests.
        .target(
            name: "TestSupport",
            dependencies: [.product(name: "CompressNIO", package: "compress-nio"), .product(name: "NIOCore", package: "swift-nio")],
            path: "Tests/TestSupport"
        ),
        // Benchmarks, kept out of the shipped binary: swift run -c release identikit-bench
        .executableTarget(
            name: "identikit-bench",
            dependencies: [
                "IdentityCore", "SQLiteStore", "PostgresStore", "Ingest", "DemoData", "Explorer", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/identikit-bench"
        ),
        .testTarget(
            name: "IdentityCoreTests",
            dependencies: ["IdentityCore", "ScenarioSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "SQLiteStoreTests",
            dependencies: ["IdentityCore", "SQLiteStore", "Ingest", "DemoData", "ScenarioSupport", "TestSupport",
                           .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "IdentityCore", "SQLiteStore", "Ingest", "TestSupport"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "IngestTests", dependencies: [
            "IdentityCore", "SQLiteStore", "Ingest", "DemoData", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: ["PostgresStore", "SQLiteStore", "IdentityCore", "ScenarioSupport", "TestSupport", "DemoData"]
        ),
        .testTarget(
            name: "CaptureServerTests",
            dependencies: ["CaptureServer", "IdentityCore", "SQLiteStore", "Ingest", "identikit", "TestSupport",
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["identikit", "IdentityCore", "ScenarioSupport", "TestSupport", "DemoData"],
            exclude: ["python"]
        ),
    ]
)
