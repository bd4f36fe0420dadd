import Optim
import Tensor

/// The golden file's model: `loss = mean((tanh(x Wᵀ + b) v − y)²)` with W [2, 3], b [2],
/// v [2], plus a parameter `u` [2] that the loss never uses (its `grad` stays `nil`).
struct TinyModel<Scalar: TensorFloatingPoint> {
    let x: Tensor<Scalar>
    let y: Tensor<Scalar>
    let w: Tensor<Scalar>
    let b: Tensor<Scalar>
    let v: Tensor<Scalar>
    let u: Tensor<Scalar>

    /// The model at the golden file's initial parameters.
    init(_ golden: GoldenData = .shared) {
        func tensor(_ values: [Double], _ shape: [Int], requiresGrad: Bool = true) -> Tensor<Scalar> {
            Tensor(shape: shape, scalars: values.map { Scalar($0) }, requiresGrad: requiresGrad)
        }
        x = tensor(golden.x.flatMap { $0 }, [golden.x.count, golden.x[0].count], requiresGrad: false)
        y = tensor(golden.y, [golden.y.count], requiresGrad: false)
        w = tensor(golden.initial.W.flatMap { $0 }, [golden.initial.W.count, golden.initial.W[0].count])
        b = tensor(golden.initial.b, [golden.initial.b.count])
        v = tensor(golden.initial.v, [golden.initial.v.count])
        u = tensor(golden.initial.u, [golden.initial.u.count])
    }

    /// A model with fresh parameter tensors holding `other`'s current values.
    init(copying other: TinyModel) {
        x = other.x
        y = other.y
        w = other.w.copy().requiringGrad()
        b = other.b.copy().requiringGrad()
        v = other.v.copy().requiringGrad()
        u = other.u.copy().requiringGrad()
    }

    /// W, b, v, u: the order the golden file's single-group optimizers use.
    var parameters: [Tensor<Scalar>] { [w, b, v, u] }

    /// The parameter the golden file calls `name`.
    func parameter(_ name: String) -> Tensor<Scalar> {
        switch name {
        case "W": w
        case "b": b
        case "v": v
        case "u": u
        default: preconditionFailure("unknown parameter \(name)")
        }
    }

    /// W, b, v flattened, as the golden trajectories record them.
    var trajectoryValues: [Double] { (w.scalars + b.scalars + v.scalars).map(\.doubleValue) }

    func loss() -> Tensor<Scalar> {
        let residual = (x.matmul(w.T) + b).tanh().matmul(v) - y
        return (residual * residual).mean()
    }

    /// One forward and backward pass from cleared gradients; returns the loss.
    @discardableResult
    func computeGradients<O: Optimizer>(for optimizer: O) -> Double where O.Scalar == Scalar {
        optimizer.zeroGrad()
        let value = loss()
        value.backward()
        return value.item.doubleValue
    }
}
