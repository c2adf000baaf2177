#ifndef BERTKIT_COPENSSL_SHIM_H
#define BERTKIT_COPENSSL_SHIM_H
/* Message digests (SHA-1, MD5) through libcrypto's EVP interface. */
#include <openssl/evp.h>
#endif
