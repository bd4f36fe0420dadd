import Tensor

// The activation functions as free functions (`torch.nn.functional`), for models that do not
// hold them as layers. Each maps elementwise (or along `axis`) and keeps the shape.

/// max(x, 0), elementwise (`F.relu`).
public func relu<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.relu() }

/// tanh(x), elementwise (`torch.tanh`).
public func tanh<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.tanh() }

/// 1 / (1 + e^-x), elementwise (`torch.sigmoid`).
public func sigmoid<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.sigmoid() }

/// log(1 / (1 + e^-x)), elementwise and without overflow (`F.logsigmoid`).
public func logSigmoid<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.logSigmoid() }

/// e^(x_i) / Σ_j e^(x_j) along `axis` (`F.softmax(x, dim)`).
public func softmax<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>, axis: Int) -> Tensor<Scalar> { x.softmax(axis: axis) }

/// x_i - log Σ_j e^(x_j) along `axis` (`F.log_softmax(x, dim)`).
public func logSoftmax<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>, axis: Int) -> Tensor<Scalar> { x.logSoftmax(axis: axis) }

/// x · Φ(x), elementwise, Φ the standard normal CDF, exact or tanh-approximated
/// (`F.gelu(x, approximate=...)`); see ``GELU``.
public func gelu<Scalar: TensorFloatingPoint>(
    _ x: Tensor<Scalar>, approximate: GELUApproximation = .none
) -> Tensor<Scalar> { x.gelu(approximate: approximate) }
