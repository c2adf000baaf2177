// Softmax over the rows of a matrix with an optional additive mask (CPUBackend+Softmax.swift):
// one block per row, max and sum by warp shuffles, in float32.
// Shapes: x, y, dy, dx [rows, columns]; mask [rows / rowsPerMaskRow, columns] or null.
#include "bertkit.cuh"

/// Forward: y = softmax(scale · x + mask[row / rowsPerMaskRow]) row by row.
extern "C" __global__ void softmax_forward(const float* x, float scale, const float* mask, i64 rowsPerMaskRow,
                                           float* y, int columns) {
    __shared__ float shared[32];
    const i64 row = blockIdx.x;
    const float* in = x + row * columns;
    const float* additive = mask ? mask + row / rowsPerMaskRow * columns : 0;
    float* out = y + row * columns;
    float largest = -bk_infinity();
    for (int c = threadIdx.x; c < columns; c += blockDim.x) {
        const float score = in[c] * scale + (additive ? additive[c] : 0.0f);
        out[c] = score;
        largest = fmaxf(largest, score);
    }
    const float maximum = bk_block_max(largest, shared);
    float sum = 0.0f;
    for (int c = threadIdx.x; c < columns; c += blockDim.x) {
        const float exponential = expf(out[c] - maximum);
        out[c] = exponential;
        sum += exponential;
    }
    const float inverse = 1.0f / bk_block_sum(sum, shared);
    for (int c = threadIdx.x; c < columns; c += blockDim.x) out[c] *= inverse;
}

/// Backward of `softmax_forward`: dx = scale · y · (dy − Σ dy·y) row by row. dx may be dy.
extern "C" __global__ void softmax_backward(const float* dy, const float* y, float scale, float* dx, int columns) {
    __shared__ float shared[32];
    const i64 offset = (i64)blockIdx.x * columns;
    float dot = 0.0f;
    for (int c = threadIdx.x; c < columns; c += blockDim.x) dot += dy[offset + c] * y[offset + c];
    const float total = bk_block_sum(dot, shared);
    for (int c = threadIdx.x; c < columns; c += blockDim.x) {
        dx[offset + c] = scale * y[offset + c] * (dy[offset + c] - total);
    }
}
