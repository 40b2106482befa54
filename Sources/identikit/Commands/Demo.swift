import ArgumentParser
import Foundation

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build a demo store (placeholder).")
    func run() throws {}
}
