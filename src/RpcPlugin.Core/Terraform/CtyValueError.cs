using System.Globalization;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// A value that does not fit its cty type, on the way in or out. It collects the attribute path as it travels out
/// of nested values (no bookkeeping on the success path); <see cref="CtyCodec"/> turns it into a
/// <see cref="PluginException"/> at the edge.
/// </summary>
internal sealed class CtyValueError : Exception
{
    private string path = string.Empty;

    public CtyValueError(string reason, Exception? innerException = null)
        : base(reason, innerException)
    {
        Reason = reason;
    }

    public string Reason { get; }

    /// <summary>Puts an enclosing step in front of the path: an attribute name, or an index or key.</summary>
    public CtyValueError At(string attribute)
    {
        path = path.Length == 0 || path[0] == '[' ? attribute + path : attribute + "." + path;
        return this;
    }

    public CtyValueError AtIndex(int index) => AtStep($"[{index.ToString(CultureInfo.InvariantCulture)}]");

    public CtyValueError AtKey(string key) => AtStep($"[\"{key}\"]");

    /// <summary>The request error, the path under <paramref name="root"/> (a request field such as <c>config</c>).</summary>
    public PluginException ToRequestError(string root) => RequestError.Create(Join(root), Reason);

    /// <summary>The response error, the path under <paramref name="root"/>.</summary>
    public PluginException ToResponseError(string root)
    {
        string where = Join(root);
        return new PluginException(
            PluginErrorCode.InvalidResponse,
            where.Length == 0 ? $"The provider's value cannot be decoded: {Reason}." : $"The provider's value at '{where}' cannot be decoded: {Reason}.",
            this);
    }

    private CtyValueError AtStep(string step)
    {
        path = path.Length == 0 || path[0] == '[' ? step + path : step + "." + path;
        return this;
    }

    private string Join(string root) => root.Length == 0 ? path : path.Length == 0 ? root : path[0] == '[' ? root + path : root + "." + path;
}
