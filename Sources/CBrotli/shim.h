#ifndef IDENTIKIT_CBROTLI_SHIM_H
#define IDENTIKIT_CBROTLI_SHIM_H
// Brotli's streaming decoder from the system (Debian: libbrotli-dev).
#include <brotli/decode.h>
#endif
