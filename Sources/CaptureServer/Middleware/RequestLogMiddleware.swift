import Foundation
import Hummingbird
import Logging

/// One log line per request: method, path, status, client, time taken and what happened.
/// 5xx are errors, 4xx warnings, the rest info. Headers and bodies are never logged: they carry API keys.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = CaptureRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: response.status.code, context: context, since: started)
            return response
        } catch {
            // Not expected: `ErrorReplyMiddleware` answers every error. Still one line for it.
            log(request, status: 500, context: context, since: started)
            throw error
        }
    }

    func log(_ request: Request, status: Int, context: Context, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let millis = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let outcome = context.outcome.text
        let line: Logger.Message = "\(request.method.rawValue) \(request.uri.path) \(status) from \(context.remote) in \(String(format: "%.1f", millis)) ms\(outcome.isEmpty ? "" : ": " + outcome)"
        if status >= 500 {
            logger.error(line)
        } else if status >= 400 {
            logger.warning(line)
        } else {
            logger.info(line)
        }
    }
}
