using RpcPlugin.Calls;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Sessions;
using RpcPlugin.State;

namespace RpcPlugin.Commands;

/// <summary>
/// The pipeline items that say what to call rather than what to send: a method object from Get-RpcPluginMethod
/// (which brings its session) or a session (with -Method). Each is one call, with -Request as its request.
/// </summary>
public sealed partial class InvokeRpcPluginMethodCommand
{
    /// <summary>One call named by a pipeline item: a method object (with its session) or a session (with -Method), with -Request.</summary>
    private void CallTarget(object target)
    {
        if (sawPipelineInput)
        {
            WriteFailure(new PluginException(PluginErrorCode.InvalidArgument, $"A {(target is RpcMethodInfo ? "method object" : "session")} came through the pipeline after requests: pipe either requests or what to call, not both."), target);
            return;
        }

        // From here on the pipeline says what to call: -Request alone is never sent on its own at the end.
        targetMode = true;
        deferred = false;
        PluginSession session;
        string method;
        try
        {
            (session, method) = target switch
            {
                RpcMethodInfo info when methodGiven => throw new PluginException(PluginErrorCode.InvalidArgument, $"The method object '{info.FullName}' came through the pipeline while -Method names '{Method}': give one or the other."),
                RpcMethodInfo info => (Session is not null || SessionName is not null ? ResolveSession() : SessionOf(info), info.FullName),
                RpcPluginSession when Session is not null || SessionName is not null => throw new PluginException(PluginErrorCode.InvalidArgument, "A session came through the pipeline while -Session or -SessionName names one: give one or the other."),
                RpcPluginSession piped when methodGiven => (SessionLookup.Of(piped), Method),
                _ => throw new PluginException(PluginErrorCode.InvalidArgument, $"The session '{((RpcPluginSession)target).Name}' came through the pipeline, but no method is named: add -Method, e.g. Get-RpcPlugin | Invoke-RpcPluginMethod -Method pkg.Service/Method -Request @{{...}}."),
            };
        }
        catch (PluginException e)
        {
            WriteFailure(e, target);
            return;
        }

        MethodCallBridge? call = Open(session, method, DateTime.UtcNow + Timeout);
        if (call is null)
        {
            return;
        }

        try
        {
            call.SendRequestParameter(Request);
            call.Finish();
        }
        finally
        {
            call.CompleteProgress();
            SetMetadataVariables(call.LastMetadata);
        }
    }

    private PluginSession SessionOf(RpcMethodInfo method)
    {
        PluginSession session = method.Session is { } known ? SessionLookup.Of(known) : SessionLookup.Single(null, method.SessionName);
        if (session.TakeExitNotice() is { } notice)
        {
            WriteWarning(notice);
        }

        return session;
    }
}
