// Rows and positions (CPUBackend+Rows.swift): embedding gather and scatter-add, column
// blocks of a concatenation, and the head split of attention. One thread per element.
#include "bertkit.cuh"

/// Forward: y[i] = table[indices[i]] (+= when `accumulate`). A bad index is reported through
/// `fault` and its row left alone.  Shapes: table [tableRows, columns]; indices int32 [n];
/// y [n, columns].
extern "C" __global__ void gather_rows(const float* table, i64 tableRows, const int* indices, float* y, i64 n,
                                       int columns, int accumulate, int* fault) {
    BK_FOR_EACH(i, n * columns) {
        const i64 row = i / columns;
        const int index = indices[row];
        if (index < 0 || index >= tableRows) {
            bk_fault(fault, index, tableRows);
            continue;
        }
        const float value = table[(i64)index * columns + i % columns];
        y[i] = accumulate ? y[i] + value : value;
    }
}

/// Backward of `gather_rows`: dTable[indices[i]] += dy[i] by atomic adds (repeated indices
/// add up, in no fixed order), leaving out rows whose index is `skip` when `hasSkip`.
/// Shapes: dy [n, columns]; indices int32 [n]; dTable [tableRows, columns].
extern "C" __global__ void scatter_add_rows(const float* dy, const int* indices, i64 n, int columns, float* dTable,
                                            i64 tableRows, int hasSkip, int skip, int* fault) {
    BK_FOR_EACH(i, n * columns) {
        const int index = indices[i / columns];
        if (hasSkip && index == skip) continue;
        if (index < 0 || index >= tableRows) {
            bk_fault(fault, index, tableRows);
            continue;
        }
        atomicAdd(dTable + (i64)index * columns + i % columns, dy[i]);
    }
}

/// Forward (`intoWide`): wide[r, column + f] = narrow[r, f]; backward (not `intoWide`): the
/// reverse copy.  Shapes: wide [rows, width]; narrow [rows, block].
extern "C" __global__ void copy_columns(float* wide, float* narrow, i64 rows, int width, int block, int column,
                                        int intoWide) {
    BK_FOR_EACH(i, rows * block) {
        const i64 w = i / block * width + column + i % block;
        if (intoWide) wide[w] = narrow[i]; else narrow[i] = wide[w];
    }
}

/// Forward and backward (its own inverse with the shapes swapped): y[i, k, j, d] = x[i, j, k, d].
/// Shapes: x [a, b, c, d] → y [a, c, b, d].
extern "C" __global__ void swap_middle_axes(const float* x, float* y, i64 a, i64 b, i64 c, i64 d) {
    BK_FOR_EACH(index, a * b * c * d) {
        const i64 dd = index % d, rest = index / d;
        const i64 j = rest % b, rest2 = rest / b;
        const i64 k = rest2 % c, i = rest2 / c;
        y[index] = x[((i * b + j) * c + k) * d + dd];
    }
}
