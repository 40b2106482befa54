import Foundation
import IdentityCore
import Testing

/// The effect's stored form (written by hand for speed) is exactly the JSON of its `jsonValue`, and
/// every form reads back to the same effect.
@Suite struct EventEffectCodingTests {
    static let full = EventEffect(
        kind: .merged, person: UUID(text: "0190d3b4-0000-7000-8000-0000000000aa"), linkedID: "a\"b\u{1b}",
        merge: .init(how: .createAlias, actionID: 42, target: UUID(text: "0190d3b4-0000-7000-8000-0000000000aa")!,
                     source: UUID(text: "0190d3b4-0000-7000-8000-0000000000bb")!),
        warnings: [.personPropertiesSizeViolation, .distinctIDCaseCollision],
        set: ["plan", "é"], setOnce: ["first"], unset: ["old"],
        skipped: [.init(key: "$current_url", reason: .churnFilter), .init(key: "x", reason: .alreadySet)])

    @Test(arguments: [full, EventEffect(kind: .personless), EventEffect(kind: .newPerson, person: UUID())])
    func storedFormIsTheJSONOfItsValueAndReadsBack(_ effect: EventEffect) throws {
        #expect(effect.storedText == JSONWriter.string(effect.jsonValue))
        #expect(EventEffect(stored: effect.storedText) == effect)
        #expect(try JSONCoding.decode(EventEffect.self, from: JSONCoding.string(effect)) == effect)
    }

    @Test func unreadableOrMissingIsNil() {
        #expect(EventEffect(stored: nil) == nil)
        #expect(EventEffect(stored: #"{"kind":"from_the_future"}"#) == nil)
        #expect(EventEffect(stored: "not json") == nil)
    }
}
