import Foundation
import IdentityCore

/// One arbitrary input through everything that turns bytes into events: the line decoder (UTF-8
/// check, JSON parser, event validator), the stream reader (line splitting, document detection)
/// and the engine on an in-memory store. Shared by the libFuzzer target (`Sources/DecoderFuzz`)
/// and the bounded random-input test, so both check the same promises:
///
/// - nothing crashes and nothing throws but a read error (there are none in memory);
/// - every input becomes events or warnings: a decoded line yields at least one result unless it
///   is an empty array or batch, and every invalid result says why and where;
/// - every valid event obeys the validator's rules (non-empty name, distinct ID of at most 400
///   UTF-16 units without NUL), and the engine ingests it or records a warning without throwing.
public enum DecoderHarness {
    public struct Violation: Error, CustomStringConvertible {
        public var description: String
    }

    /// What one input gave, for tests that want to see the mix.
    public struct Report: Sendable, Equatable {
        public var valid = 0
        public var invalid = 0
        public var actions = 0

        public init() {}
    }

    /// Runs `bytes` through the decoders and the engine; throws a `Violation` when a promise is broken.
    @discardableResult
    public static func run(_ bytes: [UInt8]) throws -> Report {
        var report = Report()
        let location = InputLocation(source: "fuzz", line: 1)
        let decoded = InputDecoder.decodeLine(bytes[...], location: location, terminated: true)
        if decoded.isEmpty, !isEmptyBatch(bytes) {
            throw Violation(description: "a line gave neither an event nor a warning")
        }
        let storage = InMemoryStorage()
        let engine = IdentityEngine()
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        for input in decoded {
            try check(input, &report)
            // A replayed action naming persons this empty store lacks becomes a warning, not an error.
            do {
                _ = try engine.ingest(input, in: storage, now: now)
            } catch {
                throw Violation(description: "the engine threw \(error) for \(input)")
            }
        }

        // The same bytes as a file: lines, CRLF, BOM, multi-line documents.
        var reader = EventReader(source: MemoryByteSource(bytes), name: "fuzz")
        var inputs = 0
        while let input = try reader.next() {
            var ignored = Report()
            try check(input, &ignored)
            inputs += 1
            if inputs > bytes.count + 1 { throw Violation(description: "the reader produced more inputs than bytes") }
        }
        return report
    }

    private static func check(_ input: ValidatedInput, _ report: inout Report) throws {
        switch input {
        case .valid(let event):
            report.valid += 1
            if event.name.isEmpty { throw Violation(description: "a valid event has an empty name") }
            if event.distinctID.utf16.count > EventValidator.maxDistinctIDLength {
                throw Violation(description: "a valid event has a distinct ID over the limit")
            }
            if event.distinctID.contains("\u{0}") { throw Violation(description: "a valid event's distinct ID holds NUL") }
        case .invalid(let invalid):
            report.invalid += 1
            if invalid.reason.isEmpty { throw Violation(description: "an invalid input has no reason") }
            if !invalid.location.description.hasPrefix("fuzz") { throw Violation(description: "an invalid input does not say where") }
            if invalid.raw.utf8.count > InputDecoder.maxRawBytes + 64 {
                throw Violation(description: "an invalid input keeps \(invalid.raw.utf8.count) raw bytes")
            }
        case .action:
            report.actions += 1
        }
    }

    /// `[]`, `{"batch": []}` and the like hold no event, so they rightly give nothing.
    private static func isEmptyBatch(_ bytes: [UInt8]) -> Bool {
        guard let value = try? JSONParser.parse(bytes) else { return false }
        switch value {
        case .array(let elements): return elements.isEmpty
        case .object(let object): return object["event"] == nil && object["batch"]?.arrayValue?.isEmpty == true
        default: return false
        }
    }
}
