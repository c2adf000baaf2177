#ifndef BERTKIT_CSAMPLECORPUS_H
#define BERTKIT_CSAMPLECORPUS_H
#include <stddef.h>

/// The bundled sample MediaWiki dump (bzip2-compressed XML), embedded in the binary.
const unsigned char *bertkit_sample_dump_addr(void);
/// The size of the bundled sample dump in bytes.
extern const size_t bertkit_sample_dump_size;
#endif
