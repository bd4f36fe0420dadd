import Tensor

/// Clamps every gradient element of `parameters` to `[−clipValue, clipValue]`, in place
/// (`torch.nn.utils.clip_grad_value_`).
///
/// ```
/// gᵢ ← min(max(gᵢ, −clipValue), clipValue)
/// ```
///
/// This is min-char-rnn's clipping (`np.clip(dparam, -5, 5)`) with `clipValue: 5`.
/// Parameters whose `grad` is `nil` are ignored; NaN stays NaN.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
public func clipGradValue<Scalar: TensorFloatingPoint>(_ parameters: [Tensor<Scalar>], clipValue: Scalar) {
    for gradient in parameters.compactMap(\.grad) {
        gradient.withUnsafeMutableBufferPointer { g in
            // Written as selects so the loop vectorises; a NaN fails both comparisons and stays.
            for i in 0..<g.count {
                let x = g[i]
                g[i] = x > clipValue ? clipValue : (x < -clipValue ? -clipValue : x)
            }
        }
    }
}
