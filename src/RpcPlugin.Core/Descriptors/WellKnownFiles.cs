using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// The google/protobuf/*.proto files Google.Protobuf has built in. Every source's copy of them is replaced by
/// these, so a field of type Timestamp refers to the very descriptor (with its generated parser) that
/// Google.Protobuf's own Timestamp uses.
/// </summary>
/// <remarks>
/// Each file is built on first use: building all eleven compiles some 220 methods and takes tens of milliseconds
/// in a new process (descriptor.proto alone is large), while a go-plugin plugin imports only empty.proto, and the
/// first call of a new process waits for its descriptors. Lookups by type name find the file through the name's
/// first part after <c>google.protobuf.</c> (<see cref="FileOfTopLevelType"/>); a name outside that table builds
/// every file, so a table that missed a type could cost time, never an answer.
/// </remarks>
internal static class WellKnownFiles
{
    private const string Package = "google.protobuf.";

    /// <summary>The files by import name, in the order they were always listed.</summary>
    private static readonly Dictionary<string, BuiltInFile> ByName = Index(new BuiltInFile[]
    {
        new("google/protobuf/any.proto", () => AnyReflection.Descriptor),
        new("google/protobuf/api.proto", () => ApiReflection.Descriptor),
        new("google/protobuf/descriptor.proto", () => DescriptorReflection.Descriptor),
        new("google/protobuf/duration.proto", () => DurationReflection.Descriptor),
        new("google/protobuf/empty.proto", () => EmptyReflection.Descriptor),
        new("google/protobuf/field_mask.proto", () => FieldMaskReflection.Descriptor),
        new("google/protobuf/source_context.proto", () => SourceContextReflection.Descriptor),
        new("google/protobuf/struct.proto", () => StructReflection.Descriptor),
        new("google/protobuf/timestamp.proto", () => TimestampReflection.Descriptor),
        new("google/protobuf/type.proto", () => TypeReflection.Descriptor),
        new("google/protobuf/wrappers.proto", () => WrappersReflection.Descriptor),
    });

    /// <summary>Import names, in the order <see cref="ByName"/> lists them.</summary>
    private static readonly string[] Names = new List<string>(ByName.Keys).ToArray();

    /// <summary>The file that defines each top-level message and enum of package google.protobuf (a unit test keeps this complete).</summary>
    internal static readonly IReadOnlyDictionary<string, string> FileOfTopLevelType = TopLevelTypes();

    /// <summary>All of them (builds every one).</summary>
    public static IReadOnlyCollection<FileDescriptor> All
    {
        get
        {
            var all = new List<FileDescriptor>(Names.Length);
            foreach (string name in Names)
            {
                all.Add(ByName[name].File);
            }

            return all;
        }
    }

    /// <summary>Whether an import name is one of these files, without building it.</summary>
    public static bool Contains(string name) => ByName.ContainsKey(name);

    /// <summary>The built-in file with this import name, if it is one (built now if it was not yet).</summary>
    public static FileDescriptor? Find(string name) => ByName.TryGetValue(name, out BuiltInFile? file) ? file.File : null;

    /// <summary>The built-in message with this full name (no leading dot), if there is one.</summary>
    public static MessageDescriptor? FindMessage(string fullName) =>
        Lookup(fullName, static (file, name) => file.Messages.GetValueOrDefault(name));

    /// <summary>The built-in enum with this full name (no leading dot), if there is one.</summary>
    public static EnumDescriptor? FindEnum(string fullName) =>
        Lookup(fullName, static (file, name) => file.Enums.GetValueOrDefault(name));

    private static T? Lookup<T>(string fullName, Func<BuiltInFile, string, T?> find)
        where T : class
    {
        if (!fullName.StartsWith(Package, StringComparison.Ordinal))
        {
            return null;
        }

        int end = fullName.IndexOf('.', Package.Length);
        string topLevel = end < 0 ? fullName[Package.Length..] : fullName[Package.Length..end];
        if (FileOfTopLevelType.TryGetValue(topLevel, out string? fileName))
        {
            return find(ByName[fileName], fullName);
        }

        foreach (string name in Names)
        {
            if (find(ByName[name], fullName) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static Dictionary<string, BuiltInFile> Index(BuiltInFile[] files)
    {
        var byName = new Dictionary<string, BuiltInFile>(StringComparer.Ordinal);
        foreach (BuiltInFile file in files)
        {
            byName.Add(file.Name, file);
        }

        return byName;
    }

    private static Dictionary<string, string> TopLevelTypes()
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string file, params string[] names)
        {
            foreach (string name in names)
            {
                types.Add(name, "google/protobuf/" + file);
            }
        }

        Add("any.proto", "Any");
        Add("api.proto", "Api", "Method", "Mixin");
        Add(
            "descriptor.proto",
            "FileDescriptorSet",
            "FileDescriptorProto",
            "DescriptorProto",
            "ExtensionRangeOptions",
            "FieldDescriptorProto",
            "OneofDescriptorProto",
            "EnumDescriptorProto",
            "EnumValueDescriptorProto",
            "ServiceDescriptorProto",
            "MethodDescriptorProto",
            "FileOptions",
            "MessageOptions",
            "FieldOptions",
            "OneofOptions",
            "EnumOptions",
            "EnumValueOptions",
            "ServiceOptions",
            "MethodOptions",
            "UninterpretedOption",
            "FeatureSet",
            "FeatureSetDefaults",
            "SourceCodeInfo",
            "GeneratedCodeInfo",
            "Edition",
            "SymbolVisibility");
        Add("duration.proto", "Duration");
        Add("empty.proto", "Empty");
        Add("field_mask.proto", "FieldMask");
        Add("source_context.proto", "SourceContext");
        Add("struct.proto", "Struct", "Value", "ListValue", "NullValue");
        Add("timestamp.proto", "Timestamp");
        Add("type.proto", "Type", "Field", "Enum", "EnumValue", "Option", "Syntax");
        Add(
            "wrappers.proto",
            "DoubleValue",
            "FloatValue",
            "Int64Value",
            "UInt64Value",
            "Int32Value",
            "UInt32Value",
            "BoolValue",
            "StringValue",
            "BytesValue");
        return types;
    }

    /// <summary>One built-in file, built and indexed (messages and enums by full name, nested ones included) on first use.</summary>
    private sealed class BuiltInFile
    {
        private readonly Func<FileDescriptor> build;
        private Built? built;

        public BuiltInFile(string name, Func<FileDescriptor> build)
        {
            Name = name;
            this.build = build;
        }

        public string Name { get; }

        public FileDescriptor File => Get().File;

        public Dictionary<string, MessageDescriptor> Messages => Get().Types.Messages;

        public Dictionary<string, EnumDescriptor> Enums => Get().Types.Enums;

        private Built Get()
        {
            Built? current = Volatile.Read(ref built);
            if (current is null)
            {
                // Racing threads may both index the file; the descriptor itself is Google.Protobuf's singleton either way.
                var made = new Built(build());
                current = Interlocked.CompareExchange(ref built, made, null) ?? made;
            }

            return current;
        }
    }

    private sealed class Built
    {
        public Built(FileDescriptor file)
        {
            File = file;
            Types.Add(file);
        }

        public FileDescriptor File { get; }

        public TypeIndex Types { get; } = new();
    }
}
