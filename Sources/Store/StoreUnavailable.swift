/// An error that says the store cannot take any write at the moment (its server is down, its disk
/// is full, it is read-only), not that something was wrong with what was written. Writers that
/// group several requests fail them together instead of trying each alone against the same wall.
public protocol StoreUnavailable: Error {
    var refusesEveryWrite: Bool { get }
}
