#include "CSampleCorpus.h"

#pragma clang diagnostic ignored "-Wc23-extensions"
const unsigned char bertkit_sample_dump[] = {
#embed "sample-wiki.xml.bz2"
};
const size_t bertkit_sample_dump_size = sizeof(bertkit_sample_dump);
