import CHDF5
import Support

/// An HDF5 file opened through libhdf5: the datasets and attributes of its root group.
///
/// Only the root group is used: pre-training files keep every dataset there. libhdf5's own
/// error printing is off; failures come back as `BERTKitError`s naming the file and the
/// cause libhdf5 reports.
public final class HDF5File {
    /// The file's path.
    public let path: String
    let id: hid_t
    private var isOpen = true

    private init(path: String, id: hid_t) {
        self.path = path
        self.id = id
    }

    /// Creates (or truncates) the file at `path` for writing.
    public static func create(path: String) throws -> HDF5File {
        bk_h5_silence_errors()
        let id = H5Fcreate(path, bk_h5f_acc_trunc(), bk_h5_default(), bk_h5_default())
        guard id >= 0 else { throw HDF5File.error(path, "cannot create the HDF5 file") }
        return HDF5File(path: path, id: id)
    }

    /// Creates a file in memory, to be taken out with `image()`: a disk that fills up then
    /// fails an ordinary write of the image, never libhdf5 half-way through a file. `name`
    /// names it in errors.
    public static func createInMemory(name: String) throws -> HDF5File {
        bk_h5_silence_errors()
        let access = H5Pcreate(bk_h5p_file_access())
        defer { H5Pclose(access) }
        guard access >= 0, H5Pset_fapl_core(access, 1 << 20, false) >= 0 else {
            throw HDF5File.error(name, "cannot set up an in-memory HDF5 file")
        }
        let id = H5Fcreate(name, bk_h5f_acc_trunc(), bk_h5_default(), access)
        guard id >= 0 else { throw HDF5File.error(name, "cannot create the HDF5 file") }
        return HDF5File(path: name, id: id)
    }

    /// The bytes of the whole file as it would be on disk (flushed first).
    public func image() throws -> [UInt8] {
        guard H5Fflush(id, H5F_SCOPE_GLOBAL) >= 0 else { throw HDF5File.error(path, "cannot flush the file") }
        let size = H5Fget_file_image(id, nil, 0)
        guard size > 0 else { throw HDF5File.error(path, "cannot take the file's image") }
        var bytes = [UInt8](repeating: 0, count: size)
        guard H5Fget_file_image(id, &bytes, size) == size else { throw HDF5File.error(path, "cannot take the file's image") }
        return bytes
    }

    /// Opens the existing file at `path` read-only.
    public static func open(path: String) throws -> HDF5File {
        bk_h5_silence_errors()
        guard FileSystem.exists(path) else { throw BERTKitError(file: path, "no such file") }
        guard H5Fis_hdf5(path) > 0 else { throw BERTKitError(file: path, "is not an HDF5 file") }
        let id = H5Fopen(path, bk_h5f_acc_rdonly(), bk_h5_default())
        guard id >= 0 else { throw HDF5File.error(path, "cannot open the HDF5 file") }
        return HDF5File(path: path, id: id)
    }

    deinit {
        if isOpen { H5Fclose(id) }
    }

    /// Flushes and closes the file, reporting a failed write (a full disk) as an error.
    public func close() throws {
        guard isOpen else { return }
        isOpen = false
        guard H5Fclose(id) >= 0 else { throw HDF5File.error(path, "write failed") }
    }

