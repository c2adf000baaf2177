// Dropout with a counter-based draw, the CPU backend's scheme (CPUBackend+Dropout.swift), so
// that the masks match the CPU's bit for bit: element i is kept when
// mix(mix(i · 0x9E3779B9 ^ low) ^ high) ≥ threshold (threshold = p · 2^32), with low and high
// the halves of one number drawn from the generator per call, mix MurmurHash3's finaliser.
// Shapes: x, y, dy, dx float [n]; mask int8 [n] (0 or 1).
#include "bertkit.cuh"

/// The 32-bit finaliser of MurmurHash3.
__device__ __forceinline__ unsigned int bk_mix(unsigned int h) {
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    return h ^ (h >> 16);
}

/// Forward: y = x · keep · scale (scale = 1 / (1 − p)), keep saved in `mask`.
extern "C" __global__ void dropout_forward(const float* x, unsigned int low, unsigned int high, unsigned int threshold,
                                           float scale, signed char* mask, float* y, i64 n) {
    BK_FOR_EACH(i, n) {
        const unsigned int h = bk_mix(bk_mix((unsigned int)i * 0x9E3779B9u ^ low) ^ high);
        const bool keep = h >= threshold;
        y[i] = keep ? x[i] * scale : 0.0f;
        mask[i] = keep ? 1 : 0;
    }
}

/// Backward of `dropout_forward`: dx = dy · mask · scale.
extern "C" __global__ void dropout_backward(const float* dy, const signed char* mask, float scale, float* dx, i64 n) {
    BK_FOR_EACH(i, n) dx[i] = mask[i] != 0 ? dy[i] * scale : 0.0f;
}
