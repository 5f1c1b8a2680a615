using System.Collections;

namespace RpcPlugin;

/// <summary>One line a plugin wrote to its standard error or output, parsed when it is hclog JSON.</summary>
public sealed class RpcPluginLogEntry(
    DateTimeOffset time,
    RpcPluginLogLevel level,
    string message,
    string? module,
    IDictionary fields,
    RpcPluginLogSource source,
    string line)
{
    /// <summary>The entry's own timestamp (hclog <c>@timestamp</c>), else the time it was read.</summary>
    public DateTimeOffset Time { get; } = time;

    /// <summary>The level (hclog <c>@level</c>, a <c>[LEVEL]</c> prefix, or Debug).</summary>
    public RpcPluginLogLevel Level { get; } = level;

    /// <summary>The message text (hclog <c>@message</c>, else the whole line).</summary>
    public string Message { get; } = message;

    /// <summary>The hclog <c>@module</c>, if any.</summary>
    public string? Module { get; } = module;

    /// <summary>Any other keys of an hclog JSON line, in the order written (read-only).</summary>
    public IDictionary Fields { get; } = fields;

    /// <summary>Which stream the line came from.</summary>
    public RpcPluginLogSource Source { get; } = source;

    /// <summary>The line exactly as read.</summary>
    public string Line { get; } = line;

    /// <summary>The session the entry belongs to, filled in by the session that records it.</summary>
    public string? SessionName { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Time:HH:mm:ss.fff} [{Level}] {Message}";
}
