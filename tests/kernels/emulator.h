// A CPU emulation of the CUDA execution model, enough to run BERTKit's kernels without a GPU:
// one std::thread per CUDA thread, the blocks of a grid one after another, __syncthreads a
// barrier of the block, a warp shuffle an exchange through a per-warp buffer between two
// barriers, __shared__ memory a static (one block runs at a time), atomics under a mutex, and
// the few builtins the kernels call. It checks the kernels' indexing and reductions, not their
// speed or their behaviour under real concurrency (no warp runs ahead of another here).
#pragma once
#include <barrier>
#include <cmath>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>
#include <functional>
#include <memory>
struct dim3 { unsigned x = 1, y = 1, z = 1; };
inline thread_local dim3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
inline std::barrier<>* block_barrier;
inline void __syncthreads() { block_barrier->arrive_and_wait(); }
struct WarpExchange { std::unique_ptr<std::barrier<>> bar; unsigned char buf[32][8]; };
inline std::vector<WarpExchange>* warps;
template <typename T> T __shfl_xor_sync(unsigned, T v, int offset) {
    unsigned linear = threadIdx.y * blockDim.x + threadIdx.x;
    WarpExchange& w = (*warps)[linear / 32];
    unsigned lane = linear % 32;
    std::memcpy(w.buf[lane], &v, sizeof(T));
    w.bar->arrive_and_wait();
    T r; std::memcpy(&r, w.buf[lane ^ offset], sizeof(T));
    w.bar->arrive_and_wait();
    return r;
}
inline std::mutex atomic_mutex;
inline float atomicAdd(float* p, float v) { std::lock_guard<std::mutex> g(atomic_mutex); float o = *p; *p = o + v; return o; }
inline int atomicCAS(int* p, int compare, int v) { std::lock_guard<std::mutex> g(atomic_mutex); int o = *p; if (o == compare) *p = v; return o; }
inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
inline float normcdff(float x) { return 0.5f * std::erfc(-x / std::sqrt(2.0f)); }
#include <math.h>

template <typename... Args, typename... Values>
void launch(void (*kernel)(Args...), dim3 grid, dim3 block, Values... values) {
    gridDim = grid; blockDim = block;
    unsigned threads = block.x * block.y;
    std::vector<WarpExchange> exchange((threads + 31) / 32);
    for (auto& w : exchange) w.bar = std::make_unique<std::barrier<>>(32);
    warps = &exchange;
    for (unsigned by = 0; by < grid.y; by++) for (unsigned bx = 0; bx < grid.x; bx++) {
        std::barrier<> bar(threads);
        block_barrier = &bar;
        std::vector<std::thread> pool;
        for (unsigned ty = 0; ty < block.y; ty++) for (unsigned tx = 0; tx < block.x; tx++) {
            pool.emplace_back([=] { blockIdx = {bx, by, 1}; threadIdx = {tx, ty, 1}; kernel(values...); });
        }
        for (auto& t : pool) t.join();
    }
}
