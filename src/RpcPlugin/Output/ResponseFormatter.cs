using RpcPlugin.Calls;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Descriptors;

namespace RpcPlugin.Output;

/// <summary>Turns a decoded response into what Invoke-RpcPluginMethod writes, per the chosen output form.</summary>
internal sealed class ResponseFormatter
{
    private readonly OutputForm form;
    private readonly MessageProjector? projector;
    private readonly ProtoJsonFormatOptions jsonOptions;

    public ResponseFormatter(OutputForm form, DescriptorPool pool)
    {
        this.form = form;
        IRecordFactory? factory = form switch
        {
            OutputForm.Object => PSObjectRecordFactory.Instance,
            OutputForm.Hashtable => DictionaryRecordFactory.Instance,
            _ => null,
        };
        projector = factory is null ? null : new MessageProjector(factory, pool.TypeResolver);
        jsonOptions = new ProtoJsonFormatOptions { EmitDefaultValues = true, TypeResolver = pool.TypeResolver };
    }

    /// <summary>
    /// The value to write, or null when there is nothing to write: google.protobuf.Empty, and any message type
    /// without fields (go-plugin's protos often declare their own <c>message Empty {}</c>).
    /// </summary>
    public object? Format(DynamicMessage response)
    {
        if (response.Descriptor.Fields.InDeclarationOrder().Count == 0)
        {
            return null;
        }

        return form == OutputForm.Json ? ProtoJson.Format(response, jsonOptions) : projector!.Project(response);
    }
}
