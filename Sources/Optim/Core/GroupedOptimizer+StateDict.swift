import Foundation
import Tensor

extension GroupedOptimizer {
    /// The optimizer's state (`optimizer.state_dict()`): copies of every parameter's buffers
    /// and step count, and every group's hyperparameters. See ``OptimizerStateDict`` for the layout.
    public func stateDict() -> OptimizerStateDict<Scalar> {
        var tensors: [String: Tensor<Scalar>] = [:]
        var records: [GroupRecord<Options>] = []
        var number = 0
        for group in parameterGroups {
            var numbers: [Int] = []
            for state in group.states {
                numbers.append(number)
                if let state {
                    if let step = state.step { tensors["state.\(number).step"] = Tensor(scalar: Scalar(step)) }
                    for (name, buffer) in state.buffers { tensors["state.\(number).\(name)"] = buffer.copy() }
                }
                number += 1
            }
            records.append(GroupRecord(options: group.options, initialLR: group.initialLR, params: numbers))
        }
        let json: Data
        do {
            json = try GroupRecord<Options>.encoder.encode(records)
        } catch {
            fatalError("\(name).stateDict: cannot encode the parameter groups: \(error)")
        }
        return OptimizerStateDict(
            tensors: tensors,
            metadata: ["optimizer": name, "param_groups": String(decoding: json, as: UTF8.self)])
    }

    /// Restores a state produced by ``stateDict()`` (`optimizer.load_state_dict`): the groups'
    /// hyperparameters (learning rates included) and every parameter's buffers and step count.
    ///
    /// The state dict must come from an optimizer with the same name, the same number of
    /// groups and parameters per group, and parameters of the same shapes. Everything is
    /// checked before anything changes; the tensors are copied.
    ///
    /// - Throws: ``OptimizerError/invalidStateDict(optimizer:message:)`` describing the first
    ///   mismatch, or ``OptimizerError/invalidHyperparameter(optimizer:message:)`` if a saved
    ///   hyperparameter is out of range.
    public func loadStateDict(_ stateDict: OptimizerStateDict<Scalar>) throws(OptimizerError) {
        let records = try decodeGroups(stateDict.metadata)
        var position: [Int: (group: Int, index: Int)] = [:]
        for (groupIndex, record) in records.enumerated() {
            for (index, number) in record.params.enumerated() where position.updateValue((groupIndex, index), forKey: number) != nil {
                throw invalid("parameter number \(number) appears twice in 'param_groups'")
            }
        }

        var entries = parameterGroups.map { group in
            [[String: Tensor<Scalar>]](repeating: [:], count: group.parameters.count)
        }
        for (key, tensor) in stateDict.tensors.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "state", let number = Int(parts[1]), let (group, index) = position[number]
            else {
                throw invalid("unexpected tensor '\(key)' (expected 'state.<parameter>.<name>' for a parameter in 'param_groups')")
            }
            entries[group][index][String(parts[2])] = tensor
        }

        var states: [[ParameterState<Scalar>?]] = []
        for (groupIndex, group) in parameterGroups.enumerated() {
            let record = records[groupIndex]
            var groupStates: [ParameterState<Scalar>?] = []
            for (index, parameter) in group.parameters.enumerated() {
                let named = entries[groupIndex][index]
                groupStates.append(
                    named.isEmpty
                        ? nil
                        : try parameterState(
                            named, number: record.params[index], parameter: parameter, options: record.options))
            }
            states.append(groupStates)
        }

