using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Text;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Output;

/// <summary>
/// Emits and caches the record types of response messages: per message shape a sealed class deriving from
/// <see cref="Message"/>, named <c>RpcPlugin.Message#&lt;full.name&gt;</c>, with one public <c>object</c> field per
/// property in order, and a factory (one dynamic method) that fills them.
/// </summary>
/// <remarks>
/// Types are shared by shape, not by descriptor: every session has its own descriptor objects, and a host that
/// starts a plugin every minute must not emit (and keep: emitted types are never unloaded) new types each time.
/// The shape is the message's full name (the type name scripts and format views see) and its property names in
/// order. That is all a record type holds: every property is typed <c>object</c> and the type keeps nothing of the
/// descriptor, so two sessions whose messages have the same name and fields share a type safely even when a field's
/// proto type differs. The descriptor is only a shortcut to the shape, kept in a weak table that dies with the
/// session's descriptors.
/// </remarks>
internal static class MessageRecordTypes
{
    private static readonly ConditionalWeakTable<MessageDescriptor, RecordType> ByMessage = new();
    private static readonly ConcurrentDictionary<string, RecordType> ByShape = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Type, RecordType> ByType = new();
    private static readonly object EmitGate = new();
    private static int assemblies;

    /// <summary>Makes a record of the given message type with these properties, in order.</summary>
    public static Message Create(MessageDescriptor? type, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        RecordType record = type is not null && ByMessage.TryGetValue(type, out RecordType? known) && known.Fields.Length == properties.Count
            ? known
            : Find(type, properties);
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
        var shape = new StringBuilder(name);
        for (int i = 0; i < properties.Count; i++)
        {
            shape.Append('\0').Append(properties[i].Key);
        }

        string key = shape.ToString();
        if (!ByShape.TryGetValue(key, out RecordType? record))
        {
            lock (EmitGate)
            {
                // Under the lock, so that racing sessions do not emit the same shape twice.
                record = ByShape.GetOrAdd(key, _ => Emit(name, properties));
            }
        }

        if (type is not null)
        {
            // The projector gives a message type the same properties every time (every field, in order).
            ByMessage.AddOrUpdate(type, record);
        }

        return record;
    }

    private static RecordType Emit(string messageName, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        // One dynamic assembly per shape: two shapes of one message name (two sessions whose plugins define the
        // message differently) share the type name PowerShell shows, and names must be unique within an assembly.
        var assemblyName = new AssemblyName("RpcPlugin.Messages." + Interlocked.Increment(ref assemblies).ToString(System.Globalization.CultureInfo.InvariantCulture));
        AssemblyBuilder assembly = AssemblyBuilder.DefineDynamicAssembly(assemblyName, AssemblyBuilderAccess.Run);
        ModuleBuilder module = assembly.DefineDynamicModule(assemblyName.Name!);
        TypeBuilder builder = module.DefineType("RpcPlugin.Message#" + messageName, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(Message));
        for (int i = 0; i < properties.Count; i++)
        {
            builder.DefineField(properties[i].Key, typeof(object), FieldAttributes.Public);
        }

        builder.DefineDefaultConstructor(MethodAttributes.Public);
        Type type = builder.CreateType();
        var fields = new FieldInfo[properties.Count];
        for (int i = 0; i < fields.Length; i++)
        {
            fields[i] = type.GetField(properties[i].Key)!;
        }

        var record = new RecordType(fields, EmitFactory(type, fields));
        ByType[type] = record;
        return record;
    }

    /// <summary>
    /// <c>values =&gt; new T { f0 = values[0], f1 = values[1], ... }</c> as one dynamic method: an expression tree
    /// compiled to the same code costs tens of milliseconds and some 25 JIT-compiled methods in a new process.
    /// </summary>
    private static Func<object?[], Message> EmitFactory(Type type, FieldInfo[] fields)
    {
        var method = new DynamicMethod("Create" + type.Name, typeof(Message), new[] { typeof(object?[]) }, typeof(MessageRecordTypes).Module, skipVisibility: true);
        ILGenerator il = method.GetILGenerator();
        il.Emit(OpCodes.Newobj, type.GetConstructor(Type.EmptyTypes)!);
        for (int i = 0; i < fields.Length; i++)
        {
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelem_Ref);
            il.Emit(OpCodes.Stfld, fields[i]);
        }

        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Func<object?[], Message>>();
    }

    private sealed record RecordType(FieldInfo[] Fields, Func<object?[], Message> Create);
}
