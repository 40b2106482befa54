import Foundation

/// The built `identikit` run as a user would, on one temporary store (IDENTIKIT_DB, unless a
/// command names `--db`), with its own data folder, capturing what it prints.
public struct CommandLineRunner: Sendable {
    public typealias Result = ProcessOutput

    public let temporary: TemporaryStore
    /// The folder beside the store, for input files and other stores.
    public var directory: URL { temporary.directory.url }
    /// What `--db` takes for this runner's store.
    public var store: String { temporary.location }

    public init(store: TemporaryStore? = nil) throws {
        temporary = try store ?? TemporaryStore.sqlite()
    }

    public func cleanUp() { temporary.remove() }

    @discardableResult
    public func file(_ name: String, _ contents: String) throws -> String { try temporary.directory.file(name, contents) }

    @discardableResult
    public func file(_ name: String, bytes: [UInt8]) throws -> String { try temporary.directory.file(name, bytes: bytes) }

    /// Runs `identikit ARGUMENTS` to its end; `environment` goes on top of the runner's.
    @discardableResult
    public func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        try Identikit.run(arguments, environment: self.environment.merging(environment) { _, new in new },
                          input: Data((stdin ?? "").utf8))
    }

    /// `identikit ARGUMENTS`, started with the runner's environment; it runs until stopped.
    public func start(_ arguments: [String]) throws -> ChildProcess {
        try Identikit.start(arguments, environment: environment)
    }

    private var environment: [String: String] {
        ["IDENTIKIT_DB": store, "XDG_DATA_HOME": directory.appendingPathComponent("xdg").path, "COLUMNS": "200"]
    }
}
