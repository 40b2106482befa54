import Testing
import TestSupport

/// Runs a suite's tests on threads of their own, off Swift's cooperative pool: they wait for
/// processes and terminals, and must not starve the async tests running beside them.
struct OwnThreads: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await BlockingExecutor.run(function)
    }
}

extension Trait where Self == OwnThreads {
    static var ownThreads: Self { OwnThreads() }
}
