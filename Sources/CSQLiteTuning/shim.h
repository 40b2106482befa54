#ifndef IDENTIKIT_CSQLITETUNING_SHIM_H
#define IDENTIKIT_CSQLITETUNING_SHIM_H
#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call.
// Memory statistics off: with them on (Debian's default), every SQLite allocation takes a global
// mutex to count itself; counted with callgrind, that was 6% of an ingest writer's instructions.
// identikit never reads SQLite's memory counters. Returns SQLITE_MISUSE (and changes nothing) if a
// connection was opened first.
static inline int identikit_sqlite_configure(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
