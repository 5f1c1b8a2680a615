using System.Collections;
using System.Management.Automation;
using System.Reflection;
using Google.Protobuf.Reflection;
using RpcPlugin.Arguments;
using RpcPlugin.Bases;
using RpcPlugin.Calls;
using RpcPlugin.Completers;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Output;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Calls a method of a plugin by name, without generated stubs.</para>
/// <para type="description">Requests come from -Request or the pipeline as hashtables, objects, previous responses
/// or JSON strings; responses are written one object per message as they arrive. Unary and server-streaming
/// methods make one call per request; client-streaming and bidi methods send every pipeline item on one stream.
/// gRPC failures are non-terminating errors with ErrorId RpcPlugin.Rpc.&lt;StatusCode&gt;. A method object from
/// Get-RpcPluginMethod, or a session, piped in names what to call (with -Request as each call's request); it is never
/// taken as a request.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "RpcPluginMethod", DefaultParameterSetName = BySessionName)]
[OutputType(typeof(PSObject), typeof(string), typeof(byte[]), typeof(System.Collections.Specialized.OrderedDictionary))]
public sealed partial class InvokeRpcPluginMethodCommand : RpcPluginSessionCmdlet
{
    private static readonly ConstructorInfo? StopUpstreamConstructor = typeof(PSCmdlet).Assembly
        .GetType("System.Management.Automation.StopUpstreamCommandsException")
        ?.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
        .FirstOrDefault(c => c.GetParameters().Length == 1);

    private MethodCallBridge? bridge;
    private bool sawPipelineInput;
    private bool unusable;
    private bool methodGiven;
    private bool deferred;
    private bool targetMode;
    private bool verbose;
    private bool debug;
    private DateTime started;

    /// <summary>The session to call.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = BySession)]
    [SessionArgument]
    [ValidateNotNull]
    public override RpcPluginSession? Session { get; set; }

    /// <summary>
    /// The method: package.Service/Method, package.Service.Method, Service/Method, or a unique Method. A method object
    /// from Get-RpcPluginMethod piped in gives it by its FullName.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = BySession, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = BySessionName, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(MethodNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Method { get; set; } = string.Empty;

    /// <summary>The request (or, for client-streaming and bidi methods, an array of requests).</summary>
    [Parameter(Position = 2, ParameterSetName = BySession)]
    [Parameter(Position = 1, ParameterSetName = BySessionName)]
    [ArgumentCompleter(typeof(RequestCompleter))]
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

    /// <summary>Skip request properties the request type has no field for, instead of failing (a response of another type, rows with extra columns).</summary>
    [Parameter]
    public SwitchParameter IgnoreUnknownFields { get; set; }

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

