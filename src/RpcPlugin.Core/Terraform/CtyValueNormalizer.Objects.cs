namespace RpcPlugin.Core.Terraform;

/// <summary>Objects and schema blocks: attributes matched by name, absent ones null, nested blocks by nesting mode.</summary>
internal sealed partial class CtyValueNormalizer
{
    private static readonly Dictionary<string, object?> NoAttributes = new();

    /// <summary>A block's value: its attributes and nested blocks, absent blocks filled in as Terraform does.</summary>
    public (CtyType Type, object? Value) NormalizeBlock(SchemaBlock block, object? value, int depth)
    {
        value = adapter.Unwrap(value);
        if (value is null or TerraformUnknown)
        {
            return (block.ImpliedType, value);
        }

        if (depth > MaxDepth)
        {
            throw new CtyValueError($"the value nests more than {MaxDepth} levels deep");
        }

        return NormalizeObject(block.ImpliedType, block, value, depth);
    }

    private (CtyType, object?) NormalizeObject(CtyType declared, SchemaBlock? block, object value, int depth)
    {
        IReadOnlyList<CtyAttribute> attributes = declared.Attributes;
        var given = new object?[attributes.Count];
        var present = new bool[attributes.Count];
        foreach ((string name, object? item) in Entries(adapter, value))
        {
            int index = FindAttribute(declared, name);
            if (present[index])
            {
                throw new CtyValueError($"the attribute '{attributes[index].Name}' is given twice (as '{name}' and in another case)");
            }

            present[index] = true;
            given[index] = item;
        }

        var result = new object?[attributes.Count];
        var types = new CtyType[attributes.Count];
        for (int i = 0; i < attributes.Count; i++)
        {
            try
            {
                (types[i], result[i]) = block?.NestedAt(i) is { } nested
                    ? NormalizeNested(nested, given[i], depth + 1)
                    : Normalize(attributes[i].Type, given[i], depth + 1);
            }
            catch (CtyValueError e)
            {
                throw e.At(attributes[i].Name);
            }
        }

        return (declared.HasDynamic ? CtyType.Object(attributes.Select((a, i) => a with { Type = types[i] })) : declared, result);
    }

    /// <summary>An exact name first, then a unique case-insensitive match (PowerShell users type <c>Name</c> for <c>name</c>).</summary>
    private static int FindAttribute(CtyType declared, string name)
    {
        int index = declared.IndexOf(name);
        if (index >= 0)
        {
            return index;
        }

        int[] matches = Enumerable.Range(0, declared.Attributes.Count)
            .Where(i => string.Equals(declared.Attributes[i].Name, name, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (matches.Length == 1)
        {
            return matches[0];
        }

        string valid = declared.Attributes.Count == 0 ? "(none)" : string.Join(", ", declared.Attributes.Select(a => a.Name));
        throw new CtyValueError(matches.Length == 0
            ? $"there is no attribute '{name}'; valid attributes: {valid}"
            : $"'{name}' matches several attributes that differ only in case; use the exact name ({string.Join(", ", matches.Select(i => declared.Attributes[i].Name))})");
    }

    private (CtyType, object?) NormalizeNested(SchemaNestedBlock nested, object? value, int depth)
    {
        value = adapter.Unwrap(value);
        if (value is TerraformUnknown)
        {
            return (nested.ImpliedType, value);
        }

        switch (nested.Nesting)
        {
            case SchemaNesting.Single:
                return NormalizeBlock(nested.Block, value, depth);
            case SchemaNesting.Group:
                // A group block is never null: absent, it is the block with every attribute null.
                return NormalizeBlock(nested.Block, value ?? NoAttributes, depth);
            case SchemaNesting.Map:
                return NormalizeBlockMap(nested, value, depth);
            default:
                return NormalizeBlockList(nested, value, depth);
        }
    }

    /// <summary>List and set blocks: absent means none (an empty collection, never null).</summary>
    private (CtyType, object?) NormalizeBlockList(SchemaNestedBlock nested, object? value, int depth)
    {
        List<object?> items = value is null ? new List<object?>() : Sequence(value);
        var result = new object?[items.Count];
        var types = new CtyType[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            try
            {
                (types[i], result[i]) = NormalizeBlock(nested.Block, items[i] ?? throw new CtyValueError("a block cannot be null"), depth + 1);
            }
            catch (CtyValueError e)
            {
                throw e.AtIndex(i);
            }
        }

        CtyType type = nested.ImpliedType.Kind == CtyKind.Dynamic ? CtyType.Tuple(types)
            : nested.ImpliedType.HasDynamic ? CtyType.Set(Unify(nested.Block.ImpliedType, types, CtyKind.Set))
            : nested.ImpliedType;
        return (type, result);
    }

    /// <summary>Map blocks keyed by label; with dynamic attributes inside they travel as an object of the blocks' own types.</summary>
    private (CtyType, object?) NormalizeBlockMap(SchemaNestedBlock nested, object? value, int depth)
    {
        List<KeyValuePair<string, object?>> entries = value is null ? new() : Entries(adapter, value);
        entries.Sort((a, b) => CtyDictionaries.CompareKeys(a.Key, b.Key));
        var items = new object?[entries.Count];
        var types = new CtyType[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            try
            {
                (types[i], items[i]) = NormalizeBlock(nested.Block, entries[i].Value ?? throw new CtyValueError("a block cannot be null"), depth + 1);
            }
            catch (CtyValueError e)
            {
                throw e.AtKey(entries[i].Key);
            }
        }

        if (nested.ImpliedType.Kind == CtyKind.Dynamic)
        {
            // Keys are in code-point order; the object type's attributes are declared in that order too.
            return (CtyType.Object(entries.Select((e, i) => new CtyAttribute(e.Key, types[i]))), items);
        }

        return (nested.ImpliedType, entries.Select((e, i) => new KeyValuePair<string, object?>(e.Key, items[i])).ToArray());
    }
}
