// swift-tools-version:6.1
import PackageDescription

/// The same strict settings on every target (style rule 9).
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "dropsight",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dropsight", targets: ["dropsight"]),
        .executable(name: "gemini-emulator", targets: ["gemini-emulator"]),
    ],
    // Exact versions: the daemon ships what it was tested with. Package.resolved stays out of git (the
    // local package mirror's commit ids are not upstream's), so the pins live here; README "Dependencies".
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-system", exact: "1.8.1"),
    ],
    targets: [
        // C modules: pkg-config system libraries with a shim.h of static inline wrappers only.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CExempi", pkgConfig: "exempi-2.0", providers: [.apt(["libexempi-dev"])]),
        .systemLibrary(name: "CLinux"),
        // Opening paths inside a folder without following links (openat2, or an O_NOFOLLOW walk).
        .target(name: "FileAccess", dependencies: ["CLinux"], swiftSettings: strict),

        .target(
            name: "HTTPTransport",
            dependencies: [
                "CCurl",
                .product(name: "SystemPackage", package: "swift-system"),
            ], swiftSettings: strict),
        // The JSON value type shared by the Gemini client, the reply parsers and the sidecar.
        .target(name: "JSONModel", swiftSettings: strict),
        .target(
            name: "GeminiAPI",
            dependencies: [
                "HTTPTransport", "JSONModel",
                .product(name: "Crypto", package: "swift-crypto"),
            ], swiftSettings: strict),
        .target(
            name: "Imaging",
            dependencies: [
                "CVips", "FileAccess",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ], swiftSettings: strict),
        .target(name: "Prompts", dependencies: ["JSONModel", "Imaging"], swiftSettings: strict),
        // XMP packets through exempi: parse, read and write properties, serialise; the keyword merge.
        .target(name: "XMP", dependencies: ["CExempi"], swiftSettings: strict),
        .target(name: "Store", dependencies: ["FileAccess", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strict),
        .target(
            name: "Watcher",
            dependencies: [
                "FileAccess",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ], swiftSettings: strict),
        .target(
            name: "Systemd",
            dependencies: [
                "CSystemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ], swiftSettings: strict),
        .target(
            name: "Dropsight",
            dependencies: [
                "HTTPTransport", "GeminiAPI", "JSONModel", "Imaging", "Prompts", "Store", "Watcher", "Systemd", "XMP", "FileAccess",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ], swiftSettings: strict),
        .executableTarget(
            name: "dropsight",
            dependencies: [
                "Dropsight", "FileAccess", "GeminiAPI", "Systemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strict),

        // The local stand-in for Google. Parses requests on its own (WireJSON): no GeminiAPI or JSONModel import.
        .target(
            name: "GeminiEmulator",
            dependencies: [
                "Imaging",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ], swiftSettings: strict),
        .executableTarget(
            name: "gemini-emulator",
            dependencies: [
                "GeminiEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], swiftSettings: strict),

        // What several test targets share: temporary folders, the reference payloads beside the repository,
        // in-memory log recording. A regular target, used only by test targets.
        .target(
            name: "DropsightTestSupport",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ], path: "Tests/DropsightTestSupport", swiftSettings: strict),
        .testTarget(
            name: "DropsightTestSupportTests",
            dependencies: [
                "DropsightTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ], swiftSettings: strict),

        .testTarget(
            name: "HTTPTransportTests",
            dependencies: [
                "HTTPTransport", "DropsightTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
            ], swiftSettings: strict),
        // The client's batch calls run against a real emulator on loopback.
        .testTarget(
            name: "GeminiAPITests",
            dependencies: [
                "GeminiAPI", "HTTPTransport", "GeminiEmulator", "Imaging", "DropsightTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strict),
        .testTarget(
            name: "ImagingTests",
            dependencies: [
                "Imaging", "DropsightTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ], swiftSettings: strict),
        .testTarget(name: "PromptsTests", dependencies: ["Prompts", "JSONModel", "DropsightTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "StoreTests",
            dependencies: ["Store", "DropsightTestSupport", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strict),
        .testTarget(
            name: "WatcherTests",
            dependencies: [
                "Watcher", "DropsightTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ], swiftSettings: strict),
        .testTarget(name: "XMPTests", dependencies: ["XMP", "DropsightTestSupport"], swiftSettings: strict),
        .testTarget(name: "FileAccessTests", dependencies: ["FileAccess", "DropsightTestSupport"], swiftSettings: strict),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd"], swiftSettings: strict),
        .testTarget(
            name: "DropsightTests", dependencies: ["Dropsight", "Store", "Watcher", "DropsightTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "GeminiEmulatorTests",
            dependencies: [
                "GeminiEmulator", "Imaging", "DropsightTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ], swiftSettings: strict),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "Dropsight", "FileAccess", "GeminiEmulator", "Imaging", "DropsightTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ], swiftSettings: strict),
    ]
)