        for (groupIndex, group) in parameterGroups.enumerated() {
            group.options = records[groupIndex].options
            group.initialLR = records[groupIndex].initialLR
            group.states = states[groupIndex]
        }
    }

    /// The parameter groups recorded in `metadata`, checked against this optimizer's groups.
    private func decodeGroups(_ metadata: [String: String]) throws(OptimizerError) -> [GroupRecord<Options>] {
        guard let savedName = metadata["optimizer"] else { throw invalid("the metadata has no 'optimizer' entry") }
        guard savedName == name else { throw invalid("it holds the state of \(savedName), not \(name)") }
        guard let json = metadata["param_groups"] else { throw invalid("the metadata has no 'param_groups' entry") }
        let records: [GroupRecord<Options>]
        do {
            records = try GroupRecord<Options>.decoder.decode([GroupRecord<Options>].self, from: Data(json.utf8))
        } catch {
            throw invalid("'param_groups' is not a valid list of \(name) parameter groups: \(error)")
        }
        guard records.count == parameterGroups.count else {
            throw invalid(
                "loaded state dict has \(records.count) parameter groups, the optimizer has \(parameterGroups.count)")
        }
        for (groupIndex, (record, group)) in zip(records, parameterGroups).enumerated() {
            guard record.params.count == group.parameters.count else {
                throw invalid(
                    "parameter group \(groupIndex) has \(record.params.count) parameters in the state dict, "
                        + "\(group.parameters.count) in the optimizer")
            }
            try record.options.validate(optimizer: name)
        }
        return records
    }

    /// The state of the parameter saved as number `number`, built from its named tensors.
    private func parameterState(
        _ named: [String: Tensor<Scalar>], number: Int, parameter: Tensor<Scalar>, options: Options
    ) throws(OptimizerError) -> ParameterState<Scalar> {
        let (required, optional) = options.stateNames
        if let missing = required.first(where: { named[$0] == nil }) {
            throw invalid("the state of parameter \(number) has no '\(missing)'")
        }
        var state = ParameterState<Scalar>()
        for (entry, tensor) in named.sorted(by: { $0.key < $1.key }) {
            let key = "state.\(number).\(entry)"
            guard required.contains(entry) || optional.contains(entry) else {
                throw invalid("unexpected tensor '\(key)' for \(name) with these options (expected \(required + optional))")
            }
            if entry == "step" {
                let value = tensor.count == 1 ? tensor.scalars[0] : -1
                // Int(exactly:) is nil for a fraction, a non-finite value, and a count beyond Int (1e19).
                guard value >= 0, let step = Int(exactly: value) else {
                    throw invalid("'\(key)' must hold one non-negative whole number within Int's range, got shape \(tensor.shape) \(tensor.scalars.prefix(4))")
                }
                state.step = step
            } else {
                guard tensor.shape == parameter.shape else {
                    throw invalid("'\(key)' has shape \(tensor.shape), the parameter has shape \(parameter.shape)")
                }
                // Running averages and sums of finite gradients are finite: an infinite or NaN
                // buffer would silently poison every later step.
                if let bad = tensor.scalars.first(where: { !$0.isFinite }) {
                    throw invalid("'\(key)' holds a non-finite value (\(bad))")
                }
                state.buffers[entry] = tensor.copy()
            }
        }
        return state
    }

    private func invalid(_ message: String) -> OptimizerError {
        .invalidStateDict(optimizer: name, message: message)
    }
}

/// One entry of the `param_groups` JSON: a group's hyperparameters (PyTorch's names), its
/// `"initial_lr"` once a scheduler has set it, and the numbers of its parameters under
/// `"params"`, in a single object as PyTorch writes it.
struct GroupRecord<Options: OptimizerOptions>: Codable {
    var options: Options
    var initialLR: Double?
    var params: [Int]

    private enum Key: String, CodingKey {
        case params
        case initialLR = "initial_lr"
    }

    init(options: Options, initialLR: Double?, params: [Int]) {
        self.options = options
        self.initialLR = initialLR
        self.params = params
    }

    init(from decoder: any Decoder) throws {
        options = try Options(from: decoder)
        let container = try decoder.container(keyedBy: Key.self)
        initialLR = try container.decodeIfPresent(Double.self, forKey: .initialLR)
        params = try container.decode([Int].self, forKey: .params)
    }

    func encode(to encoder: any Encoder) throws {
        try options.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(initialLR, forKey: .initialLR)
        try container.encode(params, forKey: .params)
    }

    /// Sorted keys; infinities and NaN as strings, as JSON has no literal for them.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The decoder matching ``encoder``.
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
