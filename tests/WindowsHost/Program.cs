using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;

namespace RpcPlugin.WindowsHost;

/// <summary>
/// Runs a script (or script text) in a PowerShell runspace as <c>pwsh -File</c> / <c>-Command</c> would: output,
/// errors and host writes to standard output, Ctrl+C stops the pipeline, the exit code is the script's.
/// PowerShell's own console host cannot run under Wine with redirected output (it needs a console screen buffer).
/// </summary>
internal static class Program
{
    private const int UsageError = 64;

    private static int Main(string[] args)
    {
        CommandLine line;
        try
        {
            line = CommandLine.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return UsageError;
        }

        // UTF-8 without BOM, as pwsh writes to a pipe; the lane's log is read on Linux.
        Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true });
        var host = new LaneHost();
        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        using Runspace runspace = RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();
        using (PowerShell setup = PowerShell.Create(runspace))
        {
            // No ANSI colour codes in a log that is a pipe.
            setup.AddScript("$PSStyle.OutputRendering = 'PlainText'").Invoke();
        }

        using PowerShell shell = PowerShell.Create(runspace);
        if (line.File is not null)
        {
            shell.AddCommand(Path.GetFullPath(line.File));
            foreach (ScriptArgument argument in line.Arguments)
            {
                if (argument.Name is null)
                {
                    shell.AddArgument(argument.Value);
                }
                else
                {
                    shell.AddParameter(argument.Name, argument.Value);
                }
            }
        }
        else
        {
            shell.AddScript(line.Command);
        }

        shell.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        shell.AddCommand("Out-Default");

        // Ctrl+C (or Ctrl+Break) stops the running pipeline as pwsh does: the cmdlets' StopProcessing runs.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            Console.Out.WriteLine("WindowsHost: Ctrl+C, stopping the pipeline");
            shell.BeginStop(null, null);
        };

        try
        {
            shell.Invoke();
        }
        catch (RuntimeException e)
        {
            Console.Out.WriteLine(e.ErrorRecord.ToString());
            Console.Out.WriteLine(e.ErrorRecord.InvocationInfo?.PositionMessage);
            return 1;
        }

        if (host.ExitCode is int code)
        {
            return code;
        }

        if (shell.InvocationStateInfo.State == PSInvocationState.Stopped)
        {
            return 1;
        }

        return runspace.SessionStateProxy.GetVariable("LASTEXITCODE") is int last ? last : 0;
    }
}
