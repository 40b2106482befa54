import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Watches, from outside, whether some process holds a SQLite store's write lock, without taking it.
///
/// In WAL mode SQLite's unix VFS holds an exclusive POSIX lock on byte 120 of the `-shm` file (the
/// WAL write lock) from a writer's `BEGIN IMMEDIATE` to its `COMMIT` or rollback; `F_GETLK` asks who
/// holds it and changes nothing, so the writer is not slowed. Seeing it held proves a write
/// transaction is open at that moment.
public final class SQLiteWriteLock {
    private let shmPath: String
    private var descriptor: Int32 = -1

    /// The WAL write lock's byte in the -shm file: SQLite's UNIX_SHM_BASE (120) + WAL_WRITE_LOCK (0).
    static let writeLockByte = 120

    public init(store: String) {
        shmPath = store + "-shm"
    }

    /// Whether another process holds the write lock now (false while the -shm file does not exist yet).
    public var isHeld: Bool {
        if descriptor < 0 {
            descriptor = open(shmPath, O_RDONLY | O_CLOEXEC)
            if descriptor < 0 { return false }
        }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(Self.writeLockByte)
        lock.l_len = 1
        guard fcntl(descriptor, F_GETLK, &lock) == 0 else { return false }
        return lock.l_type != Int16(F_UNLCK)
    }

    deinit { if descriptor >= 0 { close(descriptor) } }
}
