import GRDB
import IdentityCore

/// The write-back at the end of a transaction: counters, then each changed person in one UPDATE,
/// then the store's row counts and substring search's tables.
extension SQLiteStorage {
    /// Writes back what the transaction changed. `SQLitePersonStore.write` calls it before commit.
    ///
    /// A person active in a batch usually has new properties and new events: one UPDATE writes
    /// both, and leaves the uuid, creation time, email and name (and their index entries) alone
    /// unless they changed.
    func flush() throws {
        let statements = try hot()
        var counts = try settleDistinctIDCounts(statements)
        let changed = dirty.sorted().compactMap { persons[$0] }
        let texts = PersonColumns.texts(changed)
        for (person, text) in zip(changed, texts) {
            guard let rowID = person.rowID else { continue }
            let keys = PersonColumns.Keys(person)
            let recount = staleAggregates.remove(rowID) != nil
            let update = statements.personUpdate(keysChanged: storedKeys[rowID] != keys, recount: recount)
            PersonColumns.bind(person, keys, text, to: update)
            update.bind(9, rowID)
            if !recount { (counts.removeValue(forKey: rowID) ?? PendingCount()).bindAddition(to: update, from: 10) }
            try update.execute()
            storedKeys[rowID] = keys
        }
        dirty.removeAll()
        for (personID, pending) in counts {
            pending.bindAddition(to: statements.countForPerson, from: 1)
            statements.countForPerson.bind(4, personID)
            try statements.countForPerson.execute()
        }
        for rowID in staleAggregates.sorted() {
            statements.recountPerson.bind(1, rowID)
            try statements.recountPerson.execute()
        }
        staleAggregates.removeAll()
        try rowCounts.write(db)
        try search.write(db) { rowID in storedKeys[rowID]?.searchEntry ?? .init() }
    }

    /// Adds the transaction's events to their distinct IDs' counters and returns them summed per
    /// owner, for the persons not recounted anyway. Counters on an ID travel with it through merges
    /// and splits; a person's are the sum of its IDs'. A merge earlier in the batch needs nothing
    /// settled first: it folds the settled counters, and these land on the IDs' owner now, the survivor.
    private func settleDistinctIDCounts(_ statements: HotStatements) throws -> [Int64: PendingCount] {
        var perPerson: [Int64: PendingCount] = [:]
        for (distinctID, pending) in pendingCounts {
            pending.bindAddition(to: statements.countForID, from: 1)
            statements.countForID.bind(4, distinctID.text)
            try statements.countForID.execute()
            guard let owner = try personID(forDistinctID: distinctID.text), !staleAggregates.contains(owner) else { continue }
            perPerson[owner, default: PendingCount()].add(pending)
        }
        pendingCounts.removeAll(keepingCapacity: true)
        return perPerson
    }
}

/// Events counted in this transaction but not yet added to the stored counters.
struct PendingCount {
    var count = 0
    var first = Double.infinity
    var last = -Double.infinity

    mutating func add(_ other: PendingCount) {
        count += other.count
        first = min(first, other.first)
        last = max(last, other.last)
    }

    /// Binds the count, first and last seen at three parameters from `index` (the times as NULL
    /// when nothing was counted, which the counter SQL reads as "keep").
    func bindAddition(to statement: HotStatement, from index: Int32) {
        statement.bind(index, count)
        statement.bind(index + 1, count > 0 ? first : nil)
        statement.bind(index + 2, count > 0 ? last : nil)
    }
}
