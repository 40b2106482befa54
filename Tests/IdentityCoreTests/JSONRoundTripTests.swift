import DemoData
import Foundation
import IdentityCore
import Testing

/// The hand-written JSON parser and writer against Foundation: same values in, same values out.
@Suite("JSON parser and writer")
struct JSONRoundTripTests {
    /// Random JSON values with awkward strings: controls, quotes, backslashes, non-ASCII, emoji.
    static func value(_ random: inout SplitMix64, depth: Int = 0) -> JSONValue {
        let alphabet: [String] = ["a", "Z", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "愛", "🎉", "\u{202E}", " "]
        func text() -> String { (0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined() }
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &random))
        case 3: return .double(Double.random(in: -1e12...1e12, using: &random))
        case 4: return .string(text())
        case 5: return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in value(&random, depth: depth + 1) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &random) { object[text()] = value(&random, depth: depth + 1) }
            return .object(object)
        }
    }

    @Test func writerOutputParsesBackToTheSameValue() throws {
        var random = SplitMix64(seed: 42)
        for _ in 0..<3000 {
            let original = Self.value(&random)
            let text = JSONWriter.string(original)
            #expect(try JSONParser.parse(text) == original, "\(text)")
            // Foundation accepts everything the writer produces.
            #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil, "\(text)")
        }
    }

    @Test func parserAgreesWithFoundationOnWhatIsValid() {
        let inputs = [
            #"{"a":1}"#, "01", "-0", "1e5", "1.5e-3", "-", "[", #""\u00e9\ud83c\udf89""#,
            #""\x41""#, "tru", "null", " [ ] ", "{\"a\" 1}", "\"a\nb\"", "[1 2]", "1.", ".5", "+1", "[\"\\/\"]",
        ]
        for input in inputs {
            let ours = (try? JSONParser.parse(input)) != nil
            let foundation = (try? JSONSerialization.jsonObject(with: Data(input.utf8), options: [.fragmentsAllowed])) != nil
            #expect(ours == foundation, "\(input)")
        }
        // Stricter than Foundation on purpose (RFC 8259): a trailing comma is an error, not a guess.
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse("[1,2,]") }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(#"{"a":1,}"#) }
    }
}

/// JSON values compare as PostHog and the databases compare them: exactly.
struct JSONValueEqualityTests {
    @Test func stringsThatAreOnlyCanonicallyEquivalentDiffer() {
        let composed = JSONValue.string("caf\u{E9}"), decomposed = JSONValue.string("cafe\u{301}")
        #expect(composed != decomposed)
        #expect(JSONValue.array([composed]) != .array([decomposed]))
        #expect(JSONValue.object(["k": composed]) != .object(["k": decomposed]))
        #expect(Set([composed, decomposed, .string("caf\u{E9}")]).count == 2)
    }

    @Test func equalValuesAreEqualAndHashAlike() {
        let a: JSONValue = ["x": [1, "two", nil, true, .double(2.5)], "y": ["z": "w"]]
        let b: JSONValue = ["y": ["z": "w"], "x": [1, "two", nil, true, .double(2.5)]]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(JSONValue.int(1) == .double(1.0))
        #expect(JSONValue.int(1).hashValue == JSONValue.double(1.0).hashValue)
        #expect(JSONValue.int(1) != .double(1.5))
        #expect(JSONValue.int(1) != .bool(true))
        #expect(JSONValue.array(["ab", "c"]).hashValue != JSONValue.array(["a", "bc"]).hashValue)
    }
}

/// Parse errors say what was found: a line of prose is not reported as a misspelled `true`.
struct JSONParseErrorTests {
    @Test func anUnquotedWordIsNamed() {
        #expect(throws: (any Error).self) { try JSONParser.parse("this line is not JSON") }
        do {
            _ = try JSONParser.parse(#"{"a": nul"#)
            Issue.record("parsed")
        } catch {
            #expect("\(error)".contains("unexpected word 'nul' where only true, false or null may stand unquoted"), "\(error)")
        }
        do {
            _ = try JSONParser.parse("this line is not JSON")
        } catch {
            #expect("\(error)".contains("unexpected word 'this'"), "\(error)")
        }
    }
}
