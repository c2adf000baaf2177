#ifndef BERTKIT_CMPI_SHIM_H
#define BERTKIT_CMPI_SHIM_H
// OpenMPI (Debian's libopenmpi-dev). Its handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, …) are
// macros over the addresses of globals, and its thread levels and error classes are macros
// too, so Swift reaches them through these functions.
#include <mpi.h>
#include <stdint.h>
#include <string.h>

static inline MPI_Comm bk_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype bk_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype bk_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype bk_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype bk_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype bk_mpi_uint16(void) { return MPI_UINT16_T; }
static inline MPI_Op bk_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op bk_mpi_max(void) { return MPI_MAX; }
static inline void *bk_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int bk_mpi_comm_type_shared(void) { return MPI_COMM_TYPE_SHARED; }
static inline MPI_Info bk_mpi_info_null(void) { return MPI_INFO_NULL; }
static inline int bk_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int bk_mpi_success(void) { return MPI_SUCCESS; }
static inline int bk_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
/// Makes errors return codes instead of aborting, so that BERTKit can name the operation.
static inline int bk_mpi_errors_return(void) { return MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN); }

/// A float rounded to bfloat16 (to nearest, ties to even; a NaN stays a NaN).
static inline uint16_t bk_bfloat16(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40u);
    return (uint16_t)((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

/// The float a bfloat16 stands for, exactly.
static inline float bk_float(uint16_t value) {
    uint32_t bits = (uint32_t)value << 16;
    float result;
    memcpy(&result, &bits, sizeof result);
    return result;
}

/// Rounds `count` floats to bfloat16.
static inline void bk_to_bfloat16(const float *values, uint16_t *out, long count) {
    for (long i = 0; i < count; i++) out[i] = bk_bfloat16(values[i]);
}

/// Widens `count` bfloat16 values to floats.
static inline void bk_from_bfloat16(const uint16_t *values, float *out, long count) {
    for (long i = 0; i < count; i++) out[i] = bk_float(values[i]);
}

/// MPI's reduction of bfloat16 values: each pair added in float and rounded back, as NCCL's
/// bfloat16 sum does.
static void bk_bfloat16_sum(void *in, void *inout, int *count, MPI_Datatype *type) {
    (void)type;
    const uint16_t *a = (const uint16_t *)in;
    uint16_t *b = (uint16_t *)inout;
    for (int i = 0; i < *count; i++) b[i] = bk_bfloat16(bk_float(a[i]) + bk_float(b[i]));
}

/// Creates the bfloat16 sum as an MPI operation (commutative).
static inline int bk_mpi_bfloat16_sum(MPI_Op *op) { return MPI_Op_create(bk_bfloat16_sum, 1, op); }

#endif
