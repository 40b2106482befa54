import Foundation

/// What the engine needs from a store. The engine calls it inside one
/// transaction per batch (SQLite) or on plain memory (tests, previews).
///
/// Implementations only keep data; every decision is the engine's.
public protocol IdentityStorage {
    /// Takes the event unless one with its uuid is stored already; false for such a duplicate.
    /// The engine calls it before applying the event, and `recordEffect` right after.
    func insertEvent(_ event: Event) throws -> Bool
    /// Keeps what the event taken by `insertEvent` did to identity (nil: not recorded). A store may
    /// write the event's row only now, with its effect, as long as the events of a distinct ID
    /// counted while the event was applied come out the same.
    func recordEffect(_ effect: EventEffect?, ofEvent event: Event) throws
    /// Counts one more copy of a stored event that was ignored (same uuid).
    func recordDuplicate(ofEvent event: Event) throws

    func personID(forDistinctID distinctID: String) throws -> Int64?
    func personID(forUUID uuid: UUID) throws -> Int64?
    func person(_ rowID: Int64) throws -> Person?
    /// Inserts the person and returns its row id.
    func insertPerson(_ person: Person) throws -> Int64
    func updatePerson(_ person: Person) throws
    func deletePerson(_ rowID: Int64) throws

    func distinctIDs(ofPerson rowID: Int64) throws -> [DistinctIDRecord]
    func distinctIDRecord(_ distinctID: String) throws -> DistinctIDRecord?
    /// Adds a new distinct ID, or re-points an existing one at another person.
    func upsertDistinctID(_ record: DistinctIDRecord) throws
    /// Moves every distinct ID of one person to another in one step; costs O(IDs moved).
    /// Moves every distinct ID of `source` (`ids`, as `distinctIDs(ofPerson:)` listed them) to `target`.
    /// The merge deletes `source` next.
    func moveAllDistinctIDs(_ ids: [String], from source: Int64, to target: Int64, how: JoinKind, actionID: Int64?, at: Date) throws

    /// Stores a warning unless one of the same type for the same event exists;
    /// returns whether it stored it.
    @discardableResult
    func insertWarning(_ warning: IngestionWarning) throws -> Bool

    func insertAction(_ action: ActionRecord) throws -> Int64
    func updateAction(_ action: ActionRecord) throws
    func action(_ id: Int64) throws -> ActionRecord?
    /// The merge, not undone, that removed the person with this uuid.
    func mergeThatRemoved(_ personUUID: UUID) throws -> Int64?

    func insertLink(_ link: Link) throws
    /// The links still in force that touch any of the given distinct IDs.
    func activeLinks(touching distinctIDs: [String]) throws -> [Link]
    /// Retires the links an action created (its undo) or that touch split-off IDs.
    func retireLinks(createdBy actionID: Int64) throws
    func retireLinks(touching distinctIDs: [String]) throws
}
