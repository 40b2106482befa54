import Foundation
import Store

/// Why a store could not be opened or written, worded for the person at the terminal.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case directoryMissing(path: String)
    case notWritable(path: String, reason: String)
    case notASQLiteFile(path: String)
    case newerSchema(path: String, storeVersion: Int, supportedVersion: Int)
    case openFailed(path: String, reason: String)
    case readOnly(path: String)
    /// SQLite answered SQLITE_FULL: the file system has no room for the store, its log or a temporary file.
    case diskFull(path: String)

    public var description: String {
        switch self {
        case .directoryMissing(let path):
            "cannot create the store: the directory \((path as NSString).deletingLastPathComponent) does not exist: \(path)"
        case .notWritable(let path, let reason):
            "cannot write the store: \(reason): \(path)"
        case .notASQLiteFile(let path):
            "not an identikit store (the file is not SQLite): \(path)"
        case .newerSchema(let path, let storeVersion, let supportedVersion):
            "the store was written by a newer identikit (store schema \(storeVersion), this identikit knows up to \(supportedVersion)); upgrade identikit to open it: \(path)"
        case .openFailed(let path, let reason):
            "cannot open the store: \(reason): \(path)"
        case .readOnly(let path):
            "cannot write the store: it is read-only; browsing works, changes do not: \(path)"
        case .diskFull(let path):
            "cannot write the store: disk full (the transaction was rolled back; free some space): \(path)"
        }
    }
}

extension StoreError: StoreUnavailable {
    /// A full disk or a read-only store refuses any write, whoever sends it.
    public var refusesEveryWrite: Bool {
        switch self {
        case .diskFull, .readOnly, .notWritable: true
        default: false
        }
    }
}
