// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        // For the fuzzing package in Fuzz/ (scripts/fuzz), which builds these with libFuzzer and AddressSanitizer.
        .library(name: "VigilCore", targets: ["VigilCore"]),
        .library(name: "VigilRuleLanguage", targets: ["VigilRuleLanguage"]),
        .library(name: "VigilConfig", targets: ["VigilConfig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Tests only: property-based checks (state codec round trip, merge interleavings, decoder totality).
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // librdkafka from the system (Debian's librdkafka-dev).
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        // jemalloc from the system (Debian's libjemalloc-dev): linked into every binary that links the daemon, it
        // serves all of the process's allocations (`Allocator`).
        .systemLibrary(
            name: "CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        // The only target that imports CRdKafka; its API speaks Swift types.
        .target(
            name: "VigilKafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Events, decoding, patient state, the rule protocol and engine: no Kafka, no NIO.
        .target(name: "VigilCore"),
        // The built-in relapse-risk rule module (CLINICAL.md).
        .target(name: "VigilRules", dependencies: ["VigilCore"]),
        // Rules as data: rule files in a subset of CEL, compiled to closures; rule tests on a virtual clock.
        .target(name: "VigilRuleLanguage", dependencies: ["VigilCore", .product(name: "Yams", package: "Yams")]),
        // The configuration and its YAML file: no Kafka, no HTTP, so that the fuzzing package can build the parser.
        .target(name: "VigilConfig", dependencies: ["VigilCore", "VigilRuleLanguage", .product(name: "Yams", package: "Yams")]),
        // A minimal second rule module: shows (and tests) that modules plug in through the protocol.
        .target(name: "VigilExampleRules", dependencies: ["VigilCore"]),
        // Services, wiring, configuration and HTTP.
        .target(
            name: "VigilDaemon",
            dependencies: [
                "CJemalloc",
                "VigilConfig",
                "VigilCore",
                "VigilKafka",
                "VigilRuleLanguage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilDaemon",
                "VigilRules",
                "VigilExampleRules",
                "VigilRuleLanguage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "VigilRuleLanguageTests", dependencies: ["VigilRuleLanguage", "VigilRules", "VigilCore", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "VigilRulesTests", dependencies: ["VigilRules", "VigilExampleRules", "VigilCore"]),
        .testTarget(
            name: "VigilKafkaTests",
            dependencies: ["VigilKafka", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "VigilDaemonTests",
            dependencies: [
                "VigilDaemon",
                "VigilCore",
                "VigilKafka",
                "VigilRules",
                "VigilExampleRules",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "VigilIntegrationTests", dependencies: ["VigilKafka", .product(name: "Logging", package: "swift-log")]),
    ]
)
