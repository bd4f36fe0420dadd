/// The pickle opcodes a weights-only `.pt` file may use: those PyTorch's
/// `torch/_weights_only_unpickler.py` accepts and this reader supports (the writer uses a subset).
enum PickleOpcode: UInt8 {
    /// `PROTO n`: the protocol version (2 for `torch.save`).
    case proto = 0x80
    /// `STOP`: the value on top of the stack is the result.
    case stop = 0x2e
    /// `GLOBAL module\nname\n`: push a global, resolved against the allow-list.
    case global = 0x63
    /// `REDUCE`: call the callable below the top with the top's tuple of arguments.
    case reduce = 0x52
    /// `BUILD`: set the state of the object below the top (only `OrderedDict` here).
    case build = 0x62
    /// `APPEND`: append the top to the list below it.
    case append = 0x61
    /// `APPENDS`: append the items above the mark to the list below the mark.
    case appends = 0x65
    /// `SETITEM`: `dict[key] = value` with the two top items.
    case setItem = 0x73
    /// `SETITEMS`: the key/value pairs above the mark into the dict below the mark.
    case setItems = 0x75
    /// `MARK`: start a group of items.
    case mark = 0x28
    /// `TUPLE`: the items above the mark as a tuple.
    case tuple = 0x74
    /// `TUPLE1`: a 1-tuple of the top item.
    case tuple1 = 0x85
    /// `TUPLE2`: a 2-tuple of the two top items.
    case tuple2 = 0x86
    /// `TUPLE3`: a 3-tuple of the three top items.
    case tuple3 = 0x87
    /// `NONE`.
    case none = 0x4e
    /// `NEWFALSE`.
    case newFalse = 0x89
    /// `NEWTRUE`.
    case newTrue = 0x88
    /// `EMPTY_TUPLE`.
    case emptyTuple = 0x29
    /// `EMPTY_LIST`.
    case emptyList = 0x5d
    /// `EMPTY_DICT`.
    case emptyDict = 0x7d
    /// `BININT`: a 4-byte little-endian signed int.
    case binInt = 0x4a
    /// `BININT1`: a 1-byte unsigned int.
    case binInt1 = 0x4b
    /// `BININT2`: a 2-byte little-endian unsigned int.
    case binInt2 = 0x4d
    /// `LONG1 n`: an n-byte little-endian two's-complement int.
    case long1 = 0x8a
    /// `BINFLOAT`: an 8-byte big-endian double.
    case binFloat = 0x47
    /// `BINUNICODE`: a UTF-8 string with a 4-byte little-endian length.
    case binUnicode = 0x58
    /// `SHORT_BINSTRING`: a byte string with a 1-byte length (ASCII storage tags of old files).
    case shortBinString = 0x55
    /// `BINPERSID`: the persistent object named by the top item (a storage).
    case binPersID = 0x51
    /// `BINGET`: push memo entry n (1-byte n).
    case binGet = 0x68
    /// `LONG_BINGET`: push memo entry n (4-byte n).
    case longBinGet = 0x6a
    /// `BINPUT`: store the top in memo entry n (1-byte n).
    case binPut = 0x71
    /// `LONG_BINPUT`: store the top in memo entry n (4-byte n).
    case longBinPut = 0x72
}
