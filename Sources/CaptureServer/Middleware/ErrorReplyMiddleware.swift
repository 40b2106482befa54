import Hummingbird

/// Turns every error into a JSON reply `{"type", "code", "detail", "error"}` (the SDKs show `detail`)
/// and notes its message for the log line. A request no route matched becomes 404, or 405 when
/// only its method is wrong.
struct ErrorReplyMiddleware: RouterMiddleware {
    typealias Context = CaptureRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let refusal: CaptureError
        do {
            return try await next(request, context)
        } catch let error as CaptureError {
            refusal = error
        } catch let error as HTTPError where error.status == .notFound {
            // The router's answer when no route has this path and method.
            refusal = CaptureRoute.refusal(method: request.method, path: request.uri.path)
        } catch {
            refusal = CaptureError(status: 500, code: "internal_error", "\(error)")
        }
        context.outcome.text = refusal.message
        return JSONReply.error(refusal)
    }
}
