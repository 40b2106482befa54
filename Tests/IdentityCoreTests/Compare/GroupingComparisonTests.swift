import IdentityCore
import Testing

/// The comparison of two groupings, on crafted ones.
@Suite struct GroupingComparisonTests {
    @Test func identicalGroupingsAgreeOnEveryPerson() {
        let result = GroupingComparison.compare(posthog: ["a": "p1", "b": "p1", "c": "p2"], identikit: [["a", "b"], ["c"]])
        #expect(result == GroupingComparison(agree: 2, differ: [], onlyInPostHog: [], onlyInIdentikit: []))
    }

    @Test func aMergeOnlyPostHogMadeIsOneDifference() {
        // PostHog joined a and b; identikit keeps them apart. c agrees.
        let result = GroupingComparison.compare(posthog: ["a": "p1", "b": "p1", "c": "p2"], identikit: [["a"], ["b"], ["c"]])
        #expect(result.agree == 1)
        #expect(result.differ == [.init(distinctIDs: ["a", "b"], posthog: [["a", "b"]], identikit: [["a"], ["b"]])])
    }

    @Test func aMergeOnlyIdentikitMadeIsOneDifference() {
        let result = GroupingComparison.compare(posthog: ["a": "p1", "b": "p2", "c": "p3"], identikit: [["a", "b"], ["c"]])
        #expect(result.agree == 1)
        #expect(result.differ == [.init(distinctIDs: ["a", "b"], posthog: [["a"], ["b"]], identikit: [["a", "b"]])])
    }

    @Test func chainsJoinedByEitherSideAreOneConnectedSet() {
        // PostHog: {a,b} {c,d}; identikit: {a} {b,c} {d}: one set a-b-c-d, joined through both sides.
        let result = GroupingComparison.compare(posthog: ["a": "1", "b": "1", "c": "2", "d": "2", "e": "3"],
                                                identikit: [["a"], ["b", "c"], ["d"], ["e"]])
        #expect(result.agree == 1)
        #expect(result.differ.count == 1)
        #expect(result.differ[0].distinctIDs == ["a", "b", "c", "d"])
        #expect(result.differ[0].posthog == [["a", "b"], ["c", "d"]])
        #expect(result.differ[0].identikit == [["b", "c"], ["a"], ["d"]])
    }

    @Test func idsOneSideLacksAreListedAndLeftOutOfTheComparison() {
        // identikit's person {a, x} and PostHog's {a, y}: over the shared ID a they agree.
        let result = GroupingComparison.compare(posthog: ["a": "1", "y": "1", "z": "2"], identikit: [["a", "x"], ["w"]])
        #expect(result.agree == 1)
        #expect(result.differ.isEmpty)
        #expect(result.onlyInPostHog == ["y", "z"])
        #expect(result.onlyInIdentikit == ["w", "x"])
    }

    @Test func disagreementsAreListedBiggestFirst() {
        let result = GroupingComparison.compare(
            posthog: ["a": "1", "b": "1", "c": "2", "d": "2", "e": "2", "f": "3"],
            identikit: [["a"], ["b"], ["c"], ["d", "e", "f"]])
        #expect(result.differ.map(\.distinctIDs) == [["c", "d", "e", "f"], ["a", "b"]])
        #expect(result.agree == 0)
    }

    @Test func theComparerTakesIdentikitPersonsOneAtATime() {
        var comparer = GroupingComparer(posthog: ["a": "1", "b": "1"])
        comparer.addIdentikitPerson(["a"])
        comparer.addIdentikitPerson(["b"])
        #expect(comparer.result().differ.count == 1)
    }
}
