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

    /// <summary>The method whose request message to build.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByMethod)]
    [ArgumentCompleter(typeof(MethodNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Method { get; set; } = string.Empty;

    /// <summary>The full name of a message type.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByType)]
    [ValidateNotNullOrEmpty]
    public string TypeName { get; set; } = string.Empty;

    /// <summary>The session; the runspace's only session when neither this nor -SessionName is given.</summary>
    [Parameter(ValueFromPipeline = true)]
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
            ? pool.FindMessage(TypeName.TrimStart('.')) ?? throw new PluginException(PluginErrorCode.MethodNotFound, $"The plugin '{session.Name}' has no message type '{TypeName}'.")
            : MethodResolver.Resolve(pool.Services, Method).InputType;
        WriteObject(MessageTemplate.For(type));
    }, ParameterSetName == ByType ? TypeName : Method);
}
