using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Tests.Codec.Proto2;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>Fully populated generated messages with the values that tend to break codecs.</summary>
internal static class OracleMessages
{
    public const string Unicode = "héllo wörld ✓ 日本語 😀 \u0000 \"q\" \\ \n";

    /// <summary>
    /// AllTypes with every field set, extremes included. <paramref name="choice"/> picks the oneof member (0 string,
    /// 1 int32, 2 message). The singular double is not -0.0: generated C# drops it on the wire (it compares with
    /// == 0), so the oracle could not hold it; -0.0 travels in the repeated double instead.
    /// </summary>
    public static AllTypes FullAllTypes(int choice = 2)
    {
        var message = new AllTypes
        {
            FInt32 = int.MinValue,
            FInt64 = long.MinValue,
            FUint32 = uint.MaxValue,
            FUint64 = ulong.MaxValue,
            FSint32 = int.MinValue,
            FSint64 = long.MaxValue,
            FFixed32 = uint.MaxValue,
            FFixed64 = ulong.MaxValue,
            FSfixed32 = int.MinValue,
            FSfixed64 = long.MinValue,
            FFloat = float.NaN,
            FDouble = double.NegativeInfinity,
            FBool = true,
            FString = Unicode,
            FBytes = ByteString.CopyFrom(0, 1, 2, 0x7F, 0x80, 0xFF),
            FEnum = Color.Blue,
            FNested = Chain("root", 3),
            OptInt32 = 0,
            WTimestamp = new Timestamp { Seconds = 1_700_000_000, Nanos = 123_456_789 },
            WDuration = new Duration { Seconds = -3, Nanos = -500_000_000 },
            WStruct = new Struct
            {
                Fields =
                {
                    ["text"] = Value.ForString(Unicode),
                    ["number"] = Value.ForNumber(-1.25e-7),
                    ["flag"] = Value.ForBool(false),
                    ["nothing"] = Value.ForNull(),
                    ["list"] = Value.ForList(Value.ForNumber(1), Value.ForString("two"), Value.ForStruct(new Struct())),
                    ["nested"] = Value.ForStruct(new Struct { Fields = { ["deep"] = Value.ForNumber(42) } }),
                },
            },
            WValue = Value.ForList(Value.ForNull(), Value.ForBool(true)),
            WListValue = new ListValue { Values = { Value.ForNumber(0), Value.ForString(string.Empty) } },
            WAny = Any.Pack(Chain("packed", 2)),
            WEmpty = new Empty(),
            WInt32 = int.MinValue,
            WInt64 = long.MaxValue,
            WUint32 = uint.MaxValue,
            WUint64 = ulong.MaxValue,
            WFloat = float.PositiveInfinity,
            WDouble = double.Epsilon,
            WBool = false,
            WString = Unicode,
            WBytes = ByteString.Empty,
        };
        message.RInt32.Add(new[] { 0, -1, 1, int.MaxValue, int.MinValue, 300 });
        message.RInt32Unpacked.Add(new[] { -5, 0, 5, int.MinValue });
        message.RString.Add(new[] { string.Empty, Unicode, "x" });
        message.RBytes.Add(new[] { ByteString.Empty, ByteString.CopyFrom(0xFF, 0x00) });
        message.RDouble.Add(new[] { -0.0, 0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue, 0.1 });
        message.REnum.Add(new[] { Color.Red, Color.Unspecified, (Color)99, (Color)(-7) });
        message.RNested.Add(new[] { new Nested(), Chain("a", 2), new Nested { Value = -1 } });
        message.MString.Add("", "empty key");
        message.MString.Add("k", Unicode);
        message.MNested.Add(0, new Nested());
        message.MNested.Add(-1, Chain("minus", 2));
        message.MNested.Add(int.MaxValue, new Nested { Name = "max" });
        message.MInt64.Add("min", long.MinValue);
        message.MInt64.Add("zero", 0);
        message.MBool.Add(true, "yes");
        message.MBool.Add(false, string.Empty);
        switch (choice)
        {
            case 0:
                message.OString = string.Empty;
                break;
            case 1:
                message.OInt32 = 0;
                break;
            default:
                message.ONested = Chain("choice", 1);
                break;
        }

        return message;
    }

    /// <summary>A chain of Nested messages <paramref name="depth"/> deep.</summary>
    public static Nested Chain(string name, int depth)
    {
        var root = new Nested { Name = name, Value = depth };
        if (depth > 1)
        {
            root.Child = Chain(name + ".child", depth - 1);
        }

        return root;
    }

