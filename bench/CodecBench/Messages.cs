using System;
using System.Linq;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPluginBench.Codec;

/// <summary>The three messages of the codec row, built with the generated code.</summary>
internal static class Messages
{
    public static IMessage Create(string kind) => kind switch
    {
        // small: what the unary rows send.
        "small" => new EchoRequest { Message = "hello", DelayMs = 0 },

        // medium: every field of AllTypes set (scalars, repeated, maps, oneof, optional, well-known types, wrappers).
        "medium" => Medium(),

        // large: 1 MB of bytes and 10,000 packed int32s.
        "large" => Large(),
        _ => throw new ArgumentException($"Unknown message kind '{kind}'.", nameof(kind)),
    };

    public static MessageDescriptor DescriptorOf(IMessage message) => message.Descriptor;

    /// <summary>How many fields of the message are set (top level), for the report.</summary>
    public static int SetFieldCount(IMessage message) =>
        message.Descriptor.Fields.InDeclarationOrder().Count(f => IsSet(f, message));

    private static bool IsSet(FieldDescriptor field, IMessage message)
    {
        object? value = field.Accessor.GetValue(message);
        if (field.IsMap || field.IsRepeated)
        {
            return ((System.Collections.ICollection)value).Count > 0;
        }

        if (field.HasPresence)
        {
            return field.Accessor.HasValue(message);
        }

        return value switch
        {
            null => false,
            string text => text.Length > 0,
            ByteString data => data.Length > 0,
            _ => !value.Equals(Activator.CreateInstance(value.GetType())),
        };
    }

    private static AllTypes Medium()
    {
        var nested = new Nested { Name = "inner", Value = 7, Child = new Nested { Name = "leaf", Value = 8 } };
        var message = new AllTypes
        {
            FInt32 = -123456,
            FInt64 = -1234567890123L,
            FUint32 = 3000000000u,
            FUint64 = 12345678901234567890UL,
            FSint32 = -42,
            FSint64 = -4242424242L,
            FFixed32 = 0xDEADBEEF,
            FFixed64 = 0x0123456789ABCDEFUL,
            FSfixed32 = -99,
            FSfixed64 = -9999999999L,
            FFloat = 3.25f,
            FDouble = 2.718281828459045,
            FBool = true,
            FString = "a medium-sized message with every field set",
            FBytes = ByteString.CopyFrom(Enumerable.Range(0, 64).Select(i => (byte)i).ToArray()),
            FEnum = Color.Green,
            FNested = nested,
            OString = "the oneof member",
            OptInt32 = 0,
            WTimestamp = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 26, 13, 0, 0, TimeSpan.Zero)),
            WDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(1.5)),
            WStruct = new Struct { Fields = { ["a"] = Value.ForNumber(1), ["b"] = Value.ForString("two"), ["c"] = Value.ForBool(true) } },
            WValue = Value.ForList(Value.ForNumber(1), Value.ForString("x")),
            WListValue = new ListValue { Values = { Value.ForNumber(1), Value.ForNull(), Value.ForString("y") } },
            WAny = Any.Pack(new Nested { Name = "packed", Value = 1 }),
            WEmpty = new Empty(),
            WInt32 = 32,
            WInt64 = 64L,
            WUint32 = 32u,
            WUint64 = 64UL,
            WFloat = 1.5f,
            WDouble = 2.5,
            WBool = true,
            WString = "wrapped",
            WBytes = ByteString.CopyFromUtf8("wrapped bytes"),
        };
        message.RInt32.Add(Enumerable.Range(-5, 20));
        message.RInt32Unpacked.Add(Enumerable.Range(0, 20));
        message.RString.Add(Enumerable.Range(0, 10).Select(i => "item " + i));
        message.RBytes.Add(Enumerable.Range(0, 5).Select(i => ByteString.CopyFrom(new byte[] { (byte)i, 1, 2, 3 })));
        message.RDouble.Add(Enumerable.Range(0, 10).Select(i => i * 0.5));
        message.REnum.Add(new[] { Color.Red, Color.Green, Color.Blue, (Color)7 });
        message.RNested.Add(Enumerable.Range(0, 5).Select(i => new Nested { Name = "n" + i, Value = i }));
        for (int i = 0; i < 5; i++)
        {
            message.MString["key" + i] = "value" + i;
            message.MNested[i] = new Nested { Name = "m" + i, Value = i };
            message.MInt64["k" + i] = i * 1000000000000L;
        }

        message.MBool[true] = "yes";
        message.MBool[false] = "no";
        return message;
    }

    private static AllTypes Large()
    {
        var bytes = new byte[1 << 20];
        new Random(42).NextBytes(bytes);
        var message = new AllTypes { FBytes = ByteString.CopyFrom(bytes) };
        message.RInt32.Add(Enumerable.Range(0, 10_000).Select(i => i * 37 - 100_000));
        return message;
    }
}
