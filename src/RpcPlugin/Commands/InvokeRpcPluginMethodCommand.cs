using System;
using System.Collections;
using System.Management.Automation;
using Google.Protobuf.Reflection;
using RpcPlugin.Arguments;
using RpcPlugin.Bases;
using RpcPlugin.Calls;
using RpcPlugin.Completers;
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
    private const string BySession = "Session";
    private const string BySessionName = "SessionName";

    private MethodCallRunner? runner;
    private bool sawPipelineInput;

    /// <summary>The session to call.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = BySession)]
    [ValidateNotNull]
    public RpcPluginSession? Session { get; set; }

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
    public string? SessionName { get; set; }

    /// <summary>Requests from the pipeline: one call each, or the request stream of a client-streaming or bidi method.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public object? InputObject { get; set; }

    /// <summary>The deadline of each call: seconds, '500ms', '2m' or a [TimeSpan].</summary>
    [Parameter]
    [TimeSpanArgument]
    public TimeSpan? Timeout { get; set; }

    /// <summary>Request metadata (headers); keys ending in '-bin' take byte[] values.</summary>
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

    /// <summary>The name of a variable that receives the response headers (of the last call).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ResponseHeadersVariable { get; set; }

    /// <summary>The name of a variable that receives the trailers (of the last call).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TrailersVariable { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if ((AsJson ? 1 : 0) + (AsHashtable ? 1 : 0) + (Raw ? 1 : 0) > 1)
        {
            ThrowFailure(new PluginException(PluginErrorCode.InvalidArgument, "-AsJson, -AsHashtable and -Raw choose the output form: give at most one."), null);
        }

        try
        {
            PluginSession session = ResolveSession(Session, SessionName);
            var pool = LoadDescriptors(session);
            MethodDescriptor method = MethodResolver.Resolve(pool.Services, Method);
            if (VerboseWanted)
            {
                WriteVerbose($"Calling {MethodResolver.FullName(method)} ({DynamicMethods.KindOf(method)}) on plugin '{session.Name}'.");
            }

            bool keepMetadata = ResponseHeadersVariable is not null || TrailersVariable is not null;
            runner = new MethodCallRunner(this, session, pool, method, new CallSettings(Timeout, Metadata, OutputForm()), keepMetadata);
        }
        catch (PluginException e)
        {
            ThrowFailure(e, Method);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (runner is null)
        {
            return;
        }

        if (MyInvocation.ExpectingInput)
        {
            if (Request is not null)
            {
                ThrowFailure(new PluginException(PluginErrorCode.InvalidArgument, "Give requests either with -Request or through the pipeline, not both."), Request);
            }

            sawPipelineInput = true;
            runner.Send(InputObject);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (runner is null)
        {
            return;
        }

        if (!sawPipelineInput)
        {
            runner.SendRequestParameter(Request);
        }

        try
        {
            runner.Finish();
        }
        finally
        {
            runner.CompleteProgress();
        }

        SetVariable(ResponseHeadersVariable, runner.LastHeaders);
        SetVariable(TrailersVariable, runner.LastTrailers);
    }

    /// <summary>Lets the runner write on this command's behalf.</summary>
    internal void WriteResult(object? value) => WriteObject(value, enumerateCollection: false);

    /// <summary>Lets the runner report failures on this command's behalf.</summary>
    internal void WriteCallFailure(Exception exception, object? target) => WriteFailure(exception, target);

    /// <summary>Lets the runner queue work for the pipeline thread.</summary>
    internal void PostToPipeline(Action action) => Post(action);

    /// <summary>Lets the runner show plugin log lines while calls run, through its own queue.</summary>
    internal IDisposable ShowLog(PluginSession session, Action<Action> post) => ShowPluginLog(session, post);

    /// <summary>The token Ctrl+C cancels.</summary>
    internal System.Threading.CancellationToken StopToken => Cancellation;

    private OutputForm OutputForm() => AsJson ? Calls.OutputForm.Json : AsHashtable ? Calls.OutputForm.Hashtable : Raw ? Calls.OutputForm.Raw : Calls.OutputForm.Object;

    private void SetVariable(string? name, object? value)
    {
        if (name is not null)
        {
            SessionState.PSVariable.Set(name, value);
        }
    }
}
