import Foundation

/// One command-line option a subcommand accepts.
struct OptionSpec: Sendable {
    /// The flag, with its dashes (`--hidden`).
    var name: String
    /// The placeholder for its value (`N`, `PATH`), or `nil` for a boolean switch.
    var value: String?
    /// One line of help.
    var help: String

    /// A switch that takes no value.
    static func flag(_ name: String, _ help: String) -> OptionSpec { OptionSpec(name: name, value: nil, help: help) }

    /// An option followed by a value.
    static func option(_ name: String, _ value: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, value: value, help: help)
    }
}

/// The parsed command line of one subcommand: which switches were given and each option's raw
/// value, with typed accessors that turn bad values into usage errors.
struct ParsedOptions {
    private var values: [String: String] = [:]
    private var switches: Set<String> = []

    /// Parses `arguments` against `specs`. Accepts `--name value` and `--name=value`.
    ///
    /// - Throws: `.usage` for an unknown flag, a missing value, a repeated option, a value
    ///   given to a switch, or a positional argument.
    init(_ arguments: [String], specs: [OptionSpec]) throws(ExamplesError) {
        let byName = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            var name = argument, inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard argument.hasPrefix("-"), let spec = byName[name] else {
                throw argument.hasPrefix("-")
                    ? .usage("unknown option '\(name)'")
                    : .usage("unexpected argument '\(argument)'")
            }
            guard values[name] == nil, !switches.contains(name) else {
                throw .usage("option '\(name)' given more than once")
            }
            if spec.value == nil {
                guard inlineValue == nil else { throw .usage("option '\(name)' takes no value") }
                switches.insert(name)
            } else if let inlineValue {
                values[name] = inlineValue
            } else {
                guard index < arguments.count else { throw .usage("option '\(name)' needs a value (\(spec.value!))") }
                values[name] = arguments[index]
                index += 1
            }
        }
    }

    /// Whether the switch `name` was given.
    func flag(_ name: String) -> Bool { switches.contains(name) }

    /// Whether the option `name` was given a value.
    func has(_ name: String) -> Bool { values[name] != nil }

    /// The raw value of `name`, if given.
    func string(_ name: String) -> String? { values[name] }

    /// The integer value of `name`, if given, checked to lie in `range`.
    func int(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(ExamplesError) -> Int? {
        guard let raw = values[name] else { return nil }
        guard let value = Int(raw) else { throw .usage("option '\(name)' expects an integer, got '\(raw)'") }
        guard range.contains(value) else { throw .usage("option '\(name)' must be \(describe(range)), got \(value)") }
        return value
    }

    /// The finite floating-point value of `name`, if given, checked to lie in `range`.
    func double(_ name: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
        throws(ExamplesError) -> Double?
    {
        guard let raw = values[name] else { return nil }
        guard let value = Double(raw), value.isFinite else {
            throw .usage("option '\(name)' expects a finite number, got '\(raw)'")
        }
        guard range.contains(value) else { throw .usage("option '\(name)' must be in \(range.lowerBound)...\(range.upperBound), got \(raw)") }
        return value
    }

    /// The value of `name`, if given, which must be one of `choices`.
    func choice(_ name: String, _ choices: [String]) throws(ExamplesError) -> String? {
        guard let raw = values[name] else { return nil }
        guard choices.contains(raw) else {
            throw .usage("option '\(name)' must be one of \(choices.joined(separator: ", ")), got '\(raw)'")
        }
        return raw
    }

    /// A comma-separated list of finite numbers (`--betas 0.9,0.999`), if given.
    func doubles(_ name: String, count: Int) throws(ExamplesError) -> [Double]? {
        guard let raw = values[name] else { return nil }
        let parts = raw.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == count, parts.allSatisfy({ $0?.isFinite == true }) else {
            throw .usage("option '\(name)' expects \(count) comma-separated numbers, got '\(raw)'")
        }
        return parts.map { $0! }
    }

    /// A comma- or space-separated list of names or positive integers (`--optimizers sgd,adam`).
    ///
    /// - Throws: `.usage` when the option is given an empty list (`--only ""`).
    func list(_ name: String) throws(ExamplesError) -> [String]? {
        guard let value = values[name] else { return nil }
        let items = value.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        guard !items.isEmpty else { throw .usage("option '\(name)' needs at least one item") }
        return items
    }

    private func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "at least \(range.lowerBound)" }
        return "in \(range.lowerBound)...\(range.upperBound)"
    }
}
