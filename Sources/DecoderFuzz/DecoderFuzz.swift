import Foundation
import Ingest

// A libFuzzer target over the event decoders (see docs/reliability.md, "Fuzzing").
//
// Built by Scripts/fuzz with `-sanitize=fuzzer -DFUZZING`, `main` hands control to libFuzzer's
// driver, which calls `fuzzOneInput` with each input it makes. (SwiftPM links every executable's
// entry point as `main`, so libFuzzer's own `main` cannot be used.) In a normal `swift build` the
// same target is a replayer instead: `DecoderFuzz FILE...` runs saved inputs (a crash file, a
// corpus) through the same harness, so a finding can be reproduced without the fuzzer.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        try DecoderHarness.run(bytes)
    } catch {
        // A broken promise is a finding: crash so libFuzzer saves the input.
        fatalError("\(error)")
    }
    return 0
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif

@main
struct DecoderFuzz {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = Optional(CommandLine.unsafeArgv)
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
        #else
        replay(CommandLine.arguments.dropFirst())
        #endif
    }

    static func replay(_ paths: ArraySlice<String>) {
        guard !paths.isEmpty else {
            FileHandle.standardError.write(Data("usage: DecoderFuzz FILE... (replays fuzz inputs through the decoder harness)\n".utf8))
            exit(2)
        }
        var failed = false
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                failed = true
                continue
            }
            do {
                let report = try DecoderHarness.run([UInt8](data))
                print("\(path): ok (\(report.valid) valid, \(report.invalid) invalid, \(report.actions) actions)")
            } catch {
                print("\(path): FAILED: \(error)")
                failed = true
            }
        }
        exit(failed ? 1 : 0)
    }
}
