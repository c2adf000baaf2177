// Reductions: column sums (the gradients of biases and of LayerNorm's gamma and beta) and the
// sum (of squares) of a whole tensor, in a fixed order so that results repeat from run to run
// (CPUBackend+Reductions.swift, CPUBackend+Elementwise.swift's accumulateColumnSums).
#include "bertkit.cuh"

/// target[c] += Σ_r term(r, c), term = dy[r, c], or x̂[r, c] · dy[r, c] with
/// x̂ = (x − mean[r]) · rstd[r] when x is given (LayerNorm's dGamma): the backward of
/// `add_bias` and LayerNorm's parameter gradients. Blocks of 32 × 16 threads: each block owns
/// 32 columns, its 16 rows of threads take every 16th row, then add up in shared memory.
/// Shapes: dy, x [rows, columns]; mean, rstd [rows]; target [columns].
extern "C" __global__ void column_sums(const float* dy, const float* x, const float* mean, const float* rstd, i64 rows,
                                       int columns, float* target) {
    __shared__ float partial[16][33];
    const int column = blockIdx.x * 32 + threadIdx.x;
    float sum = 0.0f;
    if (column < columns) {
        for (i64 r = threadIdx.y; r < rows; r += 16) {
            const float gradient = dy[r * columns + column];
            sum += x ? (x[r * columns + column] - mean[r]) * rstd[r] * gradient : gradient;
        }
    }
    partial[threadIdx.y][threadIdx.x] = sum;
    __syncthreads();
    if (threadIdx.y == 0 && column < columns) {
        float total = 0.0f;
        for (int k = 0; k < 16; k++) total += partial[k][threadIdx.x];
        target[column] += total;
    }
}

/// Σ x (or Σ x² when `squared`) over blocks of 8192 elements, each in float by a block of 256
/// threads, written to partials[block] in double. Shapes: x [n]; partials [⌈n / 8192⌉].
extern "C" __global__ void sum_blocks(const float* x, i64 n, int squared, double* partials) {
    __shared__ float shared[32];
    const i64 start = (i64)blockIdx.x * 8192;
    const i64 end = start + 8192 < n ? start + 8192 : n;
    float sum = 0.0f;
    for (i64 i = start + threadIdx.x; i < end; i += blockDim.x) sum += squared ? x[i] * x[i] : x[i];
    const float total = bk_block_sum(sum, shared);
    if (threadIdx.x == 0) partials[blockIdx.x] = (double)total;
}

/// result[0] = Σ partials, in double, by one block. Shapes: partials [count]; result [1].
extern "C" __global__ void sum_doubles(const double* partials, i64 count, double* result) {
    __shared__ double shared[32];
    double sum = 0.0;
    for (i64 i = threadIdx.x; i < count; i += blockDim.x) sum += partials[i];
    const double total = bk_block_sum_double(sum, shared);
    if (threadIdx.x == 0) result[0] = total;
}
