/// Python's `repr` of the values an optimizer prints (`print(optimizer)` in PyTorch).
enum PythonRepr {
    /// A float as Python prints it: the shortest digits that round-trip, in positional
    /// notation for decimal exponents −4 ≤ e < 16 (`0.001`, `1.0`, `100.0`) and scientific
    /// notation otherwise (`1e-08`, `2.5e+16`); `nan`, `inf`, `-inf`.
    static func float(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description has the same shortest round-trip digits; only the layout differs.
        let text = String(value.magnitude)
        let parts = text.split(separator: "e")
        let mantissa = parts[0]
        let shift = parts.count > 1 ? Int(parts[1])! : 0
        let integerDigits = mantissa.split(separator: ".", omittingEmptySubsequences: false)[0]
        let allDigits = mantissa.filter { $0 != "." }
        let leadingZeros = allDigits.prefix { $0 == "0" }.count
        var digits = String(allDigits.dropFirst(leadingZeros))
        while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
        // The value is 0.d₁d₂… × 10^(pointPosition): the decimal exponent is pointPosition − 1.
        let pointPosition = integerDigits.count - leadingZeros + shift
        let exponent = pointPosition - 1
        let sign = value < 0 ? "-" : ""
        if exponent < -4 || exponent >= 16 {
            let head = digits.prefix(1), tail = digits.dropFirst()
            let exponentText = (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
            return sign + head + (tail.isEmpty ? "" : "." + tail) + "e" + exponentText
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if digits.count <= pointPosition {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
        }
        return sign + digits.prefix(pointPosition) + "." + digits.dropFirst(pointPosition)
    }

    /// A value PyTorch defaults to the integer 0 (`momentum`, `weight_decay`, ...): a whole
    /// value prints as a Python int (`0`), as if passed as one; others as floats.
    static func intOrFloat(_ value: Double) -> String {
        value.isFinite && value == value.rounded() && value.magnitude < 1e15 ? String(Int(value)) : float(value)
    }

    /// `True` or `False`.
    static func bool(_ value: Bool) -> String { value ? "True" : "False" }
}
