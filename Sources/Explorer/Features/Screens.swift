/// A screen on the navigation stack.
///
/// The one registration point: a new screen adds its case here and its line in `feature`;
/// everything else about it lives in its own folder under Features/.
public enum Screen: Sendable, Equatable {
    case persons(PersonsState)
    case detail(DetailState)
    case propertyHistory(PropertyHistoryState)
    case warningGroups(WarningGroupsState)
    case warnings(WarningListState)
    case duplicates(DuplicatesState)
    case duplicateMembers(DuplicateMembersState)
    case suspects(SuspectsState)
    case posthog(PostHogState)
    case posthogDifference(PostHogDifferenceState)
    case live(LiveState)
    case liveEvent(LiveEventState)
    /// Nothing in the store yet.
    case empty

    /// The feature that runs this screen, bound to its state.
    var feature: AnyScreen {
        switch self {
        case .persons(let s): AnyScreen(PersonsFeature.self, s, Screen.persons)
        case .detail(let s): AnyScreen(DetailFeature.self, s, Screen.detail)
        case .propertyHistory(let s): AnyScreen(PropertyHistoryFeature.self, s, Screen.propertyHistory)
        case .warningGroups(let s): AnyScreen(WarningGroupsFeature.self, s, Screen.warningGroups)
        case .warnings(let s): AnyScreen(WarningListFeature.self, s, Screen.warnings)
        case .duplicates(let s): AnyScreen(DuplicatesFeature.self, s, Screen.duplicates)
        case .duplicateMembers(let s): AnyScreen(DuplicateMembersFeature.self, s, Screen.duplicateMembers)
        case .suspects(let s): AnyScreen(SuspectsFeature.self, s, Screen.suspects)
        case .posthog(let s): AnyScreen(PostHogFeature.self, s, Screen.posthog)
        case .posthogDifference(let s): AnyScreen(PostHogDifferenceFeature.self, s, Screen.posthogDifference)
        case .live(let s): AnyScreen(LiveFeature.self, s, Screen.live)
        case .liveEvent(let s): AnyScreen(LiveEventFeature.self, s, Screen.liveEvent)
        case .empty: AnyScreen(EmptyFeature.self, EmptyState(), { _ in .empty })
        }
    }
}
