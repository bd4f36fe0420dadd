import Foundation

exit(ExamplesCLI.run(Array(CommandLine.arguments.dropFirst()), console: .standard()))
