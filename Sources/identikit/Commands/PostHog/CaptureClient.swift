import Foundation
import IdentityCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Posts `/batch/` bodies to a PostHog capture endpoint, retrying what may pass on a second try
/// (no connection, a timeout, 429 and 5xx answers) with a doubling pause. Nothing here logs the
/// body: it carries the API key.
struct CaptureClient: Sendable {
    let url: URL
    /// Tries in all, the first included.
    var attempts = 5
    /// The first pause; each next one doubles (0.5 s, 1 s, 2 s, 4 s).
    var firstPause: Duration = .milliseconds(500)

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// `--host` as given, made into its `/batch/` URL; a URL already ending in `/batch/` is kept.
    static func batchURL(host: String) throws -> (url: URL, host: String) {
        var text = host.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        guard var components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", components.host?.isEmpty == false else {
            throw Failed(description: "--host must be an http:// or https:// URL, like https://us.i.posthog.com: \(host)")
        }
        // Credentials in the URL are never recorded with what was pushed.
        components.user = nil
        components.password = nil
        var recorded = components.string ?? text
        if recorded.hasSuffix("/batch") { recorded.removeLast("/batch".count) }
        guard let url = URL(string: recorded + "/batch/") else { throw Failed(description: "--host is not a valid URL: \(host)") }
        return (url, recorded)
    }

    func post(_ body: Data) async throws {
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("identikit", forHTTPHeaderField: "User-Agent")
        request.httpBody = body
        var pause = firstPause
        var attempt = 1
        while true {
            let outcome: Result<(Int, Data), Error>
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                outcome = .success(((response as? HTTPURLResponse)?.statusCode ?? 0, data))
            } catch {
                outcome = .failure(error)
            }
            let problem: String
            switch outcome {
            case .success(let (status, _)) where (200..<300).contains(status):
                return
            case .success(let (status, data)):
                let answer = String(decoding: data.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                problem = "HTTP \(status)" + (answer.isEmpty ? "" : " (\(answer))")
                // A refusal (bad key, bad body) will be refused again: only busy or failing servers are retried.
                guard status == 429 || status >= 500 else {
                    throw Failed(description: "\(url.absoluteString) refused the batch: \(problem)")
                }
            case .failure(let error):
                problem = (error as? URLError).map { "\($0.localizedDescription) (\($0.code.rawValue))" } ?? "\(error)"
            }
            guard attempt < attempts else {
                throw Failed(description: "could not send to \(url.absoluteString) after \(attempts) tries: \(problem)")
            }
            Terminal.standardError.write("identikit: \(Escaping.terminalSafe("\(url.absoluteString): \(problem)")); trying again in \(pause)\n")
            try await Task.sleep(for: pause)
            pause *= 2
            attempt += 1
        }
    }
}
