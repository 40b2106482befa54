import ArgumentParser
import Foundation
import IdentityCore

struct Why: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain why two distinct IDs belong to one person: the chain of events and merges that joined them.",
        discussion: """
            Example:
              identikit why anon-123 alice@example.com
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("A distinct ID.", valueName: "a"))
    var a: String

    @Argument(help: ArgumentHelp("Another distinct ID of the same person.", valueName: "b"))
    var b: String

    @Flag(help: "Print JSON.")
    var json = false

    func run(store: CommandStore) async throws {
        let a = self.a, b = self.b
        let chain = try await store.read { engine, storage in try engine.whyLinked(a, b, in: storage) }
        if json {
            Terminal.standardOutput.write(JSONCoding.string(JSONValue.array(chain.map(JSONShapes.link)), pretty: true) + "\n")
            return
        }
        if a == b {
            Terminal.standardOutput.write("\(Escaping.quoted(a)) is the same ID.\n")
            return
        }
        guard !chain.isEmpty else {
            Terminal.standardOutput.write("\(Escaping.quoted(a)) and \(Escaping.quoted(b)) are on one person, but no recorded link joins them (they may predate link records).\n")
            return
        }
        var out = "\(Escaping.quoted(a)) and \(Escaping.quoted(b)) were joined in \(chain.count) step\(chain.count == 1 ? "" : "s"):\n"
        for (index, link) in chain.enumerated() { out += "  \(index + 1). \(Human.link(link))\n" }
        Terminal.standardOutput.write(out)
    }
}
