import Foundation

extension IdentityEngine {
    /// The chain of events and actions that joined two distinct IDs of one
    /// person: the shortest path over the links still in force.
    public func whyLinked(_ a: String, _ b: String, in storage: some IdentityStorage) throws -> [Link] {
        guard let personA = try storage.personID(forDistinctID: a) else { throw IdentityError.unknownDistinctID(a) }
        guard let personB = try storage.personID(forDistinctID: b) else { throw IdentityError.unknownDistinctID(b) }
        guard personA == personB else { throw IdentityError.differentPersons(a, b) }
        if a == b { return [] }
        let members = Set(try storage.distinctIDs(ofPerson: personA).map(\.distinctID))

        // Breadth-first from a; each ID remembers the link it was reached by.
        var reachedBy: [String: Link] = [:]
        var visited: Set<String> = [a]
        var frontier = [a]
        while !frontier.isEmpty, reachedBy[b] == nil {
            var next: [String] = []
            for link in try storage.activeLinks(touching: frontier) {
                for (from, to) in [(link.a, link.b), (link.b, link.a)]
                where visited.contains(from) && !visited.contains(to) && members.contains(to) {
                    visited.insert(to)
                    reachedBy[to] = link
                    next.append(to)
                }
            }
            frontier = next
        }
        guard reachedBy[b] != nil else { return [] }
        var path: [Link] = []
        var current = b
        while current != a, let link = reachedBy[current] {
            path.append(link)
            current = link.a == current ? link.b : link.a
        }
        return path.reversed()
    }
}
