import DemoData
import Foundation
import IdentityCore
import Ingest
import Testing

/// The normal suite's bounded stand-in for the libFuzzer run (Scripts/fuzz): thousands of hostile
/// inputs with a fixed seed through `DecoderHarness`, the same promises the fuzz target checks.
@Suite("decoder robustness: mutated events, random bytes, deep nesting")
struct DecoderRobustnessTests {
    static let tokens: [[UInt8]] = [
        "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u0000", "\\ud800", "\\udfff\\ud800", "\\u001b[31m", "null", "true",
        "1e999", "-0", "-", "0.", "1E+", "9223372036854775808", "\"$set\":\"x\"", "\"distinct_id\":{}",
        "\"distinct_id\":[1]", "\"distinct_id\":true", "\"properties\":7", "\"$unset\":3", "\"batch\":[]",
        "\"$identikit_action\":\"merge\"", "\"event\":\"\"", "\"uuid\":\"zz\"", "\u{202E}", "\u{9B}",
    ].map { Array($0.utf8) } + [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [0x0D], [0x0A], [0xEF, 0xBB, 0xBF]]

    static func validLines(_ count: Int) -> [[UInt8]] {
        Array(DemoGenerator(persons: count / 4 + 1, seed: 99).prefix(count).map { Array(JSONCoding.string($0).utf8) })
    }

    static func mutate(_ input: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &random)
            case 1: bytes.insert(contentsOf: tokens.randomElement(using: &random)!, at: position)
            case 2 where !bytes.isEmpty:
                bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...16, using: &random)))
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...32, using: &random))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            case 4: bytes.removeLast(bytes.count - position)
            default: bytes.insert(UInt8.random(in: 0...127, using: &random), at: position)
            }
        }
        return bytes
    }

    static func nested(depth: Int, _ random: inout SplitMix64) -> [UInt8] {
        var open: [UInt8] = [], close: [UInt8] = []
        for _ in 0..<depth {
            if Bool.random(using: &random) {
                open += Array(#"{"a":"#.utf8); close.insert(UInt8(ascii: "}"), at: 0)
            } else {
                open.append(UInt8(ascii: "[")); close.insert(UInt8(ascii: "]"), at: 0)
            }
        }
        let event = Array(#"{"event":"e","distinct_id":"deep","properties":{"$set":{"n":"#.utf8)
        return Bool.random(using: &random) ? event + open + Array("1".utf8) + close + Array("}}}".utf8) : open
    }

    /// Runs one input, failing the test with the input when a promise breaks or it takes too long.
    static func exercise(_ bytes: [UInt8], slowest: inout Double) -> DecoderHarness.Report {
        let started = Date()
        var report = DecoderHarness.Report()
        do {
            report = try DecoderHarness.run(bytes)
        } catch {
            Issue.record("\(error) for input \(String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription)")
        }
        slowest = max(slowest, Date().timeIntervalSince(started))
        return report
    }

    @Test func mutatedValidEventsNeverCrashAndAlwaysBecomeEventsOrWarnings() {
        var random = SplitMix64(seed: 0x1D3)
        let lines = Self.validLines(300)
        var slowest = 0.0, valid = 0, invalid = 0
        for index in 0..<4000 {
            let report = Self.exercise(Self.mutate(lines[index % lines.count], &random), slowest: &slowest)
            valid += report.valid
            invalid += report.invalid
        }
        // Both outcomes must be common, or the mutations test nothing (or everything is rejected).
        #expect(valid > 400, "valid \(valid)")
        #expect(invalid > 400, "invalid \(invalid)")
        #expect(slowest < 2, "slowest input took \(slowest) s")
    }

    @Test func randomBytesNeverCrash() {
        var random = SplitMix64(seed: 0xB17E5)
        var slowest = 0.0
        for _ in 0..<1500 {
            let count = Int.random(in: 0...400, using: &random)
            let alphabet = Int.random(in: 0..<3, using: &random)
            let bytes: [UInt8] = (0..<count).map { _ in
                switch alphabet {
                case 0: UInt8.random(in: 0...255, using: &random)
                case 1: Array(#"{}[]":,\ "0123456789eE.-+tfnul$abc"#.utf8).randomElement(using: &random)!
                default: Self.tokens.randomElement(using: &random)!.first!
                }
            }
            _ = Self.exercise(bytes, slowest: &slowest)
        }
        #expect(slowest < 2, "slowest input took \(slowest) s")
    }

    @Test func deepNestingIsRefusedInWordsNotByCrashing() throws {
        var random = SplitMix64(seed: 0xDEE9)
        var slowest = 0.0
        for depth in [1, 10, 100, 511, 512, 513, 600, 1000, 5000] {
            for _ in 0..<20 { _ = Self.exercise(Self.nested(depth: depth, &random), slowest: &slowest) }
        }
        // 200 000 open brackets: the parser stops at its depth limit, far from the end of the stack.
        let bomb = [UInt8](repeating: UInt8(ascii: "["), count: 200_000)
        _ = Self.exercise(bomb, slowest: &slowest)
        let decoded = InputDecoder.decodeLine(bomb[...], location: InputLocation(source: "bomb", line: 1))
        guard case .invalid(let invalid)? = decoded.first else {
            Issue.record("a 200 000-deep array was not rejected")
            return
        }
        #expect(invalid.reason.contains("nested deeper than \(JSONParser.maxDepth) levels"), "\(invalid.reason)")
        #expect(slowest < 2, "slowest input took \(slowest) s")
    }
}
