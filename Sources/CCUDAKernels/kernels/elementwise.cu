// The elementwise operations of the Backend protocol (CPUBackend+Elementwise.swift), one
// thread per element in grid-stride loops. Shapes: every tensor [n] unless stated.
#include "bertkit.cuh"

// Activation codes, as CUDABackend passes them: 0 GELU (erf form), 1 tanh, 2 ReLU, 3 sigmoid.

/// Forward: c = a + b.
extern "C" __global__ void add(const float* a, const float* b, float* c, i64 n) {
    BK_FOR_EACH(i, n) c[i] = a[i] + b[i];
}

/// Forward: y = factor · x (its own backward).
extern "C" __global__ void scale(const float* x, float factor, float* y, i64 n) {
    BK_FOR_EACH(i, n) y[i] = x[i] * factor;
}

/// Forward: x[r, c] += bias[c].  Shapes: x [rows, columns], bias [columns].
/// (Backward: `column_sums` in reductions.cu.)
extern "C" __global__ void add_bias(float* x, const float* bias, i64 rows, int columns) {
    BK_FOR_EACH(i, rows * columns) x[i] += bias[i % columns];
}

/// Forward: y = f(x).
extern "C" __global__ void activate(int function, const float* x, float* y, i64 n) {
    BK_FOR_EACH(i, n) {
        const float v = x[i];
        float r;
        switch (function) {
        case 0: r = v * normcdff(v); break;
        case 1: r = tanhf(v); break;
        case 2: r = v > 0.0f ? v : 0.0f; break;
        default: r = 1.0f / (1.0f + expf(-v)); break;
        }
        y[i] = r;
    }
}

/// Backward of `activate`: dx = dy · f′(x), from x (GELU, ReLU) or y = f(x) (tanh, sigmoid).
extern "C" __global__ void activate_backward(int function, const float* x, const float* y, const float* dy,
                                             float* dx, i64 n) {
    BK_FOR_EACH(i, n) {
        const float g = dy[i];
        float r;
        switch (function) {
        case 0: {
            const float v = x[i];
            r = g * (normcdff(v) + v * 0.3989422804014327f * expf(-0.5f * v * v));
            break;
        }
        case 1: r = g * (1.0f - y[i] * y[i]); break;
        case 2: r = x[i] > 0.0f ? g : 0.0f; break;
        default: r = g * y[i] * (1.0f - y[i]); break;
        }
        dx[i] = r;
    }
}

/// Forward: y = gate · a + (1 − gate) · b, computed as b + gate · (a − b) like the CPU.
extern "C" __global__ void gated_mix(const float* gate, const float* a, const float* b, float* y, i64 n) {
    BK_FOR_EACH(i, n) y[i] = b[i] + gate[i] * (a[i] - b[i]);
}

/// Backward of `gated_mix`: dGate = dy·(a − b), dA = dy·gate, dB = dy·(1 − gate).
extern "C" __global__ void gated_mix_backward(const float* gate, const float* a, const float* b, const float* dy,
                                              float* dGate, float* dA, float* dB, i64 n) {
    BK_FOR_EACH(i, n) {
        const float g = gate[i], d = dy[i];
        dGate[i] = d * (a[i] - b[i]);
        dA[i] = d * g;
        dB[i] = d * (1.0f - g);
    }
}
