#ifndef BERTKIT_CHDF5_SHIM_H
#define BERTKIT_CHDF5_SHIM_H
// libhdf5 (Debian's serial build). Its type and property-list ids are macros over globals
// that need H5open() first, so Swift reaches them through these functions.
#include <hdf5.h>
#include <string.h>

static inline hid_t bk_h5_default(void) { return H5P_DEFAULT; }
static inline hid_t bk_h5s_all(void) { return H5S_ALL; }
static inline unsigned bk_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned bk_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline hid_t bk_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t bk_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t bk_h5t_native_int8(void) { return H5T_NATIVE_INT8; }
static inline hid_t bk_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t bk_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t bk_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t bk_h5t_std_i8le(void) { return H5T_STD_I8LE; }
static inline hid_t bk_h5t_std_i32le(void) { return H5T_STD_I32LE; }
static inline hid_t bk_h5t_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t bk_h5t_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t bk_h5t_c_s1(void) { return H5T_C_S1; }
static inline size_t bk_h5t_variable(void) { return H5T_VARIABLE; }

/// Stops libhdf5 from printing its error stack; BERTKit reports errors itself.
static inline void bk_h5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

static herr_t bk_h5_error_walker(unsigned n, const H5E_error2_t *error, void *data) {
    // Walking upward, entry 0 is the innermost: the one that names the cause.
    char *out = (char *)data;
    if (n == 0 && error->desc && error->desc[0]) {
        strncpy(out, error->desc, 511);
        out[511] = 0;
    }
    return 0;
}

/// Copies the description of the innermost entry of libhdf5's error stack into `out`
/// (512 bytes), or leaves it empty.
static inline void bk_h5_last_error(char *out) {
    out[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, bk_h5_error_walker, out);
}
#endif
