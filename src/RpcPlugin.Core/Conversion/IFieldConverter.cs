using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;

namespace RpcPlugin.Core.Conversion;

/// <summary>
/// Takes over the conversion of particular fields from <see cref="MessageBuilder"/> and <see cref="MessageProjector"/>,
/// for protocols whose fields carry values of their own encoding (Terraform's <c>DynamicValue</c>, whose msgpack is
/// read and written by the provider's schema). The builder and projector consult it before their default handling;
/// a field it does not take is converted as usual.
/// </summary>
public interface IFieldConverter
{
    /// <summary>
    /// Whether this converter sets <paramref name="field"/> itself (in <see cref="Complete"/>). The builder then
    /// keeps the value given for it instead of converting it.
    /// </summary>
    bool Converts(FieldDescriptor field);

    /// <summary>
    /// Called once the builder has set every other field of <paramref name="message"/> from a dictionary or record,
    /// so that a converted field can depend on its siblings (a type name, say). Sets the converted fields of the
    /// message from <paramref name="given"/>: the values given for them, unwrapped; a field given as null or not at
    /// all is absent.
    /// </summary>
    /// <param name="message">The message being built.</param>
    /// <param name="given">The values given for converted fields, or null when none was.</param>
    /// <param name="path">The message's field path in the request (empty for the request itself), for error messages.</param>
    /// <exception cref="Errors.PluginException"><see cref="Errors.PluginErrorCode.InvalidRequest"/>, naming the field path.</exception>
    void Complete(DynamicMessage message, IReadOnlyDictionary<FieldDescriptor, object>? given, string path);

    /// <summary>The host value of one field of a decoded message, when this converter takes the field.</summary>
    /// <param name="message">The message the field belongs to.</param>
    /// <param name="field">The field.</param>
    /// <param name="value">The host value.</param>
    /// <exception cref="Errors.PluginException"><see cref="Errors.PluginErrorCode.InvalidResponse"/>: the value cannot be read.</exception>
    bool TryProject(DynamicMessage message, FieldDescriptor field, out object? value);
}
