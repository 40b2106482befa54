#ifndef IDENTIKIT_CZLIB_SHIM_H
#define IDENTIKIT_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 is a macro, which Swift cannot call. 15 + 32: largest window, gzip or zlib header detected.
static inline int identikit_inflate_init(z_streamp stream) {
    return inflateInit2(stream, 15 + 32);
}
#endif
