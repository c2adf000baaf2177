#ifndef BERTKIT_COPENBLAS_SHIM_H
#define BERTKIT_COPENBLAS_SHIM_H
// OpenBLAS's cblas.h, found through pkg-config `openblas` (Debian's libopenblas-dev puts it
// in /usr/include/<triplet>/openblas-pthread/). It also declares openblas_set_num_threads.
#include <cblas.h>
#endif
