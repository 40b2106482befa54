import Foundation

/// The built `identikit` the tests run: the one next to the running test bundle, so that
/// `swift test -c release` runs the release build. Never another configuration's build.
public enum IdentikitBinary {
    /// Its path, or an error naming where it looked.
    public static func path() throws -> String { try lookup.get() }

    private static let lookup: Result<String, TestFailure> = {
        let places = buildDirectories.map { $0.appendingPathComponent("identikit").path }
        if let found = places.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return .success(found) }
        return .failure(TestFailure("""
            the identikit binary is not next to the test bundle: looked at \(places.joined(separator: ", ")). \
            The test targets that run it depend on it, so `swift build --build-tests` (with the same -c as the tests) builds it.
            """))
    }()

    /// The build folder the tests were built in. On Linux the test bundle is an executable there
    /// (/proc/self/exe); on macOS it is the loaded `.xctest` bundle (the runner may be a helper elsewhere).
    private static var buildDirectories: [URL] {
        var directories: [URL] = []
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            directories.append(bundle.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        #endif
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            directories.append(executable.deletingLastPathComponent())
        }
        return directories
    }
}

/// Runs the built `identikit`: to the end, or started to be stopped later (like `serve`).
public enum Identikit {
    /// `identikit ARGUMENTS` to its end; `environment` is added to this process's.
    public static func run(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil,
                           timeout: TimeInterval = 300) throws -> ProcessOutput {
        try ChildProcess.run(try IdentikitBinary.path(), arguments, environment: environment, input: input, timeout: timeout)
    }

    /// `identikit ARGUMENTS`, started; it runs until stopped.
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess.start(try IdentikitBinary.path(), arguments, environment: environment)
    }
}
