import Store

/// What each persons order sorts by on PostgreSQL, over its index, and how a cursor's value
/// (seconds or a count, as in the SQLite store) turns back into that column's type.
struct PostgresOrderKey {
    /// The indexed expression the keyset compares and sorts by.
    var column: String
    /// The sort value as float8, for the next cursor.
    var value: String
    /// The function that turns the cursor's float8 back into the column's type.
    var cast: String

    init(_ order: PersonOrder) {
        switch order {
        case .firstSeen:
            self.init(column: "created_at", value: "extract(epoch FROM created_at)::float8", cast: "to_timestamp")
        case .lastSeen:
            self.init(column: "coalesce(last_seen, 'epoch'::timestamptz)",
                      value: "extract(epoch FROM coalesce(last_seen, 'epoch'::timestamptz))::float8", cast: "to_timestamp")
        case .size:
            self.init(column: "event_count", value: "event_count::float8", cast: "int8")
        }
    }

    private init(column: String, value: String, cast: String) {
        self.column = column
        self.value = value
        self.cast = cast
    }
}
