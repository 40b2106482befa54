import Foundation

/// Settings only the end-to-end tests use, read from the environment; not in help or the README.
enum TestHooks {
    /// `IDENTIKIT_TEST_WRITER_PAUSE_MS`: `ingest` pauses this long before writing each chunk, playing a
    /// slow writer, so the memory test can show the decoder waits for it instead of running ahead.
    static var writerPause: Duration {
        guard let text = ProcessInfo.processInfo.environment["IDENTIKIT_TEST_WRITER_PAUSE_MS"],
              let milliseconds = Int(text), milliseconds > 0 else { return .zero }
        return .milliseconds(milliseconds)
    }

    /// `IDENTIKIT_TEST_CHUNK_EVENTS`: `ingest` hands the writer this many decoded events at a time
    /// instead of 2,000, so a test's small file still has transactions that span several chunks.
    static var chunkEvents: Int? {
        ProcessInfo.processInfo.environment["IDENTIKIT_TEST_CHUNK_EVENTS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }
}
