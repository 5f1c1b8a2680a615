using System;
using System.Globalization;
using System.Management.Automation.Host;

namespace RpcPlugin.WindowsHost;

/// <summary>The host object scripts see as <c>$Host</c>: console output, no prompts, and <c>exit</c> recorded.</summary>
internal sealed class LaneHost : PSHost
{
    private readonly LaneHostUserInterface ui = new();

    public override string Name => "RpcPluginWindowsHost";

    public override Version Version { get; } = new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => ui;

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    /// <summary>The code of a top-level <c>exit</c>, if a script called it.</summary>
    public int? ExitCode { get; private set; }

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

    public override void EnterNestedPrompt() => throw new NotSupportedException("The Windows lane host has no interactive prompt.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("The Windows lane host has no interactive prompt.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }
}
