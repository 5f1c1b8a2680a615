using System.Text;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// Gives each top-level symbol (message, enum, service, extension) one owner. Files are visited in priority
/// order (user sources, then reflection); a later file's copy of a symbol is removed and the owner becomes its
/// public import. Two user sources defining a symbol differently is an error naming both.
/// </summary>
internal sealed class SymbolMerger
{
    private readonly Dictionary<string, (PoolCandidate Owner, ByteString Definition)> owners = new(StringComparer.Ordinal);
    private readonly List<string> errors;

    public SymbolMerger(List<string> errors)
    {
        this.errors = errors;
    }

    public void Merge(PoolCandidate file)
    {
        string prefix = file.Proto.Package.Length == 0 ? string.Empty : file.Proto.Package + ".";
        Merge(file, prefix, "Message", file.Proto.MessageType, m => m.Name, Canonical);
        Merge(file, prefix, "Enum", file.Proto.EnumType, e => e.Name, e => e.ToByteString());
        Merge(file, prefix, "Service", file.Proto.Service, s => s.Name, s => s.ToByteString());
        Merge(file, prefix, "Extension", file.Proto.Extension, x => x.Name, Canonical);
    }

    private void Merge<T>(PoolCandidate file, string prefix, string kind, RepeatedField<T> symbols, Func<T, string> nameOf, Func<T, ByteString> definitionOf)
    {
        for (int i = 0; i < symbols.Count; i++)
        {
            string fullName = prefix + nameOf(symbols[i]);
            if (!owners.TryGetValue(fullName, out var owner))
            {
                owners[fullName] = (file, definitionOf(symbols[i]));
                continue;
            }

            if (owner.Owner == file)
            {
                continue;
            }

            if (file.IsUser && owner.Owner.IsUser && !owner.Definition.Equals(definitionOf(symbols[i])))
            {
                errors.Add($"{kind} '{fullName}' is defined differently in {owner.Owner.Origin} and in {file.Origin}.");
                continue;
            }

            symbols.RemoveAt(i--);
            if (!file.Providers.Contains(owner.Owner))
            {
                file.Providers.Add(owner.Owner);
            }
        }
    }

    /// <summary>
    /// The definition compared between sources. protoc writes json_name for every field, other producers may
    /// not; a missing one is filled with the default so that only real differences count.
    /// </summary>
    private static ByteString Canonical(DescriptorProto message)
    {
        var copy = message.Clone();
        FillJsonNames(copy);
        return copy.ToByteString();
    }

    private static ByteString Canonical(FieldDescriptorProto field)
    {
        var copy = field.Clone();
        FillJsonName(copy);
        return copy.ToByteString();
    }

    private static void FillJsonNames(DescriptorProto message)
    {
        foreach (var field in message.Field)
        {
            FillJsonName(field);
        }

        foreach (var field in message.Extension)
        {
            FillJsonName(field);
        }

        foreach (var nested in message.NestedType)
        {
            FillJsonNames(nested);
        }
    }

    private static void FillJsonName(FieldDescriptorProto field)
    {
        if (field.HasJsonName)
        {
            return;
        }

        var name = new StringBuilder(field.Name.Length);
        bool upper = false;
        foreach (char c in field.Name)
        {
            if (c == '_')
            {
                upper = true;
            }
            else
            {
                name.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
        }

        field.JsonName = name.ToString();
    }
}
