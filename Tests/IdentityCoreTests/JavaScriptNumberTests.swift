@testable import IdentityCore
import Testing

/// Each expected string is what JavaScript's `String(number)` gives (ECMA-262 Number::toString).
struct JavaScriptNumberTests {
    @Test(arguments: [
        (1.0, "1"), (-7.0, "-7"), (1.5, "1.5"), (-0.0, "0"), (0.001, "0.001"), (0.000001, "0.000001"),
        (1e-7, "1e-7"), (123456.789, "123456.789"), (0.1 + 0.2, "0.30000000000000004"),
        (1e15, "1000000000000000"), (9007199254740993.0, "9007199254740992"),
        (12345678901234567890.0, "12345678901234567000"), (1e20, "100000000000000000000"),
        (1e21, "1e+21"), (1.5e300, "1.5e+300"), (5e-324, "5e-324"), (-2.5e-8, "-2.5e-8"),
        (Double.infinity, "Infinity"), (-Double.infinity, "-Infinity"), (Double.nan, "NaN"),
    ])
    func writesNumbersAsJavaScriptDoes(_ value: Double, _ expected: String) {
        #expect(JavaScriptNumber.string(value) == expected)
    }

    @Test func aNumericAnonymousIDIsTheStringJavaScriptWouldMake() {
        #expect(JSONValue.double(12345678901234567890.0).javaScriptString == "12345678901234567000")
        #expect(JSONValue.double(2.0).javaScriptString == "2")
    }
}
