import Tensor

/// A module whose forward pass maps one tensor to one tensor: what ``Sequential`` chains.
///
/// ``Linear``, ``Dropout``, ``Flatten``, the activation modules and ``Sequential`` itself conform.
/// ``Embedding`` (integer input) and the recurrent layers (which also return their final hidden
/// state) do not.
public protocol Layer<Scalar>: AnyObject {
    /// The element type of the input and the output.
    associatedtype Scalar: TensorFloatingPoint

    /// The forward pass.
    func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar>
}
