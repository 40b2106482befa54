import Hummingbird
import Store
import Logging

/// The router: middleware first (they wrap only the routes added after them), then every route
/// of `CaptureRoute` with its methods, and OPTIONS for CORS preflights.
enum CaptureRouter {
    static func make(store: any PersonStore, apiKey: String?, limits: CaptureLimits, logger: Logger) -> Router<CaptureRequestContext> {
        let router = Router(context: CaptureRequestContext.self)
        // Outermost first: the log sees the final status, with CORS headers on every reply, errors included.
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.add(middleware: CORSHeadersMiddleware())
        router.add(middleware: ErrorReplyMiddleware())

        let endpoints = CaptureEndpoints(store: store, apiKey: apiKey, limits: limits)
        for route in CaptureRoute.allCases {
            let handler: @Sendable (Request, CaptureRequestContext) async throws -> Response = switch route {
            case .capture: endpoints.capture
            case .flags: endpoints.flags
            case .health: endpoints.health
            }
            for path in route.paths {
                for method in route.methods {
                    router.on(RouterPath(path), method: method, use: handler)
                }
                router.on(RouterPath(path), method: .options, use: endpoints.preflight)
            }
        }
        return router
    }
}
