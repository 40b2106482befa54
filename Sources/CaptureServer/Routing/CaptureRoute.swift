import Hummingbird

/// The server's endpoints: the paths and methods each answers. The router is built from this
/// table, and a request it does not match is told which of 404 and 405 applies from it too.
enum CaptureRoute: CaseIterable {
    /// Where SDKs send events.
    case capture
    /// Feature flags: answered with no flags.
    case flags
    /// The store's counts.
    case health

    var paths: [String] {
        switch self {
        case .capture: ["/batch", "/capture", "/e", "/i/v0/e", "/track", "/engage", "/s"]
        case .flags: ["/flags", "/decide"]
        case .health: ["/_health"]
        }
    }

    /// GET on capture and flags paths is an old browser fallback that carries the payload in the query.
    var methods: [HTTPRequest.Method] {
        switch self {
        case .capture, .flags: [.post, .get]
        case .health: [.get, .head]
        }
    }

    /// The method a refusal (405) tells the client to use.
    var usage: String {
        switch self {
        case .capture, .flags: "POST"
        case .health: "GET"
        }
    }

    /// The route whose path this is, ignoring repeated and trailing slashes as the router does.
    static func matching(_ path: String) -> CaptureRoute? {
        let normalized = "/" + path.split(separator: "/").joined(separator: "/")
        return allCases.first { $0.paths.contains(normalized) }
    }

    /// Why a request the router did not match is refused: a known path with another method is 405,
    /// anything else 404.
    static func refusal(method: HTTPRequest.Method, path: String) -> CaptureError {
        guard let route = matching(path) else {
            return CaptureError(status: 404, code: "not_found",
                                "no such endpoint \(path); events go to /batch/, /capture/, /e/, /i/v0/e/ or /track/")
        }
        return CaptureError(status: 405, code: "method_not_allowed",
                            "\(method.rawValue) is not allowed on \(path); use \(route.usage)")
    }
}
