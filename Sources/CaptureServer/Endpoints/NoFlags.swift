import IdentityCore

/// What `/flags/` and `/decide/` answer: no flags, nothing failed, so the SDKs' flag calls return
/// their defaults instead of erroring.
enum NoFlags {
    static let body: JSONValue = .object([
        "featureFlags": .object([:]),
        "featureFlagPayloads": .object([:]),
        "flags": .object([:]),
        "errorsWhileComputingFlags": .bool(false),
        "quotaLimited": .array([]),
        "requestId": .string("00000000-0000-0000-0000-000000000000"),
        "config": .object(["enable_collect_everything": .bool(true)]),
        "toolbarParams": .object([:]),
        "isAuthenticated": .bool(false),
        "supportedCompression": .array([.string("gzip"), .string("gzip-js")]),
        "sessionRecording": .bool(false),
        "capturePerformance": .bool(false),
        "autocapture_opt_out": .bool(false),
        "autocaptureExceptions": .bool(false),
        "heatmaps": .bool(false),
        "surveys": .bool(false),
        "siteApps": .array([]),
    ])
}
