/// The restricted unpickler of `data.pkl`: a stack machine over the opcodes of ``PickleOpcode``
/// that builds only plain values and tensors, like `torch.load(weights_only=True)`.
///
/// Globals are limited to `collections.OrderedDict` (called with no arguments),
/// `torch._utils._rebuild_tensor_v2`, `torch._utils._rebuild_parameter` and the storage types of
/// ``TorchDType``; `BUILD` only applies to an `OrderedDict` (its state, PyTorch's `_metadata`, is
/// dropped); persistent ids must name a storage. Anything else stops the load with an error before
/// anything is built from it. Memory stays proportional to the input: lengths are checked against
/// the bytes left, memo slots are a dictionary, and the final value may not expand shared
/// containers beyond a budget proportional to the pickle's size.
struct Unpickler {
    /// A storage record's bytes by storage key, or nil if the archive has none.
    typealias RecordLookup = (String) -> ArraySlice<UInt8>?

    private let bytes: [UInt8]
    private let records: RecordLookup
    private var position = 0
    private var opcodeStart = 0
    private var stack: [Object] = []
    private var marks: [[Object]] = []
    private var memo: [UInt32: Object] = [:]
    private var storages: [String: TorchStorage] = [:]
    /// Every container created, emptied at the end so that no cycle (a list appended to itself)
    /// or deep chain of containers outlives the load or is freed recursively.
    private var containers: [Container] = []

    /// The deepest nesting of containers accepted in the result.
    static let maximumDepth = 200

    /// Prepares to read the pickle `bytes`, resolving storages with `records`.
    init(_ bytes: [UInt8], records: @escaping RecordLookup) {
        self.bytes = bytes
        self.records = records
    }

    /// Runs the pickle to its `STOP` and returns the value it built.
    mutating func load() throws(TorchFileError) -> TorchValue {
        defer {
            for container in containers { container.empty() }
        }
        while true {
            opcodeStart = position
            let byte = try read(1).first!
            guard let opcode = PickleOpcode(rawValue: byte) else {
                throw .forbiddenOpcode(opcode: byte, offset: opcodeStart)
            }
            if opcode == .stop {
                let result = try pop()
                guard marks.isEmpty else { throw malformed("STOP inside an unfinished MARK") }
                var budget = bytes.count + 16
                return try result.value(depth: 0, budget: &budget, at: opcodeStart)
            }
            try execute(opcode)
        }
    }

    // MARK: - Opcodes