    /// The names of the root group's datasets, in name order.
    public var datasetNames: [String] {
        var info = H5G_info_t()
        guard H5Gget_info(id, &info) >= 0 else { return [] }
        var names: [String] = []
        for index in 0..<info.nlinks {
            let length = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, bk_h5_default())
            guard length > 0 else { continue }
            var bytes = [CChar](repeating: 0, count: Int(length) + 1)
            H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &bytes, bytes.count, bk_h5_default())
            let object = H5Oopen(id, bytes, bk_h5_default())
            guard object >= 0 else { continue }
            if H5Iget_type(object) == H5I_DATASET { names.append(String(cString: bytes)) }
            H5Oclose(object)
        }
        return names
    }

    /// The root group's dataset `name`.
    public func dataset(_ name: String) throws -> HDF5Dataset {
        let dataset = H5Dopen2(id, name, bk_h5_default())
        guard dataset >= 0 else { throw HDF5File.error(path, "cannot open dataset '\(name)'") }
        return try HDF5Dataset(file: self, name: name, id: dataset)
    }

    /// Creates a dataset of `shape` under the root group, chunked by `chunkRows` rows along
    /// the first dimension, gzip-compressed at `compressionLevel` (0: no compression filter).
    public func createDataset(_ name: String, type: HDF5ElementType, shape: [Int], chunkRows: Int,
                              compressionLevel: Int) throws -> HDF5Dataset {
        let dimensions = shape.map { hsize_t($0) }
        var chunk = dimensions
        chunk[0] = hsize_t(max(1, min(chunkRows, shape[0])))
        let space = H5Screate_simple(Int32(dimensions.count), dimensions, nil)
        let properties = H5Pcreate(bk_h5p_dataset_create())
        defer {
            H5Sclose(space)
            H5Pclose(properties)
        }
        // No modification times in object headers: the same data makes the same bytes.
        guard space >= 0, properties >= 0, H5Pset_obj_track_times(properties, false) >= 0,
              H5Pset_chunk(properties, Int32(chunk.count), chunk) >= 0,
              compressionLevel == 0 || H5Pset_deflate(properties, UInt32(compressionLevel)) >= 0 else {
            throw HDF5File.error(path, "cannot describe dataset '\(name)'")
        }
        let dataset = H5Dcreate2(id, name, type.fileType, space, bk_h5_default(), properties, bk_h5_default())
        guard dataset >= 0 else { throw HDF5File.error(path, "cannot create dataset '\(name)'") }
        return try HDF5Dataset(file: self, name: name, id: dataset)
    }

    /// Writes an attribute of the root group, replacing one of the same name.
    public func setAttribute(_ name: String, _ value: HDF5AttributeValue) throws {
        if H5Aexists(id, name) > 0 { H5Adelete(id, name) }
        let type: hid_t
        switch value {
        case .integer: type = H5Tcopy(bk_h5t_std_i64le())
        case .real: type = H5Tcopy(bk_h5t_ieee_f64le())
        case .string:
            type = H5Tcopy(bk_h5t_c_s1())
            H5Tset_size(type, bk_h5t_variable())
            H5Tset_cset(type, H5T_CSET_UTF8)
        }
        let space = H5Screate(H5S_SCALAR)
        let attribute = H5Acreate2(id, name, type, space, bk_h5_default(), bk_h5_default())
        defer {
            if attribute >= 0 { H5Aclose(attribute) }
            H5Sclose(space)
            H5Tclose(type)
        }
        guard attribute >= 0 else { throw HDF5File.error(path, "cannot create attribute '\(name)'") }
        let status: herr_t
        switch value {
        case .integer(var integer): status = H5Awrite(attribute, bk_h5t_native_int64(), &integer)
        case .real(var real): status = H5Awrite(attribute, bk_h5t_native_double(), &real)
        case .string(let string):
            status = string.withCString { characters in
                var pointer: UnsafePointer<CChar>? = characters
                return H5Awrite(attribute, type, &pointer)
            }
        }
        guard status >= 0 else { throw HDF5File.error(path, "cannot write attribute '\(name)'") }
    }

    /// The root group's attribute `name`, or nil when it is absent or of another kind than
    /// a scalar integer, float or string.
    public func attribute(_ name: String) -> HDF5AttributeValue? {
        guard H5Aexists(id, name) > 0 else { return nil }
        let attribute = H5Aopen(id, name, bk_h5_default())
        guard attribute >= 0 else { return nil }
        let type = H5Aget_type(attribute)
        defer {
            H5Tclose(type)
            H5Aclose(attribute)
        }
        switch H5Tget_class(type) {
        case H5T_INTEGER:
            var value: Int64 = 0
            return H5Aread(attribute, bk_h5t_native_int64(), &value) >= 0 ? .integer(value) : nil
        case H5T_FLOAT:
            var value: Double = 0
            return H5Aread(attribute, bk_h5t_native_double(), &value) >= 0 ? .real(value) : nil
        case H5T_STRING:
            if H5Tis_variable_str(type) > 0 {
                var pointer: UnsafeMutablePointer<CChar>?
                guard H5Aread(attribute, type, &pointer) >= 0, let pointer else { return nil }
                defer { H5free_memory(pointer) }
                return .string(String(cString: pointer))
            }
            let size = H5Tget_size(type)
            var bytes = [UInt8](repeating: 0, count: size + 1)
            guard H5Aread(attribute, type, &bytes) >= 0 else { return nil }
            return .string(String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self))
        default:
            return nil
        }
    }

    /// A `BERTKitError` naming the file, with libhdf5's innermost reason when it gave one.
    static func error(_ path: String, _ message: String) -> BERTKitError {
        var reason = [CChar](repeating: 0, count: 512)
        bk_h5_last_error(&reason)
        let text = String(cString: reason)
        // The POSIX driver's description carries the system's words: "error message = '…'".
        if let start = text.firstRange(of: "error message = '"),
           let end = text[start.upperBound...].firstIndex(of: "'") {
            return BERTKitError(file: path, "\(message): \(text[start.upperBound..<end])")
        }
        return BERTKitError(file: path, text.isEmpty ? message : "\(message): \(text)")
    }
}

/// A scalar attribute value.
public enum HDF5AttributeValue: Equatable, Sendable, CustomStringConvertible {
    case integer(Int64)
    case real(Double)
    case string(String)

    public var description: String {
        switch self {
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .string(let value): return value
        }
    }
}

/// The element types pre-training datasets use, stored little-endian.
public enum HDF5ElementType: Sendable {
    case int8, int32

    /// Bytes per element.
    public var size: Int { self == .int8 ? 1 : 4 }

    var fileType: hid_t { self == .int8 ? bk_h5t_std_i8le() : bk_h5t_std_i32le() }
}
