/// Why a test's helper could not do its job (a program that did not start or end, a server that did not answer).
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
