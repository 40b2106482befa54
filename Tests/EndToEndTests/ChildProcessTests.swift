import Foundation
import Testing
import TestSupport

/// The tests' process runner itself: what it captures, and that it never waits forever.
@Suite(.ownThreads) struct ChildProcessTests {
    @Test func capturesStdinStdoutStderrAndTheExitStatus() throws {
        let output = try ChildProcess.run("/bin/sh", ["-c", "cat; echo \"$GREETING\" >&2; exit 3"],
                                          environment: ["GREETING": "hello"], input: Data("typed\n".utf8))
        #expect(output.termination == .exited(3))
        #expect(output.stdout == "typed\n")
        #expect(output.stderr == "hello\n")
    }

    @Test func aCommandPastItsTimeoutIsKilledAndNamed() throws {
        let started = Date()
        #expect(throws: TestFailure.self) { try ChildProcess.run("/bin/sleep", ["30"], timeout: 0.5) }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// What `pg_ctl start` and `tmux new-session` do: the command ends, a daemon it started lives on
    /// with the command's output open. The wait is for the command, not for its output to close.
    @Test func aGrandchildHoldingTheOutputOpenDoesNotHoldUpTheWait() throws {
        let started = Date()
        let output = try ChildProcess.run("/bin/sh", ["-c", "sleep 5 & echo started"])
        #expect(output.stdout == "started\n")
        #expect(Date().timeIntervalSince(started) < 4)
    }

    @Test func aStartedProcessIsStoppedAndSaysBySignal() throws {
        let child = try ChildProcess.start("/bin/sleep", ["30"])
        #expect(child.isRunning)
        child.send(SIGKILL)
        #expect(child.wait(timeout: 10) == .signalled(SIGKILL))
        #expect(child.stop() == .signalled(SIGKILL), "stopping an ended process only reports how it ended")
    }
}
