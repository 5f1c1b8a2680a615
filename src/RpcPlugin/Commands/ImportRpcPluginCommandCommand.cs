using System.Collections.ObjectModel;
using System.Management.Automation;
using RpcPlugin.Arguments;
using Google.Protobuf.Reflection;
using RpcPlugin.Bases;
using RpcPlugin.Completers;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Generation;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Generates one PowerShell command per plugin method: Invoke-&lt;Prefix&gt;&lt;Method&gt;.</para>
/// <para type="description">The commands take the request's fields as parameters (typed; enums with tab-completable
/// values; bound from the pipeline by property name), carry help from the .proto comments, and call the session
/// they were imported from unless -Session says otherwise. They live in a dynamic module: Remove-Module removes
/// them.</para>
/// </summary>
[Cmdlet(VerbsData.Import, "RpcPluginCommand", DefaultParameterSetName = BySession)]
[OutputType(typeof(PSModuleInfo))]
public sealed class ImportRpcPluginCommandCommand : RpcPluginSessionCmdlet
{
    /// <summary>The noun prefix of the commands (Invoke-&lt;Prefix&gt;&lt;Method&gt;); each service's short name when not given.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z][A-Za-z0-9]*$")]
    public string? Prefix { get; set; }

    /// <summary>Only the methods of services matching this name (full or short; wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Service { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() => WithSession(session =>
    {
        var pattern = Service is null ? null : WildcardArgument.Pattern(Service, "-Service");
        DescriptorPool pool = LoadDescriptors(session);
        MethodDescriptor[] methods = ServiceCatalog.Visible(pool)
            .Where(s => pattern is null || ServiceMatches(pattern, s.FullName))
            .SelectMany(s => s.Methods)
            .ToArray();
        if (methods.Length == 0)
        {
            throw new PluginException(PluginErrorCode.MethodNotFound, $"The plugin '{session.Name}' has no methods{(Service is null ? string.Empty : $" in services matching '{Service}'")} to import.")
            {
                RecommendedAction = "Run Get-RpcPluginService to see what it serves; a plugin without reflection needs -ProtoFile or -DescriptorSet.",
            };
        }

        var duplicates = methods.GroupBy(m => CommandScriptBuilder.DefaultName(m, Prefix), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).ToList();
        if (duplicates.Count > 0)
        {
            throw new PluginException(PluginErrorCode.InvalidArgument, $"Several methods would become the same command: {string.Join("; ", duplicates.Select(d => d.Key + " (" + string.Join(", ", d.Select(MethodResolver.FullName)) + ")"))}.")
            {
                RecommendedAction = "Import one service at a time with -Service, giving each its own -Prefix.",
            };
        }

        string script = CommandScriptBuilder.Build(pool, methods, m => CommandScriptBuilder.DefaultName(m, Prefix));
        string moduleName = "RpcPlugin.Commands." + (Prefix ?? session.Name);
        WriteVerbose($"Importing {methods.Length} commands for plugin '{session.Name}' as module '{moduleName}'.");
        Collection<PSObject> imported = InvokeCommand.InvokeScript(
            "param($name, $script, $session) New-Module -Name $name -ScriptBlock ([scriptblock]::Create($script)) -ArgumentList $session | Import-Module -Global -PassThru -Force",
            moduleName,
            script,
            session.Info);
        WriteObject(imported.Select(m => m.BaseObject).OfType<PSModuleInfo>().FirstOrDefault());
    });
}
