#ifndef BERTKIT_CCUDAKERNELS_H
#define BERTKIT_CCUDAKERNELS_H
#include <stddef.h>

/// One CUDA C++ source file of the kernels, embedded in the binary: its file name, its bytes
/// (not NUL-terminated) and their count.
typedef struct {
    const char *name;
    const unsigned char *bytes;
    size_t size;
} bertkit_kernel_file;

/// The number of embedded kernel files (the shared header first, then the .cu files).
size_t bertkit_kernel_file_count(void);
/// The embedded kernel file at `index`, below `bertkit_kernel_file_count()`.
bertkit_kernel_file bertkit_kernel_file_at(size_t index);
#endif
