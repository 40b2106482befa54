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
    } catch let exit as ExitCode {
        throw exit
    } catch let error as CleanExit {
        throw error
    } catch {
        // Messages quote paths and IDs from the user's data: no line of it may drive the terminal.
        let lines = "\(error)".split(separator: "\n", omittingEmptySubsequences: false).map { Escaping.terminalSafe(String($0)) }
        Terminal.standardError.write("identikit: \(lines.joined(separator: "\n"))\n")
        throw ExitCode.failure
    }
}
