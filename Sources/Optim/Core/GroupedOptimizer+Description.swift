extension GroupedOptimizer: CustomStringConvertible {
    /// The optimizer as PyTorch 2.15 prints it (`print(optimizer)`, `repr(optimizer)`): its
    /// name, then each parameter group's options sorted by PyTorch's name, with Python's
    /// rendering of each value:
    ///
    /// ```
    /// Adam (
    /// Parameter Group 0
    ///     amsgrad: False
    ///     betas: (0.9, 0.999)
    ///     capturable: False
    ///     ...
    ///     weight_decay: 0
    /// )
    /// ```
    ///
    /// The text equals PyTorch's for the same optimizer, with three conventions:
    /// - PyTorch's implementation switches are printed with their defaults, which describe
    ///   what these optimizers do: `differentiable: False` (the step is not recorded for
    ///   autograd), `foreach: None` and `fused: None` (PyTorch's default choice, on the CPU the
    ///   per-tensor loop these optimizers follow), `capturable: False` (no CUDA graphs).
    /// - Options PyTorch defaults to the integer 0 (`momentum`, `dampening`, `weight_decay`,
    ///   `lr_decay`, `initial_accumulator_value`) print whole values as Python ints (`0`, `1`),
    ///   as if passed as ints; PyTorch prints `0.0` for a float 0 there. Other values print as
    ///   Python floats (`0.001`, `1e-08`, `1.0`).
    /// - `initial_lr` appears once a scheduler has set it, as in PyTorch; the keys PyTorch's
    ///   `OneCycleLR` and `CyclicLR` add to groups (`max_lr`, `min_lr`, `max_momentum`,
    ///   `base_momentum`) are kept by those schedulers here and not printed.
    public var description: String {
        var text = name + " ("
        for (index, group) in parameterGroups.enumerated() {
            text += "\nParameter Group \(index)\n"
            var options = group.options.printedOptions
            if let initial = group.initialLR { options["initial_lr"] = PythonRepr.float(initial) }
            for key in options.keys.sorted() { text += "    \(key): \(options[key] ?? "")\n" }
        }
        return text + ")"
    }
}
