// The values the store's queries return live in `Store`, shared by every store; users of the
// PostgreSQL store see them without importing it.
@_exported import Store
