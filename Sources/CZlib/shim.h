#ifndef BERTKIT_CZLIB_SHIM_H
#define BERTKIT_CZLIB_SHIM_H
// zlib, for compressing HDF5 chunks exactly as HDF5's deflate filter does.
#include <zlib.h>
#endif
