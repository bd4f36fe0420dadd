import Foundation

/// Why ``Module/loadStateDict(_:strict:)`` refused a state dict: every problem at once, as
/// PyTorch reports them.
///
/// ```
/// Error(s) in loading state_dict for CharRNN:
///     Missing key(s) in state_dict: "fc.bias".
///     Unexpected key(s) in state_dict: "fc.scale".
///     size mismatch for fc.weight: copying a param with shape [5, 8] from checkpoint, the shape in current model is [5, 16].
/// ```
public struct StateDictError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A key present in both the model and the state dict, with different shapes.
    public struct ShapeMismatch: Equatable, Sendable {
        /// The parameter's key.
        public var key: String
        /// The shape in the state dict (the checkpoint).
        public var found: [Int]
        /// The parameter's shape in the model.
        public var expected: [Int]

        /// Creates a mismatch record.
        public init(key: String, found: [Int], expected: [Int]) {
            self.key = key
            self.found = found
            self.expected = expected
        }
    }

    /// The model's type name, as in PyTorch's message.
    public var moduleName: String
    /// The model's keys absent from the state dict (reported in strict mode only).
    public var missingKeys: [String]
    /// The state dict's keys the model does not have (reported in strict mode only).
    public var unexpectedKeys: [String]
    /// The keys whose shapes differ (always reported).
    public var shapeMismatches: [ShapeMismatch]

    /// Creates an error report.
    public init(moduleName: String, missingKeys: [String] = [], unexpectedKeys: [String] = [], shapeMismatches: [ShapeMismatch] = []) {
        self.moduleName = moduleName
        self.missingKeys = missingKeys
        self.unexpectedKeys = unexpectedKeys
        self.shapeMismatches = shapeMismatches
    }

    /// PyTorch's message: one line per kind of problem, listing the keys concerned (escaped, and
    /// at most ten of each kind: `... and 999,990 more`).
    public var description: String {
        func quoted(_ keys: [String]) -> String { PrintableNames.list(keys, quote: "\"") }
        var lines = ["Error(s) in loading state_dict for \(moduleName):"]
        if !missingKeys.isEmpty { lines.append("\tMissing key(s) in state_dict: \(quoted(missingKeys)).") }
        if !unexpectedKeys.isEmpty { lines.append("\tUnexpected key(s) in state_dict: \(quoted(unexpectedKeys)).") }
        for mismatch in shapeMismatches.prefix(10) {
            lines.append(
                "\tsize mismatch for \(PrintableNames.quoted(mismatch.key, quote: "")): copying a param with shape \(mismatch.found) from checkpoint, "
                    + "the shape in current model is \(mismatch.expected).")
        }
        if shapeMismatches.count > 10 { lines.append("\t... and \((shapeMismatches.count - 10).formatted()) more size mismatches.") }
        return lines.joined(separator: "\n")
    }
}