    /// <summary>The proto2 Scalars message with every field set, including defaults written explicitly.</summary>
    public static Scalars FullScalars()
    {
        var message = new Scalars
        {
            OInt32 = 0,
            OInt64 = long.MinValue,
            OUint32 = 0,
            OUint64 = ulong.MaxValue,
            OSint32 = -1,
            OSint64 = long.MinValue,
            OFixed32 = 0,
            OFixed64 = 1,
            OSfixed32 = -2,
            OSfixed64 = -3,
            OFloat = -0.0f,
            ODouble = 0.0,
            OBool = false,
            OString = string.Empty,
            OBytes = ByteString.Empty,
            OEnum = Level.Low,
            OChild = new Child(),
            ReqInt32 = 0,
            ReqString = Unicode,
            ReqChild = new Child { Name = "required", Value = 7 },
            Result = new Scalars.Types.Result { Url = "https://example", Rank = 3, Child = new Child { Next = new Child { Name = "next" } } },
            Recursive = new Scalars { ReqInt32 = 1, ReqString = "inner", ReqChild = new Child(), LString = { "a" } },
            PickChild = new Child { Value = 0 },
        };
        message.LInt32.Add(new[] { 1, -1, int.MinValue });
        message.LInt64.Add(new[] { long.MaxValue, 0L });
        message.LUint32.Add(new[] { uint.MaxValue });
        message.LUint64.Add(new[] { ulong.MaxValue, 0UL });
        message.LSint32.Add(new[] { int.MinValue, int.MaxValue });
        message.LSint64.Add(new[] { long.MinValue, long.MaxValue });
        message.LFixed32.Add(new[] { 1U, 2U });
        message.LFixed64.Add(new[] { 3UL });
        message.LSfixed32.Add(new[] { -4 });
        message.LSfixed64.Add(new[] { -5L });
        message.LFloat.Add(new[] { float.NaN, -0.0f, float.MinValue });
        message.LDouble.Add(new[] { double.NegativeInfinity, 1e-300 });
        message.LBool.Add(new[] { true, false, true });
        message.LString.Add(new[] { string.Empty, Unicode });
        message.LBytes.Add(new[] { ByteString.CopyFrom(1, 2, 3) });
        message.LEnum.Add(new[] { Level.High, Level.Negative, (Level)42 });
        message.LChild.Add(new[] { new Child(), new Child { Kids = { new Child { Name = "kid" } } } });
        message.PInt32.Add(new[] { 0, -1, 128 });
        message.PInt64.Add(new[] { long.MinValue });
        message.PUint32.Add(new[] { 16384U });
        message.PUint64.Add(new[] { ulong.MaxValue });
        message.PSint32.Add(new[] { -64, 63 });
        message.PSint64.Add(new[] { -1L });
        message.PFixed32.Add(new[] { 7U, 8U });
        message.PFixed64.Add(new[] { 9UL });
        message.PSfixed32.Add(new[] { int.MinValue });
        message.PSfixed64.Add(new[] { long.MaxValue });
        message.PFloat.Add(new[] { 1.5f, float.PositiveInfinity });
        message.PDouble.Add(new[] { -2.5, double.NaN });
        message.PBool.Add(new[] { false, true });
        message.PEnum.Add(new[] { Level.Medium, (Level)(-100) });
        message.Item.Add(new Scalars.Types.Item { Id = 1, Tags = { "x", "y" } });
        message.Item.Add(new Scalars.Types.Item());
        message.Children.Add("one", new Child { Name = "1" });
        message.Children.Add(string.Empty, new Child());
        message.Blobs.Add(-1, ByteString.CopyFrom(0xAB));
        message.Blobs.Add(0, ByteString.Empty);
        return message;
    }

    /// <summary>A type resolver for Any that knows the test plugin's and the codec tests' messages.</summary>
    public static MessageDescriptor? Resolve(string fullName) => fullName switch
    {
        "testplugin.Nested" => Nested.Descriptor,
        "testplugin.AllTypes" => AllTypes.Descriptor,
        "codec.proto2.Child" => Child.Descriptor,
        "codec.proto3.Tree" => Proto3.Tree.Descriptor,
        "codec.proto3.Sparse" => Proto3.Sparse.Descriptor,
        _ => null,
    };

    /// <summary>Google's JSON formatter and parser set up with the same types as <see cref="Resolve"/>.</summary>
    public static TypeRegistry Registry { get; } = TypeRegistry.FromMessages(
        Nested.Descriptor, AllTypes.Descriptor, Child.Descriptor, Proto3.Tree.Descriptor, Proto3.Sparse.Descriptor);
}
