using System.Text;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Generation;

/// <summary>
/// Writes the script of the module Import-RpcPluginCommand generates: one advanced function per method,
/// <c>Invoke-&lt;Prefix&gt;&lt;Method&gt;</c>, whose parameters are the request's top-level fields (typed, enums as
/// ValidateSet, bound from the pipeline by property name), with help from the proto comments. Each function feeds
/// Invoke-RpcPluginMethod through a steppable pipeline, so all four call kinds behave as they do there.
/// </summary>
internal static class CommandScriptBuilder
{
    /// <summary>Parameter names a field cannot take (PowerShell's common parameters and our own).</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "Session", "Timeout", "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction",
        "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
        "WhatIf", "Confirm", "Args", "Input", "This", "_",
    };

    public static string Build(DescriptorPool pool, IEnumerable<MethodDescriptor> methods, Func<MethodDescriptor, string> commandName)
    {
        var script = new StringBuilder();
        script.AppendLine("param([Parameter(Mandatory)] $RpcPluginSession)");
        script.AppendLine("$script:RpcPluginSession = $RpcPluginSession");
        var names = new List<string>();
        foreach (MethodDescriptor method in methods)
        {
            string name = commandName(method);
            names.Add(name);
            AppendFunction(script, pool, method, name);
        }

        script.Append("Export-ModuleMember -Function ").AppendLine(string.Join(", ", names.Select(Quote)));
        return script.ToString();
    }

    /// <summary>snake_case or camelCase to PascalCase: <c>grandchild_pid</c> → <c>GrandchildPid</c>.</summary>
    public static string Pascal(string name)
    {
        var result = new StringBuilder(name.Length);
        bool upper = true;
        foreach (char c in name)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            result.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return result.Length == 0 ? "Field" : result.ToString();
    }

    private static void AppendFunction(StringBuilder script, DescriptorPool pool, MethodDescriptor method, string name)
    {
        string fullName = MethodResolver.FullName(method);
        IList<FieldDescriptor> fields = method.InputType.Fields.InDeclarationOrder();
        script.Append("function ").Append(name).AppendLine(" {");
        AppendHelp(script, pool, method, fields);
        script.AppendLine("    [CmdletBinding(PositionalBinding = $false)]");
        script.AppendLine("    param(");
        int position = 0;
        foreach (FieldDescriptor field in fields)
        {
            string parameter = ParameterName(field);
            script.Append("        [Parameter(Position = ").Append(position++).AppendLine(", ValueFromPipelineByPropertyName)]");
            if (parameter != field.Name && !string.Equals(parameter, field.Name, StringComparison.OrdinalIgnoreCase))
            {
                script.Append("        [Alias(").Append(Quote(field.Name)).AppendLine(")]");
            }

            if (field.FieldType == FieldType.Enum && !field.IsMap)
            {
                script.Append("        [ValidateSet(").Append(string.Join(", ", field.EnumType.Values.Select(v => Quote(v.Name)))).AppendLine(", IgnoreCase = $true)]");
            }

            script.Append("        ").Append(TypeOf(field)).Append(" $").Append(parameter).AppendLine(",");
        }

        script.AppendLine("        [RpcPlugin.Arguments.SessionArgument()] [RpcPlugin.RpcPluginSession] $Session = $script:RpcPluginSession,");
        script.AppendLine("        [object] $Timeout");
        script.AppendLine("    )");
        script.AppendLine("    begin {");
        script.AppendLine("        $invoke = @{ Session = $Session; Method = " + Quote(fullName) + " }");
        script.AppendLine("        if ($PSBoundParameters.ContainsKey('Timeout')) { $invoke.Timeout = $Timeout }");
        script.AppendLine("        $fields = @{ " + string.Join("; ", fields.Select(f => Quote(ParameterName(f)) + " = " + Quote(f.Name))) + " }");
        // Begin($PSCmdlet) rather than Begin($true): the inner command's errors then go through this function, so its
        // -ErrorVariable collects them. It also gives the inner command this function's ExpectingInput, so without
        // pipeline input the request goes as -Request.
        script.AppendLine("        if (-not $MyInvocation.ExpectingInput) {");
        script.AppendLine("            $invoke.Request = [ordered]@{}");
        script.AppendLine("            foreach ($key in $fields.Keys) { if ($PSBoundParameters.ContainsKey($key)) { $invoke.Request[$fields[$key]] = $PSBoundParameters[$key] } }");
        script.AppendLine("        }");
        // PowerShell leaves a parameter bound from an earlier pipeline object in $PSBoundParameters when the next
        // object lacks that property: only what the command line bound, or what the current object has, counts.
        script.AppendLine("        $fromCommandLine = @($PSBoundParameters.Keys)");
        script.AppendLine("        $pipeline = { Invoke-RpcPluginMethod @invoke }.GetSteppablePipeline($MyInvocation.CommandOrigin)");
        script.AppendLine("        $pipeline.Begin($PSCmdlet)");
        script.AppendLine("    }");
        script.AppendLine("    process {");
        script.AppendLine("        if (-not $MyInvocation.ExpectingInput) { $pipeline.Process(); return }");
        script.AppendLine("        $request = [ordered]@{}");
        script.AppendLine("        foreach ($key in $fields.Keys) {");
        script.AppendLine("            if (-not $PSBoundParameters.ContainsKey($key)) { continue }");
        script.AppendLine("            if ($key -notin $fromCommandLine -and -not ($_.PSObject.Properties[$key] -or $_.PSObject.Properties[$fields[$key]])) { continue }");
        script.AppendLine("            $request[$fields[$key]] = $PSBoundParameters[$key]");
        script.AppendLine("        }");
        script.AppendLine("        $pipeline.Process($request)");
        script.AppendLine("    }");
        script.AppendLine("    end { $pipeline.End() }");
        script.AppendLine("}");
        script.AppendLine();
    }

    private static void AppendHelp(StringBuilder script, DescriptorPool pool, MethodDescriptor method, IList<FieldDescriptor> fields)
    {
        string kind = ServiceCatalog.Kind(method).ToString();
        script.AppendLine("    <#");
        script.AppendLine("    .SYNOPSIS");
        script.AppendLine("    " + HelpText(pool.GetComments(method) ?? $"Calls {MethodResolver.FullName(method)}."));
        script.AppendLine("    .DESCRIPTION");
        script.AppendLine($"    Calls {MethodResolver.FullName(method)} ({kind}: {method.InputType.FullName} -> {method.OutputType.FullName}) with Invoke-RpcPluginMethod.");
        script.AppendLine("    Parameters are the request's fields; objects from the pipeline bind to them by property name.");
        if (method.IsClientStreaming)
        {
            script.AppendLine("    Every pipeline object is one request of the stream.");
        }

        foreach (FieldDescriptor field in fields)
        {
            script.AppendLine("    .PARAMETER " + ParameterName(field));
            script.AppendLine("    " + HelpText(pool.GetComments(field) ?? $"The '{field.Name}' field ({Describe(field)})."));
        }

        script.AppendLine("    .PARAMETER Session");
        script.AppendLine("    The plugin session to call; the one the commands were imported from when not given.");
        script.AppendLine("    .PARAMETER Timeout");
        script.AppendLine("    The deadline of each call: seconds, '500ms', '2m' or a [TimeSpan].");
        script.AppendLine("    #>");
    }

    private static string ParameterName(FieldDescriptor field)
    {
        string name = Pascal(field.Name);
        return Reserved.Contains(name) ? name + "Field" : name;
    }

    private static string TypeOf(FieldDescriptor field)
    {
        if (field.IsMap)
        {
            return "[System.Collections.IDictionary]";
        }

        string element = field.FieldType switch
        {
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => "[int]",
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => "[long]",
            FieldType.UInt32 or FieldType.Fixed32 => "[uint32]",
            FieldType.UInt64 or FieldType.Fixed64 => "[uint64]",
            FieldType.Float => "[single]",
            FieldType.Double => "[double]",
            FieldType.Bool => field.IsRepeated ? "[bool]" : "[switch]",
            FieldType.String or FieldType.Enum => "[string]",
            FieldType.Bytes => field.IsRepeated ? "[object]" : "[byte[]]",
            FieldType.Message when field.MessageType.FullName == "google.protobuf.Timestamp" => "[DateTimeOffset]",
            FieldType.Message when field.MessageType.FullName == "google.protobuf.Duration" => "[timespan]",
            _ => "[object]",
        };
        return field.IsRepeated && element != "[object]" ? element[..^1] + "[]]" : element;
    }

    private static string Describe(FieldDescriptor field)
    {
        string type = field.FieldType switch
        {
            FieldType.Message or FieldType.Group => field.MessageType.FullName,
            FieldType.Enum => field.EnumType.FullName,
            _ => field.FieldType.ToString().ToLowerInvariant(),
        };
        return field.IsMap ? "map" : field.IsRepeated ? "repeated " + type : type;
    }

    private static string HelpText(string text) =>
        text.Replace("#>", "# >", StringComparison.Ordinal).Replace("\n", "\n    ", StringComparison.Ordinal);

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The default command name: Invoke-&lt;Prefix&gt;&lt;Method&gt;.</summary>
    public static string DefaultName(MethodDescriptor method, string? prefix) =>
        "Invoke-" + (prefix ?? method.Service.Name) + Pascal(method.Name);
}
