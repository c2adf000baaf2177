#include "CSampleCorpus.h"

#pragma clang diagnostic ignored "-Wc23-extensions"
static const unsigned char sample_dump[] = {
#embed "sample-wiki.xml.bz2"
};
const size_t bertkit_sample_dump_size = sizeof(sample_dump);

const unsigned char *bertkit_sample_dump_addr(void) { return sample_dump; }
