using System.Runtime.CompilerServices;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Output;

namespace RpcPlugin.Calls;

/// <summary>
/// The request builder and response formatters of a descriptor pool, made once and shared by every call on it:
/// they hold no per-call state, and a script calling a method thousands of times should not rebuild them each time.
/// </summary>
internal sealed class CallConverters
{
    private static readonly ConditionalWeakTable<DescriptorPool, CallConverters> Cache = new();
    private readonly ResponseFormatter?[] formatters = new ResponseFormatter?[4];
    private readonly DescriptorPool pool;
    private MessageBuilder? ignoringBuilder;

    private CallConverters(DescriptorPool pool)
    {
        this.pool = pool;
        Builder = new MessageBuilder(PowerShellValueAdapter.Instance, pool.TypeResolver);
    }

    public MessageBuilder Builder { get; }

    /// <summary>The builder for -IgnoreUnknownFields, or the strict one.</summary>
    public MessageBuilder BuilderFor(bool ignoreUnknownFields) => !ignoreUnknownFields
        ? Builder
        : ignoringBuilder ??= new MessageBuilder(PowerShellValueAdapter.Instance, pool.TypeResolver) { IgnoreUnknownFields = true };

    public static CallConverters For(DescriptorPool pool) => Cache.GetValue(pool, p => new CallConverters(p));

    public ResponseFormatter Formatter(OutputForm form) => formatters[(int)form] ??= new ResponseFormatter(form, pool);
}
