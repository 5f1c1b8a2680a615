namespace RpcPlugin.Core.Codec;

/// <summary>
/// The exceptions of malformed binary input, built in one place so the messages stay consistent and the reader's
/// hot paths only carry a call.
/// </summary>
internal static class WireErrors
{
    public static ProtobufCodecException TruncatedVarint(int offset) =>
        new("The data ends inside a varint.", offset: offset);

    public static ProtobufCodecException VarintTooLong(int offset) =>
        new("A varint is longer than 10 bytes.", offset: offset);

    public static ProtobufCodecException Truncated(int offset, int needed, int left) =>
        new($"The data ends early: {needed} bytes needed, {left} left.", offset: offset);

    public static ProtobufCodecException LengthPastEnd(int offset, ulong length, int left, bool nested) =>
        new($"A length of {length} runs past the end of the {(nested ? "enclosing message" : "data")} ({left} bytes left).", offset: offset);

    public static ProtobufCodecException TagTooLarge(int offset) =>
        new("A tag is larger than 32 bits.", offset: offset);

    public static ProtobufCodecException FieldNumberZero(int offset) =>
        new("A tag has field number 0, which is invalid.", offset: offset);

    public static ProtobufCodecException InvalidWireType(int offset, int fieldNumber, int wireType) =>
        new($"Field number {fieldNumber} has invalid wire type {wireType}.", offset: offset);

    public static ProtobufCodecException UnexpectedEndGroup(int offset, int fieldNumber) =>
        new($"An end-group tag for field number {fieldNumber} has no matching start-group tag.", offset: offset);

    public static ProtobufCodecException EndGroupMismatch(int offset, int fieldNumber, int openNumber) =>
        new($"An end-group tag for field number {fieldNumber} closes the group of field number {openNumber}.", offset: offset);

    public static ProtobufCodecException UnterminatedGroup(int offset, int fieldNumber) =>
        new($"The group of field number {fieldNumber} has no end-group tag.", offset: offset);

    public static ProtobufCodecException RecursionLimit(int offset, int limit) =>
        new($"Messages are nested deeper than the recursion limit of {limit}.", offset: offset);

    public static ProtobufCodecException WrongWireType(int offset, string fieldType, int wireType) =>
        new($"A {fieldType} field cannot have wire type {wireType} ({(WireType)wireType}).", offset: offset);

    public static ProtobufCodecException InvalidUtf8(int offset) =>
        new("A string is not valid UTF-8.", offset: offset);

    public static ProtobufCodecException PackedLength(int offset, int length, int elementSize) =>
        new($"A packed field of {elementSize}-byte values has a length of {length}, not a multiple of {elementSize}.", offset: offset);
}
