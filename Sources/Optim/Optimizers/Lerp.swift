/// `start + weight · (end − start)`, computed as PyTorch's `lerp` does: from `start` for
/// small weights (`small`, i.e. `|weight| < 0.5`) and from `end` otherwise, for the same
/// rounding. `small` is passed in so that loops decide it once.
@inline(__always)
func lerp<Scalar: BinaryFloatingPoint>(_ start: Scalar, _ end: Scalar, _ weight: Scalar, small: Bool) -> Scalar {
    small ? start + weight * (end - start) : end - (end - start) * (1 - weight)
}
