import Testing

/// Runs a suite's tests on threads of their own, off Swift's cooperative pool: they wait for
/// processes and terminals, and must not starve the async tests running beside them.
public struct OwnThreads: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await BlockingExecutor.run(function)
    }
}

extension Trait where Self == OwnThreads {
    public static var ownThreads: Self { OwnThreads() }
}
