using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Descriptors;

namespace RpcPlugin.Commands;

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

    /// <summary>The value to write, or null when there is nothing to write (google.protobuf.Empty).</summary>
    public object? Format(DynamicMessage response) => form switch
    {
        OutputForm.Json => response.Descriptor.FullName == "google.protobuf.Empty" ? null : ProtoJson.Format(response, jsonOptions),
        _ => projector!.Project(response),
    };
}
