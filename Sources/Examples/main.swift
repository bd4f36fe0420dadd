import Foundation
import Tensor

Allocator.reuseFreedPages()
exit(ExamplesCLI.run(Array(CommandLine.arguments.dropFirst()), console: .standard()))
