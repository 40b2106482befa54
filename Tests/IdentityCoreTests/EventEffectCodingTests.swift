import Foundation
import IdentityCore
import Testing

/// The effect's stored form (written by hand for speed) is the JSON of its `jsonValue` with the
/// skipped writes grouped by reason, and every form, the older stored one too, reads back to the same effect.
@Suite struct EventEffectCodingTests {
    static let full = EventEffect(
        kind: .merged, person: UUID(text: "0190d3b4-0000-7000-8000-0000000000aa"), linkedID: "a\"b\u{1b}",
        merge: .init(how: .createAlias, actionID: 42, target: UUID(text: "0190d3b4-0000-7000-8000-0000000000aa")!,
                     source: UUID(text: "0190d3b4-0000-7000-8000-0000000000bb")!),
        warnings: [.personPropertiesSizeViolation, .distinctIDCaseCollision],
        set: ["plan", "é"], setOnce: ["first"], unset: ["old"],
        skipped: [.init(key: "$current_url", reason: .churnFilter), .init(key: "x", reason: .alreadySet)])

    /// Skips as the rules write them: sorted by key, a key skipped twice with `already_set` first.
    static let skipHeavy = EventEffect(
        kind: .existingPerson, person: UUID(),
        skipped: [.init(key: "$browser", reason: .churnFilter), .init(key: "$initial_os", reason: .alreadySet),
                  .init(key: "a", reason: .sizeLimit), .init(key: "k", reason: .alreadySet), .init(key: "k", reason: .sizeLimit),
                  .init(key: "z\"", reason: .churnFilter)])

    @Test(arguments: [full, skipHeavy, EventEffect(kind: .personless), EventEffect(kind: .newPerson, person: UUID())])
    func storedFormReadsBackAndIsTheJSONOfItsValueSaveTheSkips(_ effect: EventEffect) throws {
        var printed = effect.jsonValue.objectValue ?? [:]
        printed["skipped"] = nil
        var stored = try JSONParser.parse(effect.storedText).objectValue ?? [:]
        let storedSkips = stored.removeValue(forKey: "skipped")
        #expect(stored == printed)
        #expect(EventEffect(stored: effect.storedText) == effect)
        // The printed form is what events stored before the grouped form hold.
        #expect(EventEffect(stored: JSONWriter.string(effect.jsonValue)) == effect)
        #expect(try JSONCoding.decode(EventEffect.self, from: JSONCoding.string(effect)) == effect)
        if !effect.skipped.isEmpty {
            let groups = try #require(storedSkips?.objectValue)
            #expect(Set(groups.keys) == Set(effect.skipped.map(\.reason.rawValue)))
            #expect(effect.storedText.utf8.count < JSONWriter.string(effect.jsonValue).utf8.count)
        }
    }

    @Test func unreadableOrMissingIsNil() {
        #expect(EventEffect(stored: nil) == nil)
        #expect(EventEffect(stored: #"{"kind":"from_the_future"}"#) == nil)
        #expect(EventEffect(stored: "not json") == nil)
    }
}
