import Foundation
import IdentityCore
import Logging

/// One line per message: time, level, text, metadata.
struct LineLogHandler: LogHandler {
    let label: String
    let handle: FileHandle
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let level = event.level, message = event.message
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let details = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let time = Timestamp.format(Date())
        handle.write(Data("\(time) \(level.rawValue.uppercased()) \(message)\(details)\n".utf8))
    }

    /// A logger writing to `file` (created 0600, appended to), or to stderr without one.
    static func logger(label: String, level: Logger.Level, file: String?) throws -> Logger {
        let handle: FileHandle
        if let file {
            if !FileManager.default.fileExists(atPath: file) {
                _ = FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            guard let opened = FileHandle(forWritingAtPath: file) else { throw Failure("cannot write the log file \(file)") }
            opened.seekToEndOfFile()
            handle = opened
        } else {
            handle = .standardError
        }
        var logger = Logger(label: label) { label in LineLogHandler(label: label, handle: handle) }
        logger.logLevel = level
        return logger
    }
}
