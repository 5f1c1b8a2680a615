using System.Management.Automation;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Arguments;

/// <summary>
/// The one way a name parameter that takes wildcards becomes a pattern. WildcardPattern only parses its text at the
/// first match, so an unclosed '[' would otherwise surface as a raw WildcardPatternException in the middle of the
/// command; here it is an argument error that names the parameter and says how to write the character literally.
/// </summary>
internal static class WildcardArgument
{
    /// <summary>The case-insensitive pattern <paramref name="text"/>, given as <paramref name="parameter"/> (e.g. "-Name").</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidArgument"/> when the text is not a valid pattern.</exception>
    public static WildcardPattern Pattern(string text, string parameter)
    {
        var pattern = new WildcardPattern(text, WildcardOptions.IgnoreCase);
        try
        {
            pattern.IsMatch(string.Empty);
        }
        catch (WildcardPatternException e)
        {
            throw new PluginException(
                PluginErrorCode.InvalidArgument,
                $"{parameter} '{text}' is not a valid wildcard pattern: '[' starts a range such as [a-c] that must end with ']'. " +
                "To match '[' or ']' literally, escape it with a backtick (`[ and `], inside single quotes) or write it as a range ([[] and []]).",
                e)
            {
                RecommendedAction = $"For example {parameter} '{WildcardPattern.Escape(text)}'.",
            };
        }

        return pattern;
    }
}
