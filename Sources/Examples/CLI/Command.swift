/// A subcommand of `examples`: its name, one-line summary, options and body.
protocol Command {
    /// The subcommand's name (`train`).
    static var name: String { get }
    /// One line for the command list.
    static var summary: String { get }
    /// The options it accepts, besides `--help`, `--json` and `--quiet`.
    static var options: [OptionSpec] { get }
    /// Runs the command; returns the `--json` summary object, or `nil` when the command's own
    /// output already ends with JSON lines (`bench`).
    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue?
}

/// The options every subcommand accepts.
let commonOptions: [OptionSpec] = [
    .flag("--json", "print a one-line JSON summary as the last line of standard output"),
    .flag("--quiet", "no progress on standard error"),
    MemoryBudget.spec,
    .flag("--help", "show this help"),
]

extension Command {
    /// The `--help` text.
    static var help: String {
        let all = options + commonOptions
        let width = all.map { $0.name.count + ($0.value.map { $0.count + 1 } ?? 0) }.max() ?? 0
        let lines = all.map { spec in
            let flag = spec.name + (spec.value.map { " " + $0 } ?? "")
            return "  " + flag.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + spec.help
        }
        return (["usage: examples \(name) [options]", "", summary, "", "options:"] + lines).joined(separator: "\n")
    }
}
