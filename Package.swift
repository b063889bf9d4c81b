// swift-tools-version:6.0
import PackageDescription

// Each target names only the packages it uses, so a change in one service rebuilds little and
// the heavy HTTP stack is compiled into the ingress alone.
let packageDependencies: [Package.Dependency] = [
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1"),
]

let log = Target.Dependency.product(name: "Logging", package: "swift-log")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")

/// A service is a library with its logic plus a thin executable that only starts it.
func service(_ folder: String, library: String, executable: String, dependencies: [Target.Dependency]) -> [Target] {
    [
        .target(name: library, dependencies: dependencies, path: "Services/\(folder)/\(library)"),
        .executableTarget(name: executable, dependencies: [.target(name: library)], path: "Services/\(folder)/\(executable)"),
    ]
}

let runtime: [Target.Dependency] = [
    "LoomContract", "LoomBus", "LoomStore", "LoomConfig", "LoomServiceRuntime", log, lifecycle, .product(name: "GRDB", package: "GRDB.swift"),
]

let package = Package(
    name: "Loom",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "loom", targets: ["loom"]),
        .executable(name: "loom-ingress", targets: ["loom-ingress"]),
        .executable(name: "loom-router", targets: ["loom-router"]),
        .executable(name: "loom-orchestrator", targets: ["loom-orchestrator"]),
        .executable(name: "loom-gateway", targets: ["loom-gateway"]),
        .executable(name: "loom-tools", targets: ["loom-tools"]),
        .executable(name: "loom-trust", targets: ["loom-trust"]),
        .executable(name: "loom-sandbox-exec", targets: ["loom-sandbox-exec"]),
    ],
    dependencies: packageDependencies,
    targets: [
        .target(name: "LoomContract", path: "Shared/LoomContract"),
        .systemLibrary(
            name: "CZeroMQ", path: "Shared/CZeroMQ", pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]),
        .target(
            name: "LoomStore",
            dependencies: [
                "LoomContract", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Shared/LoomStore"),
        .target(
            name: "LoomBus",
            dependencies: ["CZeroMQ", "LoomContract", "LoomStore", "LoomConfig", log, .product(name: "Crypto", package: "swift-crypto")],
            path: "Shared/LoomBus"),
        .target(name: "LoomConfig", dependencies: ["LoomContract", "Yams"], path: "Shared/LoomConfig"),
        .systemLibrary(
            name: "CSeccomp", path: "Shared/CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        // The first program inside a tool's sandbox; no Foundation, the Swift runtime linked in,
        // so it runs wherever the sandbox puts it.
        .target(name: "LoomSandbox", dependencies: ["CSeccomp"], path: "Services/Tools/LoomSandbox"),
        .executableTarget(
            name: "loom-sandbox-exec", dependencies: ["LoomSandbox"], path: "Services/Tools/loom-sandbox-exec",
            linkerSettings: [.unsafeFlags(["-static-stdlib"])]),
        // SMTP with STARTTLS and AUTH, shared by the ingress (replies) and tools (send_email).
        .target(
            name: "LoomMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Shared/LoomMail"),
        // libphonenumber's PhoneNumberMatcher behind a C function, for the trust layer's phone detector.
        .target(
            name: "CPhoneNumbers", path: "Services/Trust/CPhoneNumbers",
            linkerSettings: [.linkedLibrary("phonenumber")]),
        .target(
            name: "LoomServiceRuntime", dependencies: ["LoomBus", "LoomStore", "LoomConfig", "LoomContract", log, lifecycle],
            path: "Shared/LoomServiceRuntime"),
    ]
        + service("Ingress", library: "LoomIngress", executable: "loom-ingress",
                  dependencies: runtime + [
                      "LoomMail", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                      .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOCore", package: "swift-nio"),
                      .product(name: "NIOPosix", package: "swift-nio"),
                      .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                  ])
        + service("Router", library: "LoomRouter", executable: "loom-router", dependencies: runtime)
        + service("Orchestrator", library: "LoomOrchestrator", executable: "loom-orchestrator", dependencies: runtime)
        + service("Gateway", library: "LoomGateway", executable: "loom-gateway",
                  dependencies: runtime + [
                      .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
                      .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOFoundationCompat", package: "swift-nio"),
                  ])
        + service("Tools", library: "LoomTools", executable: "loom-tools",
                  dependencies: runtime + [
                      "LoomSandbox", "LoomMail", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                      .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                      .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                      .product(name: "MCP", package: "swift-sdk"),
                  ])
        + service("Trust", library: "LoomTrust", executable: "loom-trust",
                  dependencies: runtime + ["CPhoneNumbers", .product(name: "Crypto", package: "swift-crypto")])
        + service("CLI", library: "LoomCLI", executable: "loom",
                  dependencies: ["LoomContract", "LoomBus", "LoomConfig", "LoomOrchestrator", "LoomTools", "LoomServiceRuntime", log,
                                 .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                 .product(name: "GRDB", package: "GRDB.swift"),
                                 .product(name: "Crypto", package: "swift-crypto")])
        + [
            .testTarget(name: "LoomContractTests", dependencies: ["LoomContract"], path: "Tests/LoomContractTests",
                        resources: [.copy("Fixtures")]),
            .testTarget(
                name: "LoomStoreTests", dependencies: ["LoomStore", .product(name: "GRDB", package: "GRDB.swift")],
                path: "Tests/LoomStoreTests"),
            .testTarget(name: "LoomBusTests", dependencies: ["LoomBus", "LoomStore", "LoomContract", "LoomConfig"], path: "Tests/LoomBusTests"),
            .testTarget(name: "LoomConfigTests", dependencies: ["LoomConfig"], path: "Tests/LoomConfigTests"),
            .testTarget(
                name: "LoomIngressTests", dependencies: ["LoomIngress", "LoomConfig"], path: "Tests/LoomIngressTests"),
            .testTarget(
                name: "LoomOrchestratorTests",
                dependencies: [
                    "LoomOrchestrator", "LoomConfig", "LoomContract", "LoomStore", "LoomBus", .product(name: "GRDB", package: "GRDB.swift"),
                ],
                path: "Tests/LoomOrchestratorTests"),
            .testTarget(
                name: "LoomTrustTests", dependencies: ["LoomTrust", "LoomStore", "LoomContract", .product(name: "GRDB", package: "GRDB.swift")],
                path: "Tests/LoomTrustTests", resources: [.copy("Fixtures")]),
            .testTarget(
                name: "LoomRouterTests",
                dependencies: [
                    "LoomRouter", "LoomStore", "LoomContract", .product(name: "GRDB", package: "GRDB.swift"),
                ],
                path: "Tests/LoomRouterTests"),
            .testTarget(
                name: "LoomToolsTests",
                dependencies: [
                    "LoomTools", "LoomStore", "LoomConfig", "LoomContract", "LoomSandbox", "LoomMail",
                    .product(name: "GRDB", package: "GRDB.swift"),
                ],
                path: "Tests/LoomToolsTests"),
            .testTarget(
                name: "LoomGatewayTests", dependencies: ["LoomGateway", "LoomConfig", "LoomContract", "Yams"], path: "Tests/LoomGatewayTests"),
            .testTarget(name: "LoomMailTests", dependencies: ["LoomMail"], path: "Tests/LoomMailTests"),
            .testTarget(name: "LoomCLITests", dependencies: ["LoomCLI"], path: "Tests/LoomCLITests"),
            .testTarget(
                name: "LoomServiceRuntimeTests", dependencies: ["LoomServiceRuntime"], path: "Tests/LoomServiceRuntimeTests"),
            .testTarget(
                name: "IntegrationTests", dependencies: ["LoomContract", "LoomBus", "LoomConfig", .product(name: "Crypto", package: "swift-crypto")],
                path: "Tests/IntegrationTests", exclude: ["Peers"]),
        ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