    private mutating func execute(_ opcode: PickleOpcode) throws(TorchFileError) {
        switch opcode {
        case .proto: _ = try read(1)
        case .stop: break  // Handled by load().
        case .global: stack.append(.global(try resolveGlobal()))
        case .reduce:
            let arguments = try pop()
            let function = try pop()
            stack.append(try reduce(function, arguments))
        case .build:
            _ = try pop()
            guard case .dict(let dictionary)? = stack.last, dictionary.isOrderedDict else {
                throw malformed("BUILD applies only to an OrderedDict here, not to \(stack.last?.kind ?? "an empty stack")")
            }
        case .append:
            let item = try pop()
            try topList().items.append(item)
        case .appends:
            let items = try popMark()
            try topList().items.append(contentsOf: items)
        case .setItem:
            let value = try pop()
            let key = try pop()
            try topDict().entries.append((key, value))
        case .setItems:
            let items = try popMark()
            guard items.count % 2 == 0 else { throw malformed("SETITEMS with an odd number of items") }
            let dictionary = try topDict()
            for index in stride(from: 0, to: items.count, by: 2) { dictionary.entries.append((items[index], items[index + 1])) }
        case .mark:
            marks.append(stack)
            stack = []
        case .tuple: stack.append(try tuple(popMark()))
        case .tuple1, .tuple2, .tuple3:
            let count = Int(opcode.rawValue - PickleOpcode.tuple1.rawValue) + 1
            guard stack.count >= count else { throw malformed("stack underflow") }
            let items = Array(stack.suffix(count))
            stack.removeLast(count)
            stack.append(try tuple(items))
        case .none: stack.append(.none)
        case .newFalse: stack.append(.bool(false))
        case .newTrue: stack.append(.bool(true))
        case .emptyTuple: stack.append(.tuple([], depth: 1))
        case .emptyList: stack.append(.list(track(PickleList())))
        case .emptyDict: stack.append(.dict(track(PickleDict(isOrderedDict: false))))
        case .binInt: stack.append(.int(Int(Int32(bitPattern: UInt32(try littleEndian(4))))))
        case .binInt1: stack.append(.int(Int(try littleEndian(1))))
        case .binInt2: stack.append(.int(Int(try littleEndian(2))))
        case .long1: stack.append(.int(try readLong()))
        case .binFloat:
            let raw = try read(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            stack.append(.float(Double(bitPattern: raw)))
        case .binUnicode:
            let length = try littleEndian(4)
            stack.append(.string(try utf8(read(Int(length)), "BINUNICODE")))
        case .shortBinString:
            let length = try littleEndian(1)
            stack.append(.string(try utf8(read(Int(length)), "SHORT_BINSTRING")))
        case .binPersID: stack.append(try persistentLoad(try pop()))
        case .binGet, .longBinGet:
            let slot = UInt32(try littleEndian(opcode == .binGet ? 1 : 4))
            guard let object = memo[slot] else { throw malformed("memo entry \(slot) was never stored") }
            stack.append(object)
        case .binPut, .longBinPut:
            let slot = UInt32(try littleEndian(opcode == .binPut ? 1 : 4))
            guard let top = stack.last else { throw malformed("stack underflow") }
            memo[slot] = top
        }
    }

    /// `GLOBAL`: the allow-listed global named by the two lines that follow.
    private mutating func resolveGlobal() throws(TorchFileError) -> Global {
        let module = try readLine(), name = try readLine()
        switch (module, name) {
        case ("collections", "OrderedDict"): return .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensor
        case ("torch._utils", "_rebuild_parameter"): return .rebuildParameter
        case ("torch", _) where name.hasSuffix("Storage"):
            guard let dtype = TorchDType(storageName: name) else { throw .unsupportedStorage(name) }
            return .storageType(dtype)
        default:
            throw .forbiddenGlobal(module + "." + name, offset: opcodeStart)
        }
    }

    /// `REDUCE`: calls an allow-listed global.
    private mutating func reduce(_ function: Object, _ arguments: Object) throws(TorchFileError) -> Object {
        guard case .global(let global) = function else { throw malformed("REDUCE of \(function.kind), not a global") }
        guard case .tuple(let args, _) = arguments else { throw malformed("REDUCE arguments are \(arguments.kind), not a tuple") }
        switch global {
        case .orderedDict:
            guard args.isEmpty else { throw malformed("OrderedDict called with arguments") }
            return .dict(track(PickleDict(isOrderedDict: true)))
        case .rebuildTensor:
            // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
            guard args.count == 6 || args.count == 7, case .storage(let storage, let key) = args[0],
                  case .int(let offset) = args[1], let shape = args[2].integers, let strides = args[3].integers,
                  case .bool(let requiresGrad) = args[4]
            else {
                throw malformed("_rebuild_tensor_v2 expects (storage, offset, size, stride, requires_grad, hooks), got \(args.map(\.kind))")
            }
            guard shape.count == strides.count else {
                throw malformed("_rebuild_tensor_v2 with \(shape.count) sizes and \(strides.count) strides")
            }
            var tensor = try TorchTensor(storage: storage, key: key, storageOffset: offset, shape: shape, strides: strides)
            tensor.requiresGrad = requiresGrad
            return .tensor(tensor)
        case .rebuildParameter:
            // (data, requires_grad, backward_hooks)
            guard args.count == 3, case .tensor(var tensor) = args[0], case .bool(let requiresGrad) = args[1] else {
                throw malformed("_rebuild_parameter expects (tensor, requires_grad, hooks), got \(args.map(\.kind))")
            }
            tensor.requiresGrad = requiresGrad
            tensor.isParameter = true
            return .tensor(tensor)
        case .storageType(let dtype):
            throw malformed("storage type \(dtype.storageName) called directly")
        }
    }

    /// `BINPERSID`: the storage named by `('storage', storage_type, key, location, numel)`.
    private mutating func persistentLoad(_ id: Object) throws(TorchFileError) -> Object {
        guard case .tuple(let fields, _) = id, fields.count == 5, case .string("storage") = fields[0] else {
            throw malformed("a persistent id must be ('storage', type, key, location, numel), got \(id.kind)")
        }
        guard case .global(.storageType(let dtype)) = fields[1], case .string(let key) = fields[2],
              case .string = fields[3], case .int(let count) = fields[4], count >= 0
        else {
            throw malformed("a storage id must be ('storage', type, key, location, numel) with numel >= 0")
        }
        if let existing = storages[key] {
            guard existing.dtype == dtype, existing.count == count else {
                throw malformed("storage \(key.debugDescription) is used as \(existing.count) \(existing.dtype) and as \(count) \(dtype)")
            }
            return .storage(existing, key: key)
        }
        guard let record = records(key) else { throw .missingStorage(key: key) }
        let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, needed <= record.count else {
            throw .shortRecord(key: key, expected: overflow ? Int.max : needed, actual: record.count)
        }
        let storage = TorchStorage(dtype: dtype, count: count, bytes: record.prefix(needed))
        storages[key] = storage
        return .storage(storage, key: key)
    }

    // MARK: - Reading bytes

    private mutating func read(_ count: Int) throws(TorchFileError) -> ArraySlice<UInt8> {
        guard count <= bytes.count - position else { throw .truncatedPickle(offset: bytes.count) }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    private mutating func littleEndian(_ width: Int) throws(TorchFileError) -> UInt64 {
        try read(width).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// `LONG1`: an n-byte two's-complement integer, which must fit in `Int`.
    private mutating func readLong() throws(TorchFileError) -> Int {
        let count = Int(try littleEndian(1))
        let digits = try read(count)
        guard let last = digits.last else { return 0 }
        let fill: UInt8 = last & 0x80 != 0 ? 0xff : 0
        // Bytes above the eighth must only repeat the sign.
        guard digits.dropFirst(8).allSatisfy({ $0 == fill }) else { throw malformed("an integer does not fit in 64 bits") }
        var value: UInt64 = 0
        for index in (0..<8).reversed() {
            let byte = index < count ? digits[digits.startIndex + index] : fill
            value = value << 8 | UInt64(byte)
        }
        let result = Int(Int64(bitPattern: value))
        guard (result < 0) == (fill == 0xff) else { throw malformed("an integer does not fit in 64 bits") }
        return result
    }

    /// A `GLOBAL` operand: bytes up to a newline, at most 256 of them.
    private mutating func readLine() throws(TorchFileError) -> String {
        let start = position
        while position < bytes.count, bytes[position] != 0x0a {
            guard position - start < 256 else { throw malformed("a GLOBAL name longer than 256 bytes") }
            position += 1
        }
        guard position < bytes.count else { throw .truncatedPickle(offset: bytes.count) }
        defer { position += 1 }
        return try utf8(bytes[start..<position], "GLOBAL")
    }

    private func utf8(_ bytes: ArraySlice<UInt8>, _ opcode: String) throws(TorchFileError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw malformed("\(opcode) text is not valid UTF-8") }
        return text
    }

    // MARK: - Stack

    private mutating func pop() throws(TorchFileError) -> Object {
        guard let top = stack.popLast() else { throw malformed("stack underflow") }
        return top
    }

    private mutating func popMark() throws(TorchFileError) -> [Object] {
        guard let previous = marks.popLast() else { throw malformed("no MARK to pop to") }
        defer { stack = previous }
        return stack
    }

    private func topList() throws(TorchFileError) -> PickleList {
        guard case .list(let list)? = stack.last else { throw malformed("APPEND to \(stack.last?.kind ?? "an empty stack"), not a list") }
        return list
    }

    private func topDict() throws(TorchFileError) -> PickleDict {
        guard case .dict(let dictionary)? = stack.last else {
            throw malformed("SETITEM on \(stack.last?.kind ?? "an empty stack"), not a dict")
        }
        return dictionary
    }

    /// A tuple of `items`, at most ``maximumDepth`` tuples deep (tuples are values, freed recursively).
    private func tuple(_ items: [Object]) throws(TorchFileError) -> Object {
        var depth = 1
        for case .tuple(_, let inner) in items { depth = Swift.max(depth, inner + 1) }
        guard depth <= Self.maximumDepth else {
            throw .valueTooLarge(reason: "tuples nested more than \(Self.maximumDepth) deep")
        }
        return .tuple(items, depth: depth)
    }

    /// Records `container` for emptying at the end of the load.
    private mutating func track<C: Container>(_ container: C) -> C {
        containers.append(container)
        return container
    }

    private func malformed(_ reason: String) -> TorchFileError {
        .malformedPickle(reason: reason, offset: opcodeStart)
    }
}

// MARK: - Objects on the stack

/// An allow-listed global.
private enum Global {
    case orderedDict
    case rebuildTensor
    case rebuildParameter
    case storageType(TorchDType)
}

/// A mutable container of the stack machine.
private protocol Container: AnyObject {
    /// Drops the contents.
    func empty()
}

/// A list under construction (a reference, as memo entries and the stack share it).
private final class PickleList: Container {
    var items: [Object] = []

    func empty() { items = [] }
}

/// A dict under construction, in insertion order.
private final class PickleDict: Container {
    let isOrderedDict: Bool
    var entries: [(Object, Object)] = []

    init(isOrderedDict: Bool) {
        self.isOrderedDict = isOrderedDict
    }

    func empty() { entries = [] }
}

/// What the stack machine holds: values, containers under construction, globals and storages.
private enum Object {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    /// Items and nesting depth (1 for a tuple of no tuples).
    case tuple([Object], depth: Int)
    case list(PickleList)
    case dict(PickleDict)
    case global(Global)
    case storage(TorchStorage, key: String)
    case tensor(TorchTensor)

    /// The name of the kind of object, for error messages.
    var kind: String {
        switch self {
        case .none: "None"
        case .bool: "a bool"
        case .int: "an int"
        case .float: "a float"
        case .string: "a string"
        case .tuple: "a tuple"
        case .list: "a list"
        case .dict: "a dict"
        case .global: "a global"
        case .storage: "a storage"
        case .tensor: "a tensor"
        }
    }

    /// The ints of a tuple or list of ints, or nil.
    var integers: [Int]? {
        let items: [Object]
        switch self {
        case .tuple(let values, _): items = values
        case .list(let list): items = list.items
        default: return nil
        }
        var result: [Int] = []
        for item in items {
            guard case .int(let value) = item else { return nil }
            result.append(value)
        }
        return result
    }

    /// The finished value: containers converted recursively, at most ``Unpickler/maximumDepth``
    /// deep and `budget` nodes in all (a cycle or exponential sharing exhausts one of them).
    func value(depth: Int, budget: inout Int, at offset: Int) throws(TorchFileError) -> TorchValue {
        budget -= 1
        guard budget >= 0 else { throw .valueTooLarge(reason: "shared containers expand to more values than the pickle has bytes") }
        guard depth <= Unpickler.maximumDepth else {
            throw .valueTooLarge(reason: "containers nested more than \(Unpickler.maximumDepth) deep (or a cycle)")
        }
        switch self {
        case .none: return .none
        case .bool(let value): return .bool(value)
        case .int(let value): return .int(value)
        case .float(let value): return .float(value)
        case .string(let value): return .string(value)
        case .tensor(let value): return .tensor(value)
        case .tuple(let items, _):
            var values: [TorchValue] = []
            for item in items { values.append(try item.value(depth: depth + 1, budget: &budget, at: offset)) }
            return .tuple(values)
        case .list(let list):
            var values: [TorchValue] = []
            for item in list.items { values.append(try item.value(depth: depth + 1, budget: &budget, at: offset)) }
            return .list(values)
        case .dict(let dictionary):
            var result = TorchDictionary()
            for (key, value) in dictionary.entries {
                result.append(
                    try key.value(depth: depth + 1, budget: &budget, at: offset),
                    try value.value(depth: depth + 1, budget: &budget, at: offset))
            }
            return .dict(result)
        case .global, .storage:
            throw .malformedPickle(reason: "the result contains \(kind), which is not a value", offset: offset)
        }
    }
}
