import Foundation
import IdentityCore
import Testing

/// `Timestamp.parse` reads the times events carry, including PostHog's exports' form, and gives
/// the same instant as Foundation's ISO-8601 reader for every form that reader knows.
@Suite("timestamps")
struct TimestampTests {
    static let instant = Date(timeIntervalSince1970: 1_704_164_645.123456)  // 2024-01-02T03:04:05.123456Z

    @Test(arguments: [
        "2024-01-02T03:04:05.123456Z",
        "2024-01-02T03:04:05.123456",       // no zone: UTC, as PostHog's ClickHouse writes it
        "2024-01-02 03:04:05.123456",       // PostHog's events export
        "2024-01-02 03:04:05.123456Z",
        "2024-01-02T03:04:05.123456+00:00", // Python's isoformat()
        "2024-01-02T04:34:05.123456+01:30",
        "2024-01-01T22:04:05.123456-0500",
        "2024-01-02T03:04:05.123456789Z",   // nanoseconds
    ])
    func exportFormsAllReadAsTheSameInstant(text: String) throws {
        let date = try #require(Timestamp.parse(text), "\(text) was not read")
        #expect(abs(date.timeIntervalSince1970 - Self.instant.timeIntervalSince1970) < 0.000_002, "\(text)")
        #expect(Timestamp.format(date) == "2024-01-02T03:04:05.123Z")
    }

    @Test func wholeSecondsMinutesOnlyAndLeapDaysRead() {
        #expect(Timestamp.parse("2024-01-02 03:04:05") == Date(timeIntervalSince1970: 1_704_164_645))
        #expect(Timestamp.parse("2024-01-02T03:04Z") == Date(timeIntervalSince1970: 1_704_164_640))
        #expect(Timestamp.parse("2024-02-29T00:00:00Z") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(Timestamp.parse("1969-12-31T23:59:59Z") == Date(timeIntervalSince1970: -1))
    }

    @Test(arguments: [
        // (Foundation's reader, still the fallback for other forms, is lenient: it takes 2023-02-29
        // as March 1st and 24:00 as the next day, as identikit always has.)
        "", "2024", "2024-01-02", "2024-13-01T00:00:00Z", "2024-01-02X03:04:05Z", "2024-01-02T03:04:05.Z",
        "2024-01-02T03:04:05+25:00", "yesterday",
    ])
    func malformedTimesAreNotRead(text: String) {
        #expect(Timestamp.parse(text) == nil, "\(text) was read")
    }

    /// A millisecond time read and written again is the same text (Foundation's style alone lost a
    /// millisecond on about one time in twenty), and reads as the instant Foundation reads, to a microsecond.
    @Test func millisecondTimesRoundTripAndAgreeWithFoundation() throws {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let milliseconds = Int64.random(in: -2_208_988_800_000...4_102_444_800_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let text = Timestamp.format(date)
            let ours = try #require(Timestamp.parse(text), "\(text)")
            #expect(Timestamp.format(ours) == text)
            #expect(abs(ours.timeIntervalSince1970 - (try style.parse(text)).timeIntervalSince1970) < 0.000_001, "\(text)")
            #expect(abs(ours.timeIntervalSince1970 - Double(milliseconds) / 1000) < 0.000_001, "\(text)")
        }
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
    }
}
