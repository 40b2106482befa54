import Hummingbird

/// CORS headers on every response, errors included: browser SDKs post from the app's own origin.
///
/// Not Hummingbird's `CORSMiddleware`: that one adds headers only when the request has an Origin,
/// answers OPTIONS on any path, and allows a fixed list of headers, where SDKs may ask for others;
/// this one echoes the headers a preflight asks for. Preflights are answered by the routes.
struct CORSHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = request.headers[.origin] ?? "*"
        response.headers[.accessControlAllowCredentials] = "true"
        response.headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
        response.headers[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? "Content-Type, Authorization"
        return response
    }
}
