using System.Globalization;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Conversion;

/// <summary>Builds the InvalidRequest errors of the converter: the field path, what was expected, what was given.</summary>
internal static class RequestError
{
    public static PluginException Create(string path, string reason) =>
        new(PluginErrorCode.InvalidRequest, path.Length == 0 ? $"Invalid request: {reason}." : $"Invalid request field '{path}': {reason}.");

    public static PluginException WrongValue(string path, string expected, object? value) =>
        Create(path, $"expected {expected}, got {Describe(value)}");

    /// <summary>Longer values are quoted by their start: an error message should not carry a megabyte of text.</summary>
    private const int QuoteLimit = 100;

    public static string Describe(object? value) => value switch
    {
        null => "$null",
        string { Length: > QuoteLimit } text => $"'{text[..(QuoteLimit - 20)]}…' (String, {text.Length.ToString(CultureInfo.InvariantCulture)} characters)",
        string text => $"'{text}' (String)",
        IFormattable formattable => $"{formattable.ToString(null, CultureInfo.InvariantCulture)} ({value.GetType().Name})",
        _ => $"a {value.GetType().Name}",
    };

    public static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static string Item(string path, int index) => $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]";

    public static string Key(string path, object key) => $"{path}[{Convert.ToString(key, CultureInfo.InvariantCulture)}]";
}
