/// A function of one vector, lane by lane, that kernels take as a generic parameter.
///
/// A generic parameter rather than a closure: the compiler specialises the kernel for each
/// function and inlines it into the loop, where a closure captured by the thread pool's job
/// would stay an indirect call, with its register spills, for every vector.
protocol UnaryLaneFunction {
    func callAsFunction(_ x: FloatVector) -> FloatVector
}

/// A function of two vectors, lane by lane, that kernels take as a generic parameter.
protocol BinaryLaneFunction {
    func callAsFunction(_ x: FloatVector, _ y: FloatVector) -> FloatVector
}

/// The lane functions of the elementwise kernels.
enum Lanes {
    struct Identity: UnaryLaneFunction {
        @inline(__always) func callAsFunction(_ x: FloatVector) -> FloatVector { x }
    }

    struct Square: UnaryLaneFunction {
        @inline(__always) func callAsFunction(_ x: FloatVector) -> FloatVector { x * x }
    }

    struct Scale: UnaryLaneFunction {
        let factor: Float
        @inline(__always) func callAsFunction(_ x: FloatVector) -> FloatVector { x * factor }
    }

    struct Sum: BinaryLaneFunction {
        @inline(__always) func callAsFunction(_ x: FloatVector, _ y: FloatVector) -> FloatVector { x + y }
    }

    /// x·Φ(x).
    struct GELU: UnaryLaneFunction {
        @inline(__always) func callAsFunction(_ x: FloatVector) -> FloatVector { x * VectorMath.normalCDF(x) }
    }

    /// dy·(Φ(x) + x·φ(x)), of x and dy.
    struct GELUBackward: BinaryLaneFunction {
        @inline(__always) func callAsFunction(_ x: FloatVector, _ dy: FloatVector) -> FloatVector {
            let (cdf, density) = VectorMath.normalCDFAndDensity(x)
            return dy * (cdf + x * density)
        }
    }

    struct Tanh: UnaryLaneFunction {
        @inline(__always) func callAsFunction(_ x: FloatVector) -> FloatVector { VectorMath.tanh(x) }
    }

    /// dy·(1 − y²), of y = tanh(x) and dy.
    struct TanhBackward: BinaryLaneFunction {
        @inline(__always) func callAsFunction(_ y: FloatVector, _ dy: FloatVector) -> FloatVector { dy * (1 - y * y) }
    }

    struct ReLU: UnaryLaneFunction {
        @inline(__always) func callAsFunction(_ x: FloatVector) -> FloatVector { x.replacing(with: 0, where: x .< 0) }
    }

    /// dy where x > 0, else 0, of x and dy.
    struct ReLUBackward: BinaryLaneFunction {
        @inline(__always) func callAsFunction(_ x: FloatVector, _ dy: FloatVector) -> FloatVector { dy.replacing(with: 0, where: x .<= 0) }
    }

    struct Sigmoid: UnaryLaneFunction {
        @inline(__always) func callAsFunction(_ x: FloatVector) -> FloatVector { VectorMath.sigmoid(x) }
    }

    /// dy·y·(1 − y), of y = σ(x) and dy.
    struct SigmoidBackward: BinaryLaneFunction {
        @inline(__always) func callAsFunction(_ y: FloatVector, _ dy: FloatVector) -> FloatVector { dy * y * (1 - y) }
    }
}
