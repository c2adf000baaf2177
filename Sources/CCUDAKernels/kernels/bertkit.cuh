// Helpers shared by BERTKit's kernels: block reductions over warp shuffles, and the fault
// word through which a kernel reports a bad index to the host.
//
// No CUDA header is included (NVRTC's built-in headers differ between versions): only
// builtins (threadIdx, __shfl_xor_sync, atomics, the math functions) are used. Every block
// size is a multiple of 32 and at most 1024, so every lane of a warp takes part in a shuffle.
#pragma once

typedef long long i64;

#define BK_FULL_MASK 0xffffffffu

/// +infinity, from its bits.
__device__ __forceinline__ float bk_infinity() { return __int_as_float(0x7f800000); }

/// Addition and maximum, the operations the reductions combine values with.
struct BkSum {
    template <typename T> __device__ __forceinline__ T operator()(T a, T b) const { return a + b; }
};
struct BkMax {
    __device__ __forceinline__ float operator()(float a, float b) const { return fmaxf(a, b); }
};

/// `value` combined by `op` over the lanes of a warp, in every lane.
template <typename T, typename Op>
__device__ __forceinline__ T bk_warp_reduce(T value, Op op) {
    for (int offset = 16; offset > 0; offset >>= 1) value = op(value, __shfl_xor_sync(BK_FULL_MASK, value, offset));
    return value;
}

/// `value` combined by `op` over a block (one-dimensional), in every thread; `shared` holds
/// 32 values, `identity` is op's neutral element (what the missing warps contribute).
template <typename T, typename Op>
__device__ __forceinline__ T bk_block_reduce(T value, T* shared, Op op, T identity) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
    value = bk_warp_reduce(value, op);
    __syncthreads();  // an earlier call's readers are done with `shared`
    if (lane == 0) shared[warp] = value;
    __syncthreads();
    return bk_warp_reduce(lane < warps ? shared[lane] : identity, op);
}

/// The sum of `value` over a block, in every thread; `shared` holds 32 floats.
__device__ __forceinline__ float bk_block_sum(float value, float* shared) {
    return bk_block_reduce(value, shared, BkSum(), 0.0f);
}

/// The sum of `value` over a block in double, in every thread; `shared` holds 32 doubles.
__device__ __forceinline__ double bk_block_sum_double(double value, double* shared) {
    return bk_block_reduce(value, shared, BkSum(), 0.0);
}

/// The largest `value` over a block, in every thread; `shared` holds 32 floats.
__device__ __forceinline__ float bk_block_max(float value, float* shared) {
    return bk_block_reduce(value, shared, BkMax(), -bk_infinity());
}

/// Records the first bad index a kernel meets: fault[0] becomes 1, fault[1] the index and
/// fault[2] the number of rows it had to be below. The host reads the word when it next
/// waits for the stream and stops the program with a message.
__device__ __forceinline__ void bk_fault(int* fault, int index, i64 rows) {
    if (atomicCAS(fault, 0, 1) == 0) {
        fault[1] = index;
        fault[2] = (int)rows;
    }
}

/// The index of this thread in a one-dimensional grid, and the grid's size (grid-stride loops).
#define BK_FOR_EACH(i, n) \
    for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64)gridDim.x * blockDim.x)
