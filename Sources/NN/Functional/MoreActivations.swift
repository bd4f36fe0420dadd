import Tensor

/// x · sigmoid(x) (`F.silu`), elementwise. Backward: sigmoid(x) (1 + x (1 - sigmoid(x))).
public func silu<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x * x.sigmoid() }

/// x where x > 0, else `negativeSlope` · x (`F.leaky_relu`), elementwise.
/// Backward: 1 where x > 0, else `negativeSlope` (also at 0, as in PyTorch).
public func leakyReLU<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>, negativeSlope: Scalar = 0.01) -> Tensor<Scalar> {
    x.where(x .> 0, x * negativeSlope)
}

/// x where x > 0, else α (eˣ - 1) (`F.elu`), elementwise. Backward: 1 where x > 0, else α eˣ.
public func elu<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>, alpha: Scalar = 1) -> Tensor<Scalar> {
    // Its own backward, PyTorch's: g where x > 0, g · α e^x elsewhere (NaN at NaN); through
    // `where`, +inf's unused branch e^x - 1 would turn the gradient into NaN.
    let input = x.detach()
    let values = x.scalars.map { v in v > 0 ? v : (Scalar.exp(v) - 1) * alpha }
    return Tensor(shape: x.shape, scalars: values).recording("EluBackward", [x]) { g in
        [g * Tensor(shape: input.shape, scalars: input.scalars.map { v in v > 0 ? 1 : alpha * Scalar.exp(v) })]
    }
}

/// log(1 + e^(βx)) / β, and x itself where βx > `threshold` (`F.softplus`), elementwise.
/// Backward: sigmoid(βx), and 1 above the threshold.
public func softplus<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>, beta: Scalar = 1, threshold: Scalar = 20) -> Tensor<Scalar> {
    let input = x.detach()
    let values = x.scalars.map { v in v * beta > threshold ? v : Scalar.log1p(Scalar.exp(v * beta)) / beta }
    return Tensor(shape: x.shape, scalars: values).recording("SoftplusBackward", [x]) { g in
        let slope = input.scalars.map { v in v * beta > threshold ? 1 : 1 / (1 + Scalar.exp(-v * beta)) }
        return [g * Tensor(shape: input.shape, scalars: slope)]
    }
}
