using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;
using System.Threading;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Output;

/// <summary>
/// Emits and caches the record types of response messages: per message shape (the message type, and for messages
/// with a oneof, which member is set) a sealed class deriving from <see cref="Message"/>, named
/// <c>RpcPlugin.Message#&lt;full.name&gt;</c>, with one public <c>object</c> field per property in order, and a compiled
/// factory that fills them. Shapes are few and long-lived, so the types are never unloaded.
/// </summary>
internal static class MessageRecordTypes
{
    private static readonly ConcurrentDictionary<MessageDescriptor, RecordType> ByMessage = new();
    private static readonly ConcurrentDictionary<string, RecordType> ByShape = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Type, RecordType> ByType = new();
    private static int assemblies;

    /// <summary>Makes a record of the given message type with these properties, in order.</summary>
    public static Message Create(MessageDescriptor? type, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        RecordType record = type is not null && ByMessage.TryGetValue(type, out RecordType? known) ? known : Find(type, properties);
        var values = new object?[properties.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = properties[i].Value;
        }

        return record.Create(values);
    }

    /// <summary>A record's properties and values, in order.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Read(Message message)
    {
        RecordType record = ByType[message.GetType()];
        foreach (FieldInfo field in record.Fields)
        {
            yield return new(field.Name, field.GetValue(message));
        }
    }

    private static RecordType Find(MessageDescriptor? type, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        string name = type?.FullName ?? "google.protobuf.Any";

        // Without a real oneof the property names are fixed by the message type, which is then the key (the fast
        // path above); with one, they depend on which member is set, and so does the shape.
        if (type is not null && type.Oneofs.All(o => o.IsSynthetic))
        {
            return ByMessage.GetOrAdd(type, _ => Emit(name, properties));
        }

        string shape = name + "\u0000" + string.Join("\u0000", properties.Select(p => p.Key));
        return ByShape.GetOrAdd(shape, _ => Emit(name, properties));
    }

    private static RecordType Emit(string messageName, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        // One dynamic assembly per shape: shapes of one message differ only in their oneof member yet share the
        // type name PowerShell shows, and names must be unique within an assembly.
        var assemblyName = new AssemblyName("RpcPlugin.Messages." + Interlocked.Increment(ref assemblies).ToString(System.Globalization.CultureInfo.InvariantCulture));
        AssemblyBuilder assembly = AssemblyBuilder.DefineDynamicAssembly(assemblyName, AssemblyBuilderAccess.Run);
        ModuleBuilder module = assembly.DefineDynamicModule(assemblyName.Name!);
        TypeBuilder builder = module.DefineType("RpcPlugin.Message#" + messageName, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(Message));
        foreach (KeyValuePair<string, object?> property in properties)
        {
            builder.DefineField(property.Key, typeof(object), FieldAttributes.Public);
        }

        builder.DefineDefaultConstructor(MethodAttributes.Public);
        Type type = builder.CreateType();
        FieldInfo[] fields = properties.Select(p => type.GetField(p.Key)!).ToArray();

        ParameterExpression values = Expression.Parameter(typeof(object?[]), "values");
        Expression body = Expression.MemberInit(
            Expression.New(type),
            fields.Select((field, index) => Expression.Bind(field, Expression.ArrayIndex(values, Expression.Constant(index)))));
        var create = Expression.Lambda<Func<object?[], Message>>(Expression.Convert(body, typeof(Message)), values).Compile();

        var record = new RecordType(fields, create);
        ByType[type] = record;
        return record;
    }

    private sealed record RecordType(FieldInfo[] Fields, Func<object?[], Message> Create);
}
