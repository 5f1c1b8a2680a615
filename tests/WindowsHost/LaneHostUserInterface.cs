using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace RpcPlugin.WindowsHost;

/// <summary>
/// Writes everything to standard output, in order, without colours (the lane's log is a pipe). Nothing here
/// prompts: the lane runs unattended, so a prompt is a test bug and fails loudly.
/// </summary>
internal sealed class LaneHostUserInterface : PSHostUserInterface
{
    private readonly LaneRawUserInterface raw = new();
    private readonly object gate = new();

    public override PSHostRawUserInterface RawUI => raw;

    public override string ReadLine() => Console.ReadLine() ?? string.Empty;

    public override SecureString ReadLineAsSecureString() => throw NoPrompts();

    public override void Write(string value) => Out(value);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Out(value);

    public override void WriteLine(string value) => Out(value + Environment.NewLine);

    public override void WriteErrorLine(string value) => Out(value + Environment.NewLine);

    public override void WriteDebugLine(string message) => Out($"DEBUG: {message}{Environment.NewLine}");

    public override void WriteVerboseLine(string message) => Out($"VERBOSE: {message}{Environment.NewLine}");

    public override void WriteWarningLine(string message) => Out($"WARNING: {message}{Environment.NewLine}");

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw NoPrompts();

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw NoPrompts();

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw NoPrompts();

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw NoPrompts();

    private static NotSupportedException NoPrompts() => new("The Windows lane host runs unattended and cannot prompt.");

    private void Out(string text)
    {
        lock (gate)
        {
            Console.Out.Write(text);
            Console.Out.Flush();
        }
    }
}