        started = DateTime.UtcNow;
        verbose = VerboseWanted;
        debug = DebugWanted;
        methodGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Method));
        if (MyInvocation.ExpectingInput && (!methodGiven || (Session is null && SessionName is null)))
        {
            // The pipeline may bring what to call (method objects, sessions) rather than requests: the first item says.
            deferred = true;
            return;
        }

        Prepare();
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!MyInvocation.ExpectingInput)
        {
            return;
        }

        if (SessionArgumentAttribute.CrossedProcess(InputObject) is { } crossed)
        {
            // A session or method object from Start-Job or remoting: never a request, and it cannot be called here.
            // Like any piped session, it makes the pipeline say what to call: -Request is not sent on its own at the end.
            if (!sawPipelineInput)
            {
                targetMode = true;
                deferred = false;
            }

            WriteFailure(new PluginException(PluginErrorCode.InvalidArgument, crossed), InputObject);
            return;
        }

        object? input = InputObject is PSObject wrapped ? wrapped.BaseObject : InputObject;
        if (input is RpcMethodInfo or RpcPluginSession)
        {
            CallTarget(input);
            return;
        }

        if (targetMode)
        {
            WriteFailure(new PluginException(PluginErrorCode.InvalidArgument, "A request came through the pipeline after method objects or sessions: pipe either requests or what to call, not both. Give the request with -Request."), InputObject);
            return;
        }

        if (deferred)
        {
            deferred = false;
            if (!methodGiven)
            {
                ThrowFailure(new PluginException(PluginErrorCode.InvalidArgument, "Name the method to call with -Method, or pipe method objects from Get-RpcPluginMethod.") { RecommendedAction = "Get-RpcPluginMethod lists the methods." }, InputObject);
            }

            Prepare();
        }

        if (bridge is null)
        {
            if (unusable)
            {
                // Every request would fail as the session did: one error is enough, and an endless producer of
                // requests must not run on for nothing.
                StopUpstream();
            }

            return;
        }

        if (Request is not null)
        {
            ThrowFailure(new PluginException(PluginErrorCode.InvalidArgument, "Give requests either with -Request or through the pipeline, not both."), Request);
        }

        sawPipelineInput = true;
        try
        {
            bridge.Send(InputObject);
        }
        finally
        {
            // Also when -ErrorAction Stop makes the call's error end the command here.
            SetMetadataVariables(bridge.LastMetadata);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (targetMode)
        {
            return;
        }

        if (deferred)
        {
            // Nothing came through the pipeline: with -Method, one call with -Request, as without a pipeline.
            deferred = false;
            if (!methodGiven)
            {
                return;
            }

            Prepare();
        }

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
            SetMetadataVariables(bridge.LastMetadata);
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

    /// <summary>
    /// Readies the call of -Method on the session the parameters name, for requests from -Request or the pipeline.
    /// Not finding the session or the method is a per-call failure, as in every other form of the command: written,
    /// and the command does nothing more.
    /// </summary>
    private void Prepare()
    {
        PluginSession session;
        try
        {
            session = ResolveSession();
        }
        catch (PluginException e)
        {
            WriteFailure(e, SessionName);
            unusable = true;
            return;
        }

        bridge = Open(session, Method, started + Timeout);
    }

    /// <summary>
    /// A bridge for calls of <paramref name="methodName"/> on <paramref name="session"/>, or null when the session
    /// cannot be called or has no such method (written). A -Metadata gRPC cannot carry ends the command, as any bad
    /// argument does.
    /// </summary>
    private MethodCallBridge? Open(PluginSession session, string methodName, DateTime? firstDeadline)
    {
        DescriptorPool pool;
        MethodDescriptor method;
        try
        {
            // What the session's state decides is a per-call failure: written, not thrown, whatever the state.
            pool = LoadDescriptors(session, Timeout, methodName);
            method = MethodResolver.Resolve(pool.Services, methodName);
        }
        catch (RpcPluginException e)
        {
            WriteFailure(e, methodName);
            unusable = true;
            return null;
        }

        try
        {
            var call = new DynamicCall(session, method, new DynamicCallOptions
            {
                Timeout = Timeout,
                Metadata = Metadata,
                Adapter = PowerShellValueAdapter.Instance,
                Form = Raw ? ResponseForm.Raw : ResponseForm.Decoded,
                CaptureMetadata = ResponseHeadersVariable is not null || TrailersVariable is not null,
                Report = verbose,
                DetailFactory = PSObjectRecordFactory.Instance,
            });
            if (verbose)
            {
                WriteVerbose($"Calling {call.Name} ({call.Kind}) on plugin '{session.Name}'.");
            }

            CallTrace? trace = verbose || debug ? new CallTrace(this, pool, verbose, debug) : null;
            return new MethodCallBridge(this, session, pool, call, OutputForm(), firstDeadline, IgnoreUnknownFields, trace);
        }
        catch (PluginException e)
        {
            ThrowFailure(e, methodName);
            return null;
        }
    }

    private OutputForm OutputForm() => AsJson ? Calls.OutputForm.Json : AsHashtable ? Calls.OutputForm.Hashtable : Raw ? Calls.OutputForm.Raw : Calls.OutputForm.Object;

    /// <summary>Sets -ResponseHeadersVariable and -TrailersVariable to what the last call that ended received.</summary>
    private void SetMetadataVariables(CallMetadata? metadata)
    {
        if (ResponseHeadersVariable is not null)
        {
            SessionState.PSVariable.Set(ResponseHeadersVariable, metadata?.Headers);
        }

        if (TrailersVariable is not null)
        {
            SessionState.PSVariable.Set(TrailersVariable, metadata?.Trailers);
        }
    }
}
