import Foundation
import Tensor

let closedStreams = StandardStreams.prepare()
Allocator.reuseFreedPages()
exit(ExamplesCLI.run(Array(CommandLine.arguments.dropFirst()), console: .standard(closed: closedStreams)))
