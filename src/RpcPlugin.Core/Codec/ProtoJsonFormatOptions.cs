using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>How <see cref="ProtoJson.Format(DynamicMessage, ProtoJsonFormatOptions?)"/> writes JSON.</summary>
public sealed class ProtoJsonFormatOptions
{
    /// <summary>Compact output, lowerCamelCase names, no default values.</summary>
    public static ProtoJsonFormatOptions Default { get; } = new();

    /// <summary>Write one field per line, indented.</summary>
    public bool Indented { get; init; }

    /// <summary>
    /// Also write fields without presence that hold their default (proto3 scalars at zero, empty repeated and map
    /// fields), as Google.Protobuf's <c>FormatDefaultValues</c>. Fields with presence are written only when set.
    /// </summary>
    public bool EmitDefaultValues { get; init; }

    /// <summary>Use the proto field names (<c>f_int32</c>) instead of their JSON names (<c>fInt32</c>).</summary>
    public bool PreserveProtoFieldNames { get; init; }

    /// <summary>
    /// Finds the message type packed in a <c>google.protobuf.Any</c>, given its full name (the type URL after its
    /// last '/', e.g. <c>pkg.Msg</c>). Well-known types are found without it.
    /// </summary>
    public Func<string, MessageDescriptor?>? TypeResolver { get; init; }

    /// <summary>How deeply messages may nest; deeper (e.g. a message containing itself) is an error.</summary>
    public int RecursionLimit { get; init; } = DynamicCodec.DefaultRecursionLimit;
}
