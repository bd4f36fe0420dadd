import Foundation

/// The `examples` command: dispatches to a subcommand and turns its errors into exit codes.
enum ExamplesCLI {
    /// Every subcommand, in the order `examples --help` lists them.
    static var commands: [any Command.Type] {
        [
            AcknowledgementCommand.self, EdgementCommand.self, TrainCommand.self, GenerateCommand.self,
            CompareOptimizersCommand.self, BiasCommand.self, HiddenSizesCommand.self, FromScratchCommand.self,
            CharRNNCommand.self, MinCharRNNCommand.self, GPTCommand.self, BenchCommand.self,
        ]
    }

    /// The overall usage text.
    static var usage: String {
        let width = commands.map { $0.name.count }.max() ?? 0
        return (["usage: examples <command> [options]", "", "commands:"]
            + commands.map { "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.summary }
            + ["", "Run 'examples <command> --help' for a command's options."]).joined(separator: "\n")
    }

    /// Runs `arguments` (without the program name) and returns the exit status:
    /// 0 on success, 1 on a runtime error (a console that could not be written counts as one:
    /// the command still finishes, so its files are written), 2 on a usage error.
    static func run(_ arguments: [String], console: Console) -> Int32 {
        let status = dispatch(arguments, console: console)
        guard let failure = console.failure else { return status }
        console.printError("error: \(failure)")
        return status == 0 ? 1 : status
    }

    /// Runs the command `arguments` names and returns its exit status, console failures aside.
    private static func dispatch(_ arguments: [String], console: Console) -> Int32 {
        guard let name = arguments.first else {
            console.printError("error: no command given\n\n" + usage)
            return 2
        }
        if name == "--help" || name == "-h" || name == "help" {
            console.print(usage)
            return 0
        }
        guard let command = commands.first(where: { $0.name == name }) else {
            console.printError("error: unknown command '\(name)' (see 'examples --help')")
            return 2
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            console.print(command.help)
            return 0
        }
        do {
            let options = try ParsedOptions(rest, specs: command.options + commonOptions)
            try PathConflicts.check(options)
            console.quiet = options.flag("--quiet")
            let summary = try AnomalyOption.run(options, console: console) { () throws(ExamplesError) in
                try command.run(options, console: console)
            }
            if options.flag("--json"), let summary { console.print(summary.serialized) }
            return 0
        } catch {
            switch error {
            case .usage(let message):
                console.printError("error: \(singleLine(message)) (see 'examples \(name) --help')")
            case .runtime(let message):
                console.printError("error: \(singleLine(message))")
            }
            return error.exitStatus
        }
    }

    /// `message` as one line: a multi-line message (say, PyTorch's "Error(s) in loading
    /// state_dict" list) has its line breaks and continuation indents replaced by "; " (by a
    /// space after a line that already ends with a colon or a full stop); any other control
    /// character (an escape sequence from a file name) is shown as a `\u{1B}`-style escape.
    static func singleLine(_ message: String) -> String {
        var line = ""
        for part in message.split(whereSeparator: \.isNewline) {
            let text = part.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            if !line.isEmpty { line += line.hasSuffix(":") || line.hasSuffix(".") ? " " : "; " }
            line += text
        }
        var escaped = ""
        for scalar in line.unicodeScalars {
            if scalar.properties.generalCategory == .control && scalar != "\t" {
                escaped += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
