/// Writes a ``TorchValue`` as the `data.pkl` of a `.pt` file: pickle protocol 2 with only the
/// opcodes and globals a weights-only `torch.load` accepts, tensors as `torch.save` writes them
/// (`_rebuild_tensor_v2` with a persistent id per storage, `_rebuild_parameter` around parameters).
///
/// Storages are numbered `"0"`, `"1"`, ... in order of first use; a storage shared by several
/// tensors is written once.
struct Pickler {
    /// The pickle so far.
    private(set) var bytes: [UInt8] = [PickleOpcode.proto.rawValue, 2]
    /// The storages to write as `data/<key>` records, in key order.
    private(set) var storages: [(key: String, storage: TorchStorage)] = []
    private var keys: [ObjectIdentifier: String] = [:]

    /// Appends `value`, then `STOP`.
    mutating func finish(_ value: TorchValue) throws(TorchFileError) {
        try write(value)
        emit(.stop)
    }

    private mutating func write(_ value: TorchValue) throws(TorchFileError) {
        switch value {
        case .none: emit(.none)
        case .bool(let flag): emit(flag ? .newTrue : .newFalse)
        case .int(let number): writeInt(number)
        case .float(let number):
            emit(.binFloat)
            bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: number.bitPattern >> (8 * $0)) }
        case .string(let text): writeString(text)
        case .tuple(let items): try writeTuple(items)
        case .list(let items):
            emit(.emptyList)
            guard !items.isEmpty else { return }
            emit(.mark)
            for item in items { try write(item) }
            emit(.appends)
        case .dict(let dictionary):
            emit(.emptyDict)
            guard dictionary.count > 0 else { return }
            emit(.mark)
            for (key, item) in dictionary.entries {
                switch key {
                case .string, .int, .float, .bool, .none, .tuple: try write(key)
                default: throw .unwritableValue(reason: "a dict key is \(key.kindDescription), which Python cannot hash")
                }
                try write(item)
            }
            emit(.setItems)
        case .tensor(let tensor): writeTensor(tensor)
        }
    }

    private mutating func writeTensor(_ tensor: TorchTensor) {
        if tensor.isParameter { writeGlobal("torch._utils", "_rebuild_parameter") }
        writeGlobal("torch._utils", "_rebuild_tensor_v2")
        emit(.mark)
        // The persistent id: ('storage', torch.XStorage, key, 'cpu', numel).
        emit(.mark)
        writeString("storage")
        writeGlobal("torch", tensor.storage.dtype.storageName)
        writeString(key(of: tensor.storage))
        writeString("cpu")
        writeInt(tensor.storage.count)
        emit(.tuple)
        emit(.binPersID)
        writeInt(tensor.storageOffset)
        writeInts(tensor.shape)
        writeInts(tensor.strides)
        emit(tensor.requiresGrad && !tensor.isParameter ? .newTrue : .newFalse)
        writeEmptyOrderedDict()
        emit(.tuple)
        emit(.reduce)
        if tensor.isParameter {
            emit(tensor.requiresGrad ? .newTrue : .newFalse)
            writeEmptyOrderedDict()
            emit(.tuple3)
            emit(.reduce)
        }
    }

    /// The key of `storage`, assigning the next number on its first use.
    private mutating func key(of storage: TorchStorage) -> String {
        let identifier = ObjectIdentifier(storage)
        if let key = keys[identifier] { return key }
        let key = String(storages.count)
        keys[identifier] = key
        storages.append((key, storage))
        return key
    }

    private mutating func writeTuple(_ items: [TorchValue]) throws(TorchFileError) {
        switch items.count {
        case 0: emit(.emptyTuple)
        case 1...3:
            for item in items { try write(item) }
            emit([PickleOpcode.tuple1, .tuple2, .tuple3][items.count - 1])
        default:
            emit(.mark)
            for item in items { try write(item) }
            emit(.tuple)
        }
    }

    private mutating func writeInts(_ values: [Int]) {
        // Ints cannot fail to write.
        try? writeTuple(values.map(TorchValue.int))
    }

    private mutating func writeEmptyOrderedDict() {
        writeGlobal("collections", "OrderedDict")
        emit(.emptyTuple)
        emit(.reduce)
    }

    private mutating func writeGlobal(_ module: String, _ name: String) {
        emit(.global)
        bytes += Array(module.utf8) + [0x0a] + Array(name.utf8) + [0x0a]
    }

    private mutating func writeString(_ text: String) {
        let utf8 = Array(text.utf8)
        emit(.binUnicode)
        bytes += (0..<4).map { UInt8(truncatingIfNeeded: utf8.count >> (8 * $0)) }
        bytes += utf8
    }

    /// The shortest of `BININT1`, `BININT2`, `BININT` and `LONG1` that holds `number`, as Python writes it.
    private mutating func writeInt(_ number: Int) {
        switch number {
        case 0...0xff:
            emit(.binInt1)
            bytes.append(UInt8(number))
        case 0...0xffff:
            emit(.binInt2)
            bytes += [UInt8(number & 0xff), UInt8(number >> 8)]
        case Int(Int32.min)...Int(Int32.max):
            emit(.binInt)
            bytes += (0..<4).map { UInt8(truncatingIfNeeded: number >> (8 * $0)) }
        default:
            // Two's complement, little-endian, without redundant sign bytes.
            var digits = (0..<8).map { UInt8(truncatingIfNeeded: number >> (8 * $0)) }
            let fill: UInt8 = number < 0 ? 0xff : 0
            while digits.count > 1, digits[digits.count - 1] == fill, (digits[digits.count - 2] & 0x80 != 0) == (fill == 0xff) {
                digits.removeLast()
            }
            emit(.long1)
            bytes.append(UInt8(digits.count))
            bytes += digits
        }
    }

    private mutating func emit(_ opcode: PickleOpcode) {
        bytes.append(opcode.rawValue)
    }
}
