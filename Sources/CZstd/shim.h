#ifndef IDENTIKIT_CZSTD_SHIM_H
#define IDENTIKIT_CZSTD_SHIM_H
// zstd's streaming decoder from the system (Debian: libzstd-dev).
#include <zstd.h>
#endif
