import ArgumentParser
import IdentityCore
import SQLiteStore
import Logging

// Options with fixed choices take these enums directly: `--help` lists the values, and a wrong
// value gets ArgumentParser's own error naming the option and the choices.

extension PersonOrder: ExpressibleByArgument {}

extension WarningType: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}
