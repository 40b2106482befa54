import Foundation
import IdentityCore

/// What `identikit ingest` reads for each path it is given: a file as it is; a folder's event files,
/// in name order through its subfolders; a PostHog export manifest's files, in its order.
///
/// PostHog's S3 batch export writes `<start>-<end>[-N].jsonl[.gz|.br|.zst]` files and, when it splits
/// a run into several files, a `<start>-<end>_manifest.json` of `{"files": [S3 keys]}`. The keys
/// include the bucket prefix, so an entry is looked for relative to the manifest's folder, then
/// with its leading folders dropped one at a time (a prefix synced into this folder).
public enum ExportFiles {
    /// The files to ingest, in order, and the folder entries passed over (not event files).
    public struct Listing: Equatable, Sendable {
        public var files: [String]
        public var skipped: [String]
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case emptyFolder(String)
        case badManifest(String, reason: String)
        case missingFile(manifest: String, entry: String, lookedAt: String)

        public var description: String {
            switch self {
            case .emptyFolder(let path):
                "no event files (.jsonl, .ndjson or .json, optionally .gz, .br or .zst) in folder: \(path)"
            case .badManifest(let path, let reason):
                "not a PostHog export manifest ({\"files\": [...]}): \(reason): \(path)"
            case .missingFile(let manifest, let entry, let lookedAt):
                "the manifest names \(entry), which is not here (looked at \(lookedAt); an incomplete download?): \(manifest)"
            }
        }
    }

    public static func expand(_ path: String) throws -> Listing {
        var isDirectory: ObjCBool = false
        if path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return try folder(path)
        }
        if path != "-", isManifestName((path as NSString).lastPathComponent) {
            return Listing(files: try manifestFiles(path), skipped: [])
        }
        if path != "-", startsWithParquetMagic(path) { throw IngestError.parquet(path) }
        return Listing(files: [path], skipped: [])
    }

    /// Read up front, so a Parquet file among the arguments stops the run before anything is stored.
    static func startsWithParquetMagic(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return InputOpener.isParquet([UInt8]((try? handle.read(upToCount: 4)) ?? Data()))
    }

    /// `manifest.json` or PostHog's `<start>-<end>_manifest.json`.
    public static func isManifestName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "manifest.json" || lower.hasSuffix("_manifest.json")
    }

    /// A name that says events: `.jsonl`, `.ndjson` or `.json`, optionally compressed.
    public static func isEventFileName(_ name: String) -> Bool {
        let base = Compression.strippingExtension(name).lowercased()
        return !isManifestName(name) && [".jsonl", ".ndjson", ".json"].contains { base.hasSuffix($0) }
    }

    static func isParquetName(_ name: String) -> Bool {
        Compression.strippingExtension(name).lowercased().hasSuffix(".parquet")
    }

    /// Every event file under `path` in name order; manifests there are checked for files missing.
    static func folder(_ path: String) throws -> Listing {
        let root = URL(fileURLWithPath: path)
        var relative: [String] = []
        var skipped: [String] = []
        var manifests: [String] = []
        let entries = FileManager.default.enumerator(atPath: path)
        while let entry = entries?.nextObject() as? String {
            let name = (entry as NSString).lastPathComponent
            let full = root.appendingPathComponent(entry).path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
            if name.hasPrefix(".") {
                if isDirectory.boolValue { entries?.skipDescendants() }
                continue
            }
            if isDirectory.boolValue { continue }
            if isParquetName(name) { throw IngestError.parquet(full) }
            if isManifestName(name) {
                manifests.append(full)
            } else if isEventFileName(name) {
                relative.append(entry)
            } else {
                skipped.append(full)
            }
        }
        if relative.isEmpty { throw Failure.emptyFolder(path) }
        for manifest in manifests { _ = try manifestFiles(manifest) }
        return Listing(files: relative.sorted(by: nameOrder).map { root.appendingPathComponent($0).path }, skipped: skipped)
    }

    /// The files a manifest names, in its order, each found on disk.
    static func manifestFiles(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileManager.default.fileExists(atPath: path) ? IngestError.unreadable(path, reason: "permission denied")
                : IngestError.fileNotFound(path)
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse([UInt8](data))
        } catch {
            throw Failure.badManifest(path, reason: "not JSON (\(error))")
        }
        guard let entries = value["files"]?.arrayValue else {
            throw Failure.badManifest(path, reason: "no \"files\" list")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try entries.map { entry in
            guard let key = entry.stringValue, !key.isEmpty else {
                throw Failure.badManifest(path, reason: "an entry of \"files\" is not a path: \(JSONCoding.string(entry))")
            }
            if isParquetName(key) { throw IngestError.parquet(key) }
            return try locate(key, from: folder, manifest: path)
        }
    }

    /// The key relative to the manifest's folder, or with its leading folders dropped one at a time.
    static func locate(_ key: String, from folder: URL, manifest: String) throws -> String {
        var components = key.split(separator: "/").map(String.init)
        var tried: [String] = []
        while !components.isEmpty {
            let candidate = folder.appendingPathComponent(components.joined(separator: "/")).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            tried.append(candidate)
            components.removeFirst()
        }
        throw Failure.missingFile(manifest: manifest, entry: key, lookedAt: tried.joined(separator: ", "))
    }

    /// Name order with numbers by value, so `...-2.jsonl.gz` comes before `...-10.jsonl.gz`.
    public static func nameOrder(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8[...], right = rhs.utf8[...]
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        while let a = left.first, let b = right.first {
            if isDigit(a), isDigit(b) {
                let leftRun = left.prefix(while: isDigit), rightRun = right.prefix(while: isDigit)
                let leftValue = leftRun.drop { $0 == 0x30 }, rightValue = rightRun.drop { $0 == 0x30 }
                if leftValue.count != rightValue.count { return leftValue.count < rightValue.count }
                if !leftValue.elementsEqual(rightValue) { return leftValue.lexicographicallyPrecedes(rightValue) }
                left = left.dropFirst(leftRun.count)
                right = right.dropFirst(rightRun.count)
            } else {
                if a != b { return a < b }
                left = left.dropFirst()
                right = right.dropFirst()
            }
        }
        return left.isEmpty && !right.isEmpty || (left.isEmpty && right.isEmpty && lhs < rhs)
    }
}
