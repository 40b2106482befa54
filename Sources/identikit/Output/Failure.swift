import ArgumentParser
import Foundation
import IdentityCore

/// A problem to report as `identikit: <what>: <where>` before exiting non-zero.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command body; any error becomes one line on stderr and exit code 1, instead of
/// ArgumentParser's generic "Error:" dump.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        throw reported(error)
    }
}

/// `reportingErrors` for async command bodies.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        throw reported(error)
    }
}

/// Writes the error to stderr and returns the exit to throw; exits the command chose pass through.
private func reported(_ error: any Error) -> any Error {
    if error is ExitCode || error is CleanExit { return error }
    // Messages quote paths and IDs from the user's data: no line of it may drive the terminal.
    let lines = "\(error)".split(separator: "\n", omittingEmptySubsequences: false).map { Escaping.terminalSafe(String($0)) }
    Terminal.standardError.write("identikit: \(lines.joined(separator: "\n"))\n")
    return ExitCode.failure
}
