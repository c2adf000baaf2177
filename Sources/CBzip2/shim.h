#ifndef BERTKIT_CBZIP2_SHIM_H
#define BERTKIT_CBZIP2_SHIM_H
#include <bzlib.h>
#endif
