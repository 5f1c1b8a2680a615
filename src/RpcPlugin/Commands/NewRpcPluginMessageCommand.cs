using System.Collections.Specialized;
using System.Management.Automation;
using Google.Protobuf.Reflection;
using RpcPlugin.Arguments;
using RpcPlugin.Bases;
using RpcPlugin.Completers;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Creates a request skeleton: an ordered hashtable with every field of a message at its default.</para>
/// <para type="description">Fill it in and pass it to Invoke-RpcPluginMethod. Oneof members, proto3 optional fields and
/// well-known types are $null (unset); nested messages are nested skeletons.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "RpcPluginMessage", DefaultParameterSetName = ByMethod)]
[OutputType(typeof(OrderedDictionary))]
public sealed class NewRpcPluginMessageCommand : RpcPluginSessionCmdlet
{
    private const string ByMethod = "Method";
    private const string ByType = "TypeName";

    /// <summary>The method whose request message to build; a method object from Get-RpcPluginMethod piped in names it (and its session).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByMethod, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(MethodNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Method { get; set; } = string.Empty;

    /// <summary>The message type: its full name, or its name without the package when that is unique.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByType)]
    [ArgumentCompleter(typeof(TypeNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string TypeName { get; set; } = string.Empty;

    /// <summary>The session; the runspace's only session when neither this nor -SessionName is given. A piped method object brings its own.</summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionArgument]
    [ValidateNotNull]
    public override RpcPluginSession? Session { get; set; }

    /// <summary>The name of the session.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(SessionNameCompleter))]
    [ValidateNotNullOrEmpty]
    public override string? SessionName { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() => WithSession(session =>
    {
        DescriptorPool pool = LoadDescriptors(session);
        MessageDescriptor type = ParameterSetName == ByType
            ? TypeCatalog.Find(pool, TypeName, messagesOnly: true) as MessageDescriptor ?? throw new PluginException(PluginErrorCode.MethodNotFound, $"The plugin '{session.Name}' has no message type '{TypeName}' (or several end with that name).") { RecommendedAction = "Get-RpcPluginMessageType lists the types; give the full name (package.Type)." }
            : MethodResolver.Resolve(pool.Services, Method).InputType;
        WriteObject(MessageTemplate.For(type));
    }, ParameterSetName == ByType ? TypeName : Method);
}
