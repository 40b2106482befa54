import Store

/// The column each persons order sorts by, over its index.
extension PersonOrder {
    var column: String {
        switch self {
        case .firstSeen: "created_at"
        case .lastSeen: "coalesce(last_seen, 0)"
        case .size: "event_count"
        }
    }
}
