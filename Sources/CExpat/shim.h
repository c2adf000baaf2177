#ifndef BERTKIT_CEXPAT_SHIM_H
#define BERTKIT_CEXPAT_SHIM_H
#include <expat.h>
#endif
