import Foundation
import IdentityCore

/// Every figure of one run, as a readable table or one JSON object.
struct Report {
    var ingest: IngestBenchmark.Result
    var serve: ServeBenchmark.Result
    var merge: MergeBenchmark.Result
    var explorer: ExplorerBenchmark.Result
    var queries: QueryBenchmark.Result
    var postgres: PostgresBenchmark.Result?
    var quick: Bool
    var totalSeconds: Double

    var json: JSONValue {
        func number(_ value: Double, _ digits: Int = 3) -> JSONValue { Self.number(value, digits) }
        return .object(Self.ingestFields(ingest).merging([
            "mode": .string(quick ? "quick" : "full"),
            "date": .string(Timestamp.format(Date())),
            "merge_ms_1k_events": number(merge.smallMergeMS),
            "merge_ms_large": number(merge.largeMergeMS),
            "merge_large_events": .int(Int64(merge.largeEvents)),
            "merge_scaling_ratio": number(merge.scalingRatio),
            "undo_ms_1k_events": number(merge.smallUndoMS),
            "undo_ms_large": number(merge.largeUndoMS),
            "persons_json_per_second": number(queries.personsPerSecond, 0),
            "person_json_p50_ms": number(queries.personP50MS),
            "person_json_p99_ms": number(queries.personP99MS),
            "total_seconds": number(totalSeconds, 1),
        ]) { $1 }.merging(Self.explorerFields(explorer)) { $1 }.merging(Self.serveFields(serve, ingest: ingest)) { $1 }.merging(postgres.map { Self.postgresFields($0, sqlite: ingest) } ?? [:]) { $1 })
    }

    static func postgresFields(_ postgres: PostgresBenchmark.Result, sqlite: IngestBenchmark.Result) -> [String: JSONValue] {
        [
            "postgres_ingest_events_per_second": number(postgres.eventsPerSecond, 0),
            "postgres_4_writers_events_per_second": number(postgres.fourWritersEventsPerSecond, 0),
            "postgres_4_writers_ratio": number(postgres.fourWritersRatio),
            "postgres_ratio_vs_sqlite": number(postgres.eventsPerSecond / sqlite.eventsPerSecond),
        ].merging(explorerFields(postgres.explorer, prefix: "postgres_")) { $1 }
    }

