import Foundation

/// The server could not take its address: NIO's words ("bind(descriptor:ptr:bytes:): Address already
/// in use) (errno: 98)") name neither the address nor what to do.
public struct CannotListen: Error, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var errno: Int32

    static let reasons: [Int32: String] = [
        EADDRINUSE: "the port is already in use (another identikit serve?); choose another --port, or --port 0 for any free one",
        EACCES: "permission denied (ports below 1024 need privileges); choose a --port of 1024 or more",
        EADDRNOTAVAIL: "this machine has no such address; --host takes one of its own addresses, or 0.0.0.0 for all",
    ]

    public var description: String {
        "cannot listen on \(CaptureServer.url(host: host, port: port).dropFirst("http://".count)): \(Self.reasons[errno] ?? "errno \(errno)")"
    }
}
