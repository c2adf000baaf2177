#ifndef BERTKIT_CDEFLATE_SHIM_H
#define BERTKIT_CDEFLATE_SHIM_H
// libdeflate: zlib-format streams, as HDF5's gzip (deflate) filter stores chunks, made
// several times faster than zlib's at the same level.
#include <libdeflate.h>
#endif
