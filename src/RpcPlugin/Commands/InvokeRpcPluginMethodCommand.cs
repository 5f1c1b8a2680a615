using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Threading;
using Google.Protobuf.Reflection;
using RpcPlugin.Arguments;
using RpcPlugin.Bases;
using RpcPlugin.Calls;
using RpcPlugin.Completers;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Sessions;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Calls a method of a plugin by name, without generated stubs.</para>
/// <para type="description">Requests come from -Request or the pipeline as hashtables, objects, previous responses
/// or JSON strings; responses are written one object per message as they arrive. Unary and server-streaming
/// methods make one call per request; client-streaming and bidi methods send every pipeline item on one stream.
/// gRPC failures are non-terminating errors with ErrorId RpcPlugin.Rpc.&lt;StatusCode&gt;.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "RpcPluginMethod", DefaultParameterSetName = BySessionName)]
[OutputType(typeof(PSObject), typeof(string), typeof(byte[]), typeof(System.Collections.Specialized.OrderedDictionary))]
public sealed class InvokeRpcPluginMethodCommand : RpcPluginSessionCmdlet
{
    private static readonly ConstructorInfo? StopUpstreamConstructor = typeof(PSCmdlet).Assembly
        .GetType("System.Management.Automation.StopUpstreamCommandsException")
        ?.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
        .FirstOrDefault(c => c.GetParameters().Length == 1);

    private MethodCallBridge? bridge;
    private bool sawPipelineInput;
    private bool unusable;

    /// <summary>The session to call.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = BySession)]
    [SessionArgument]
    [ValidateNotNull]
    public override RpcPluginSession? Session { get; set; }

    /// <summary>The method: package.Service/Method, package.Service.Method, Service/Method, or a unique Method.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = BySession)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = BySessionName)]
    [ArgumentCompleter(typeof(MethodNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Method { get; set; } = string.Empty;

    /// <summary>The request (or, for client-streaming and bidi methods, an array of requests).</summary>
    [Parameter(Position = 2, ParameterSetName = BySession)]
    [Parameter(Position = 1, ParameterSetName = BySessionName)]
    [ArgumentCompleter(typeof(MethodNameCompleter))]
    [AllowNull]
    public object? Request { get; set; }

    /// <summary>The name of the session to call; the runspace's only session when neither this nor -Session is given.</summary>
    [Parameter(ParameterSetName = BySessionName)]
    [ArgumentCompleter(typeof(SessionNameCompleter))]
    [ValidateNotNullOrEmpty]
    public override string? SessionName { get; set; }

    /// <summary>Requests from the pipeline: one call each, or the request stream of a client-streaming or bidi method.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public object? InputObject { get; set; }

    /// <summary>The deadline of each call: seconds, '500ms', '2m' or a [TimeSpan]. It bounds the first call's wait for the descriptors too.</summary>
    [Parameter]
    [TimeSpanArgument]
    public TimeSpan? Timeout { get; set; }

    /// <summary>Request metadata (headers); keys ending in '-bin' take byte[] values; an array sends each element under the key.</summary>
    [Parameter]
    public IDictionary? Metadata { get; set; }

    /// <summary>Write each response as proto3 JSON text.</summary>
    [Parameter]
    public SwitchParameter AsJson { get; set; }

    /// <summary>Write each response as an ordered hashtable.</summary>
    [Parameter]
    public SwitchParameter AsHashtable { get; set; }

    /// <summary>Write each response as the raw bytes of the message (unknown fields included).</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>The name of a variable that receives the response headers (of the last call, failed or not).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ResponseHeadersVariable { get; set; }

    /// <summary>The name of a variable that receives the trailers (of the last call, failed or not).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TrailersVariable { get; set; }

    /// <summary>The token Ctrl+C cancels.</summary>
    internal CancellationToken StopToken => Cancellation;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if ((AsJson ? 1 : 0) + (AsHashtable ? 1 : 0) + (Raw ? 1 : 0) > 1)
        {
            ThrowFailure(new PluginException(PluginErrorCode.InvalidArgument, "-AsJson, -AsHashtable and -Raw choose the output form: give at most one."), null);
        }

        DateTime started = DateTime.UtcNow;
        PluginSession session;
        MethodDescriptor method;
        DescriptorPool pool;
        try
        {
            session = ResolveSession();
        }
        catch (PluginException e)
        {
            ThrowFailure(e, Method);
            return;
        }

        try
        {
            // What the session's state decides is a per-call failure: written, not thrown, whatever the state.
            pool = LoadDescriptors(session, Timeout, Method);
        }
        catch (RpcPluginException e)
        {
            WriteFailure(e, Method);
            unusable = true;
            return;
        }

        try
        {
            method = MethodResolver.Resolve(pool.Services, Method);
            var call = new DynamicCall(session, method, new DynamicCallOptions
            {
                Timeout = Timeout,
                Metadata = Metadata,
                Adapter = PowerShellValueAdapter.Instance,
                Form = Raw ? ResponseForm.Raw : ResponseForm.Decoded,
                CaptureMetadata = ResponseHeadersVariable is not null || TrailersVariable is not null,
            });
            if (VerboseWanted)
            {
                WriteVerbose($"Calling {call.Name} ({DynamicMethods.KindOf(method)}) on plugin '{session.Name}'.");
            }

            bridge = new MethodCallBridge(this, session, pool, call, OutputForm(), started + Timeout);
        }
        catch (PluginException e)
        {
            ThrowFailure(e, Method);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (bridge is null)
        {
            if (unusable && MyInvocation.ExpectingInput)
            {
                // Every request would fail as the session did: one error is enough, and an endless producer of
                // requests must not run on for nothing.
                StopUpstream();
            }

            return;
        }

        if (MyInvocation.ExpectingInput)
        {
            if (Request is not null)
            {
                ThrowFailure(new PluginException(PluginErrorCode.InvalidArgument, "Give requests either with -Request or through the pipeline, not both."), Request);
            }

            sawPipelineInput = true;
            bridge.Send(InputObject);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (bridge is null)
        {
            return;
        }

        try
        {
            if (!sawPipelineInput)
            {
                bridge.SendRequestParameter(Request);
            }

            bridge.Finish();
        }
        finally
        {
            bridge.CompleteProgress();
            SetVariable(ResponseHeadersVariable, bridge.LastMetadata?.Headers);
            SetVariable(TrailersVariable, bridge.LastMetadata?.Trailers);
        }
    }

    /// <summary>Lets the bridge write on this command's behalf.</summary>
    internal void WriteResult(object? value) => WriteObject(value, enumerateCollection: false);

    /// <summary>
    /// Ends the commands upstream of this one, as Select-Object -First does, once a request stream has failed: a
    /// producer of requests must not run on (or for ever) for a call that is over. Where PowerShell offers no way,
    /// the failure ends the statement instead.
    /// </summary>
    internal void StopUpstream()
    {
        if (StopUpstreamConstructor?.Invoke(new object[] { this }) is Exception stop)
        {
            throw stop;
        }

        throw new PipelineStoppedException();
    }

    private OutputForm OutputForm() => AsJson ? Calls.OutputForm.Json : AsHashtable ? Calls.OutputForm.Hashtable : Raw ? Calls.OutputForm.Raw : Calls.OutputForm.Object;

    private void SetVariable(string? name, object? value)
    {
        if (name is not null)
        {
            SessionState.PSVariable.Set(name, value);
        }
    }
}
