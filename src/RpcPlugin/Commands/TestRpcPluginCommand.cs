using System.Management.Automation;
using RpcPlugin.Arguments;
using RpcPlugin.Bases;
using RpcPlugin.Completers;
using RpcPlugin.Core.Sessions;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Checks that a plugin is alive and healthy.</para>
/// <para type="description">Runs the gRPC health check (service 'plugin', as go-plugin registers it, falling back to
/// '' for pyvider plugins) and checks that the process is running. Returns $true or $false; -Detailed returns the
/// status, service, process liveness and response time.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "RpcPlugin", DefaultParameterSetName = BySession)]
[OutputType(typeof(bool), typeof(PSObject))]
public sealed class TestRpcPluginCommand : RpcPluginSessionCmdlet
{
    /// <summary>The health service name to check (default: 'plugin', then '').</summary>
    [Parameter]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(HealthServiceCompleter))]
    public string? Service { get; set; }

    /// <summary>How long to wait for the health answer (default 5 s).</summary>
    [Parameter]
    [TimeSpanArgument]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Return the details instead of $true/$false.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() => WithSession(Check);

    private void Check(PluginSession session)
    {
        HealthResult result = Run(token => PluginHealth.CheckAsync(session, Service, Timeout, token));
        WriteVerbose($"Plugin '{session.Name}': health '{result.Service}' {result.Status}, process {(result.ProcessAlive switch { true => "running", false => "exited", null => "unknown" })}, {result.ResponseTime.TotalMilliseconds:0.#} ms.");
        if (!Detailed)
        {
            WriteObject(result.Healthy);
            return;
        }

        var detail = new PSObject();
        detail.TypeNames.Insert(0, "RpcPlugin.HealthResult");
        detail.Properties.Add(new PSNoteProperty("Session", session.Name));
        detail.Properties.Add(new PSNoteProperty("Healthy", result.Healthy));
        detail.Properties.Add(new PSNoteProperty("Status", result.Status));
        detail.Properties.Add(new PSNoteProperty("Service", result.Service));
        detail.Properties.Add(new PSNoteProperty("ProcessAlive", result.ProcessAlive));
        detail.Properties.Add(new PSNoteProperty("State", session.State));
        detail.Properties.Add(new PSNoteProperty("ResponseTime", result.ResponseTime));
        WriteObject(detail);
    }
}