    static func keysJSON(_ explorer: ExplorerBenchmark.Result) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: explorer.keys.map { key in
            (key.name, JSONValue.object(["p50_ms": number(Measure.median(key.samples)),
                                         "p99_ms": number(Measure.percentile(key.samples, 99)),
                                         "presses": .int(Int64(key.samples.count))]))
        }))
    }

    var text: String {
        func f(_ value: Double, _ digits: Int = 2) -> String { Self.f(value, digits) }
        let rows: [(String, String, String)] = Self.ingestRows(ingest) + Self.serveRows(serve, ingest: ingest) + [
            ("merge, 1,000 IDs", "1,000 events", "\(f(merge.smallMergeMS)) ms"),
            ("merge, 1,000 IDs", "\(merge.largeEvents) events", "\(f(merge.largeMergeMS)) ms"),
            ("  scaling ratio", "goal < 2", f(merge.scalingRatio)),
            ("undo", "1,000 events / \(merge.largeEvents) events", "\(f(merge.smallUndoMS)) / \(f(merge.largeUndoMS)) ms"),
        ] + Self.explorerRows(explorer) + [
            ("persons --json", "\(queries.persons) persons", "\(f(queries.personsPerSecond, 0)) persons/s"),
            ("person ID --json", "p50 / p99", "\(f(queries.personP50MS, 3)) / \(f(queries.personP99MS, 3)) ms"),
        ] + (postgres.map { Self.postgresRows($0, sqlite: ingest) } ?? [])
        return Self.table(rows, title: "identikit-bench (\(quick ? "quick" : "full"), \(f(totalSeconds, 0)) s)")
    }

    /// The explorer's figures; PostgreSQL's carry the prefix `postgres_` (and no event count).
    static func explorerFields(_ explorer: ExplorerBenchmark.Result, prefix: String = "") -> [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "explorer_persons": .int(Int64(explorer.persons)),
            "explorer_first_frame_ms": number(explorer.firstFrameMS),
            "explorer_key_p50_ms": number(Measure.median(explorer.all)),
            "explorer_key_p99_ms": number(Measure.percentile(explorer.all, 99)),
            "explorer_keys": keysJSON(explorer),
            "explorer_substring_search_p99_ms": number(ExplorerBenchmark.p99(explorer, ExplorerBenchmark.substringSearch)),
            "explorer_G_p99_ms": number(ExplorerBenchmark.p99(explorer, ExplorerBenchmark.trueEnd)),
        ]
        if prefix.isEmpty { fields["explorer_events"] = .int(Int64(explorer.events)) }
        return Dictionary(uniqueKeysWithValues: fields.map { (prefix + $0.key, $0.value) })
    }

    static func explorerRows(_ explorer: ExplorerBenchmark.Result, store: String = "", goal: String = "; goal < 100 ms") -> [(String, String, String)] {
        [
            (store + "explorer first frame", "\(explorer.persons) persons, \(explorer.events) events\(goal)", "\(f(explorer.firstFrameMS)) ms"),
        ] + explorer.keys.map { key in
            ("  " + key.name, "p50 / p99 over \(key.samples.count)", "\(f(Measure.median(key.samples))) / \(f(Measure.percentile(key.samples, 99))) ms")
        } + [
            ("  every key", "p50 / p99; goal p99 < 16 ms", "\(f(Measure.median(explorer.all))) / \(f(Measure.percentile(explorer.all, 99))) ms"),
        ]
    }

    static func explorerText(_ explorer: ExplorerBenchmark.Result, postgres: ExplorerBenchmark.Result?) -> String {
        table(explorerRows(explorer) + (postgres.map { explorerRows($0, store: "PostgreSQL ", goal: "") } ?? []), title: "identikit-bench (explorer only)")
    }

    static func explorerJSON(_ explorer: ExplorerBenchmark.Result, postgres: ExplorerBenchmark.Result?) -> JSONValue {
        .object(explorerFields(explorer).merging(postgres.map { explorerFields($0, prefix: "postgres_") } ?? [:]) { $1 })
    }

    static func postgresRows(_ postgres: PostgresBenchmark.Result, sqlite: IngestBenchmark.Result) -> [(String, String, String)] {
        [
            ("PostgreSQL ingest", "the same \(postgres.events) events, one writer", "\(f(postgres.eventsPerSecond, 0)) events/s"),
            ("  ratio to SQLite ingest", "same run", f(postgres.eventsPerSecond / sqlite.eventsPerSecond)),
            ("  four writers at once", "the file in four parts; goal ≥ 1.5x one writer",
             "\(f(postgres.fourWritersEventsPerSecond, 0)) events/s (\(f(postgres.fourWritersRatio))x)"),
        ] + explorerRows(postgres.explorer, store: "PostgreSQL ", goal: "")
    }

    static func serveFields(_ serve: ServeBenchmark.Result, ingest: IngestBenchmark.Result) -> [String: JSONValue] {
        [
            "serve_events_per_second": number(serve.normal.eventsPerSecond, 0),
            "serve_ratio_vs_ingest": number(serve.normal.eventsPerSecond / ingest.eventsPerSecond),
            "serve_single_event_p50_ms": number(Measure.median(serve.normal.probeMS)),
            "serve_single_event_p99_ms": number(Measure.percentile(serve.normal.probeMS, 99)),
            "serve_durable_events_per_second": number(serve.durable.eventsPerSecond, 0),
            "serve_durable_ratio_vs_serve": number(serve.durable.eventsPerSecond / serve.normal.eventsPerSecond),
            "serve_durable_single_event_p50_ms": number(Measure.median(serve.durable.probeMS)),
            "serve_durable_single_event_p99_ms": number(Measure.percentile(serve.durable.probeMS, 99)),
        ]
    }

    static func serveRows(_ serve: ServeBenchmark.Result, ingest: IngestBenchmark.Result) -> [(String, String, String)] {
        let normal = serve.normal, durable = serve.durable
        return [
            ("serve", "\(serve.requests) /batch/ of \(serve.eventsPerRequest) events, \(serve.clients) clients", "\(f(normal.eventsPerSecond, 0)) events/s"),
            ("  ratio to ingest", "same events, same run; goal ≥ 0.7", f(normal.eventsPerSecond / ingest.eventsPerSecond)),
            ("  1-event request under load", "p50 / p99 over \(normal.probeMS.count)",
             "\(f(Measure.median(normal.probeMS))) / \(f(Measure.percentile(normal.probeMS, 99))) ms"),
            ("serve --durable", "synchronous=FULL; ratio to serve \(f(durable.eventsPerSecond / normal.eventsPerSecond))", "\(f(durable.eventsPerSecond, 0)) events/s"),
            ("  1-event request under load", "p50 / p99 over \(durable.probeMS.count)",
             "\(f(Measure.median(durable.probeMS))) / \(f(Measure.percentile(durable.probeMS, 99))) ms"),
        ]
    }

    // MARK: The ingest figures alone (`--ingest-only`) and as part of the full report

    static func ingestFields(_ ingest: IngestBenchmark.Result) -> [String: JSONValue] {
        [
            "ingest_events": .int(Int64(ingest.events)),
            "ingest_persons": .int(Int64(ingest.persons)),
            "ingest_events_per_second": number(ingest.eventsPerSecond, 0),
            "baseline_events_per_second": number(ingest.baselineEventsPerSecond, 0),
            "ingest_ratio_vs_raw_sqlite": number(ingest.ratio),
            "ingest_effects_cost_ratio": number(ingest.effectsCost),
            "ingest_peak_rss_mb": number(ingest.peakRSSMB, 1),
            "ingest_file_mb": number(ingest.fileMB, 1),
            "ingest_rounds": .int(Int64(ingest.rounds)),
        ]
    }

    static func ingestRows(_ ingest: IngestBenchmark.Result) -> [(String, String, String)] {
        [
            ("ingest", "\(ingest.events) events, \(ingest.persons) persons", "\(f(ingest.eventsPerSecond, 0)) events/s"),
            ("  raw SQLite baseline", "same file, 2,000 per commit; best of \(ingest.rounds) rounds each", "\(f(ingest.baselineEventsPerSecond, 0)) events/s"),
            ("  ratio to baseline", "goal ≥ 0.5, aim 0.8", f(ingest.ratio)),
            ("  effects", "time with ÷ without recording effects; goal ≤ 1.05", f(ingest.effectsCost)),
            ("  peak memory (RSS)", "file of \(f(ingest.fileMB, 1)) MB; goal < 150 MB", "\(f(ingest.peakRSSMB, 1)) MB"),
        ]
    }

    static func ingestJSON(_ ingest: IngestBenchmark.Result) -> JSONValue { .object(ingestFields(ingest)) }

    static func serveText(_ serve: ServeBenchmark.Result, ingest: IngestBenchmark.Result) -> String {
        table(ingestRows(ingest) + serveRows(serve, ingest: ingest), title: "identikit-bench (ingest and serve only)")
    }

    static func ingestText(_ ingest: IngestBenchmark.Result) -> String {
        table(ingestRows(ingest), title: "identikit-bench (ingest only)")
    }

    private static func number(_ value: Double, _ digits: Int = 3) -> JSONValue {
        let scale = pow(10, Double(digits))
        return .double((value * scale).rounded() / scale)
    }

    private static func f(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

    private static func table(_ rows: [(String, String, String)], title: String) -> String {
        let widths = (rows.map(\.0.count).max() ?? 0, rows.map(\.1.count).max() ?? 0)
        var out = title + "\n\n"
        for row in rows {
            out += row.0.padding(toLength: widths.0 + 2, withPad: " ", startingAt: 0)
                + row.1.padding(toLength: widths.1 + 2, withPad: " ", startingAt: 0) + row.2 + "\n"
        }
        return out
    }
}
