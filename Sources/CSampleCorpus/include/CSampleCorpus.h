#ifndef BERTKIT_CSAMPLECORPUS_H
#define BERTKIT_CSAMPLECORPUS_H
#include <stddef.h>

/// The bundled sample MediaWiki dump (bzip2-compressed XML), embedded in the binary.
extern const unsigned char bertkit_sample_dump[];
/// The size of `bertkit_sample_dump` in bytes.
extern const size_t bertkit_sample_dump_size;
#endif
