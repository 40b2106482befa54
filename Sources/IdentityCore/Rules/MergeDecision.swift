/// The merge table of the rules, top to bottom in the spec's order. Given a
/// target D (the event's distinct_id) and a source O, it says what happens;
/// the engine carries it out.
public enum MergeDecision: Sendable, Equatable {
    /// O equals D: nothing, no warning.
    case nothing
    /// D or O is a generic ID: no merge, warn.
    case refuseIllegal(illegalID: String, otherID: String)
    /// Neither has a person: one new person owning both.
    case createPersonWithBoth
    /// Only P(D) exists: O joins it.
    case addSourceToTarget
    /// Only P(O) exists: D joins it.
    case addTargetToSource
    /// Both already on one person.
    case alreadyOnePerson
    /// P(O) is identified and the event is not `$merge_dangerously`: no merge, warn.
    case refuseAlreadyIdentified
    /// Merge P(O) into P(D).
    case merge

    /// The persons that own D and O, as far as the decision needs them.
    public struct Owners: Sendable {
        public var target: Int64?
        public var source: Int64?
        public var sourceIsIdentified: Bool

        public init(target: Int64?, source: Int64?, sourceIsIdentified: Bool) {
            self.target = target
            self.source = source
            self.sourceIsIdentified = sourceIsIdentified
        }
    }

    /// - Parameters:
    ///   - sourceIsUnmergeable: the source as sent held a NUL or was too long to be a distinct ID.
    ///   - owners: looked up only when the first two rows do not decide.
    public static func decide(target: String, source: String, sourceIsUnmergeable: Bool = false, forced: Bool,
                              owners: () throws -> Owners) rethrows -> MergeDecision {
        if source.isExactly(target) { return .nothing }
        if IllegalDistinctIDs.isIllegal(target) { return .refuseIllegal(illegalID: target, otherID: source) }
        if sourceIsUnmergeable || IllegalDistinctIDs.isIllegal(source) { return .refuseIllegal(illegalID: source, otherID: target) }
        let found = try owners()
        switch (found.target, found.source) {
        case (nil, nil): return .createPersonWithBoth
        case (_?, nil): return .addSourceToTarget
        case (nil, _?): return .addTargetToSource
        case let (t?, s?) where t == s: return .alreadyOnePerson
        default: return found.sourceIsIdentified && !forced ? .refuseAlreadyIdentified : .merge
        }
    }
}
