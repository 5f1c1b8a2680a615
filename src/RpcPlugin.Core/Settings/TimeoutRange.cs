using System.Globalization;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Settings;

/// <summary>
/// The one range of every timeout the module takes (-Timeout, -StartTimeout, PLUGIN_CONNECTION_TIMEOUT, ...). The
/// ceiling comes from .NET: Task.Delay, Task.WaitAsync and CancellationTokenSource.CancelAfter refuse waits of
/// more than 2^32-2 ms (about 49.7 days), and a deadline must stay a representable DateTime. 24 days keeps every
/// wait, and the grace periods added after some of them, inside both, and inside APIs that count milliseconds in an
/// int too.
/// </summary>
public static class TimeoutRange
{
    /// <summary>The longest timeout.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(24);

    /// <summary>The ceiling as the messages state it.</summary>
    public static readonly string MaxText = $"at most 24 days ({Max.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, '{Max.TotalHours.ToString(CultureInfo.InvariantCulture)}h')";

    /// <summary>Whether <paramref name="value"/> is a timeout: more than zero (or zero, where it means 'no wait') and at most <see cref="Max"/>.</summary>
    public static bool Contains(TimeSpan value, bool zeroAllowed = false) =>
        (zeroAllowed ? value >= TimeSpan.Zero : value > TimeSpan.Zero) && value <= Max;

    /// <summary>Whether a number of seconds is a timeout, without building a TimeSpan that may overflow.</summary>
    public static bool ContainsSeconds(double seconds, bool zeroAllowed = false) =>
        double.IsFinite(seconds) && (zeroAllowed ? seconds >= 0 : seconds > 0) && seconds <= Max.TotalSeconds;

    /// <summary>What a timeout may be, for messages: "more than 0 and at most 24 days (...)".</summary>
    public static string Describe(bool zeroAllowed = false) =>
        (zeroAllowed ? "0 (no wait) or more, " : "more than 0 and ") + MaxText;

    /// <summary>Refuses a timeout outside the range (the cmdlets refuse one at binding already; this is for other callers).</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidArgument"/>.</exception>
    public static void Check(TimeSpan timeout, string what)
    {
        if (!Contains(timeout))
        {
            throw new PluginException(PluginErrorCode.InvalidArgument, $"The {what} {timeout} is out of range: give {Describe()}.");
        }
    }
}
