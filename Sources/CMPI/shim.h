#ifndef BERTKIT_CMPI_SHIM_H
#define BERTKIT_CMPI_SHIM_H
// OpenMPI (Debian's libopenmpi-dev). Its handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, …) are
// macros over the addresses of globals, and its thread levels and error classes are macros
// too, so Swift reaches them through these functions.
#include <mpi.h>

static inline MPI_Comm bk_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype bk_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype bk_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype bk_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype bk_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op bk_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op bk_mpi_max(void) { return MPI_MAX; }
static inline void *bk_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int bk_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int bk_mpi_success(void) { return MPI_SUCCESS; }
static inline int bk_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
/// Makes errors return codes instead of aborting, so that BERTKit can name the operation.
static inline int bk_mpi_errors_return(void) { return MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN); }

#endif
