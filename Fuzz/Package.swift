// swift-tools-version:6.1
import PackageDescription

// Coverage-guided fuzzing of Vigil's parsers of untrusted bytes with libFuzzer and AddressSanitizer. Built and run by
// `scripts/fuzz`; kept out of the main package because a libFuzzer binary has no `main` of its own.
let package = Package(
    name: "vigil-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "vigil", path: "..")],
    targets: [
        .executableTarget(
            name: "VigilFuzz",
            dependencies: [
                .product(name: "VigilCore", package: "vigil"),
                .product(name: "VigilRuleLanguage", package: "vigil"),
                .product(name: "VigilConfig", package: "vigil"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ]
)
