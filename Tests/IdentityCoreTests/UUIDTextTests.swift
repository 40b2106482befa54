import Foundation
import IdentityCore
import Testing

/// The hand-written uuid text functions agree with Foundation's on every input shape.
@Suite("UUID text without Foundation's formatter")
struct UUIDTextTests {
    @Test func formattingMatchesFoundation() {
        for _ in 0..<2000 {
            let uuid = UUID()
            #expect(uuid.lowercased == uuid.uuidString.lowercased())
        }
    }

    @Test func parsingMatchesFoundation() {
        var inputs = (0..<500).map { _ in UUID().uuidString }
        inputs += inputs.map { $0.lowercased() }
        inputs += [
            "", "not a uuid", "0188d1f6-0000-4000-8000-00000000001", "0188d1f6-0000-4000-8000-0000000000011",
            "0188d1f6x0000-4000-8000-000000000001", "0188d1f6-0000-4000-8000-00000000000g",
            "{0188d1f6-0000-4000-8000-000000000001}", "0188d1f600004000800000000000000100aa",
            "0188D1F6-0000-4000-8000-00000000000A", "é188d1f6-0000-4000-8000-00000000000",
        ]
        for text in inputs {
            #expect(UUID(text: text) == UUID(uuidString: text), "\(text)")
        }
    }
}
