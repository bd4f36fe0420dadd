/// The largest relative difference between `actual` and `expected`, with an absolute floor
/// of `1e-12` for values near zero (`|a − e| / max(|e|, 1e-12)` would be too strict there).
func worstRelativeError(_ actual: [Double], _ expected: [Double], absoluteFloor: Double = 1e-12) -> Double {
    precondition(actual.count == expected.count, "comparing \(actual.count) values with \(expected.count)")
    return zip(actual, expected).map { a, e in
        a == e ? 0 : Swift.abs(a - e) <= absoluteFloor ? 0 : Swift.abs(a - e) / Swift.abs(e)
    }.max() ?? 0
}
