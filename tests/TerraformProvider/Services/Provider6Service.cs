using System.Linq;
using System.Threading.Tasks;
using Google.Protobuf;
using Grpc.Core;
using RpcPlugin.GoPluginServer;
using RpcPlugin.TerraformProvider.Provider;
using RpcPlugin.TerraformProvider.Schema;
using Tfplugin6;

namespace RpcPlugin.TerraformProvider.Services;

/// <summary>tfplugin6.Provider over <see cref="ThingProvider"/>.</summary>
internal sealed class Provider6Service : Tfplugin6.Provider.ProviderBase
{
    private readonly ThingProvider provider;
    private readonly HclogLogger log;

    public Provider6Service(ThingProvider provider, HclogLogger log)
    {
        this.provider = provider;
        this.log = log;
    }

    public override Task<GetMetadata.Types.Response> GetMetadata(GetMetadata.Types.Request request, ServerCallContext context)
    {
        var response = new GetMetadata.Types.Response { ServerCapabilities = new ServerCapabilities { PlanDestroy = true } };
        response.DataSources.Add(new GetMetadata.Types.DataSourceMetadata { TypeName = ProviderSchemas.DataSourceName });
        response.Resources.Add(new GetMetadata.Types.ResourceMetadata { TypeName = ProviderSchemas.ResourceName });
        return Task.FromResult(response);
    }

    public override async Task<GetProviderSchema.Types.Response> GetProviderSchema(GetProviderSchema.Types.Request request, ServerCallContext context)
    {
        log.Info("schema requested", ("tf_rpc", "GetProviderSchema"));
        await ThingProvider.SchemaDelay(context.CancellationToken);
        if (ThingProvider.SchemaFailure() is { } failure)
        {
            return With(new GetProviderSchema.Types.Response(), r => r.Diagnostics, failure);
        }

        var response = new GetProviderSchema.Types.Response
        {
            Provider = SchemaMessages.ToV6(provider.Schemas.Provider),
            ProviderMeta = SchemaMessages.ToV6(provider.Schemas.ProviderMeta),
            ServerCapabilities = new ServerCapabilities { PlanDestroy = true },
        };
        response.ResourceSchemas.Add(ProviderSchemas.ResourceName, SchemaMessages.ToV6(provider.Schemas.Resource));
        response.DataSourceSchemas.Add(ProviderSchemas.DataSourceName, SchemaMessages.ToV6(provider.Schemas.DataSource));
        return response;
    }

    public override Task<ValidateProviderConfig.Types.Response> ValidateProviderConfig(ValidateProviderConfig.Types.Request request, ServerCallContext context) =>
        Task.FromResult(With(new ValidateProviderConfig.Types.Response(), r => r.Diagnostics, provider.ValidateProviderConfig(In(request.Config))));

    public override Task<ConfigureProvider.Types.Response> ConfigureProvider(ConfigureProvider.Types.Request request, ServerCallContext context) =>
        Task.FromResult(With(new ConfigureProvider.Types.Response(), r => r.Diagnostics, provider.Configure(In(request.Config))));

    public override Task<ValidateDataResourceConfig.Types.Response> ValidateDataResourceConfig(ValidateDataResourceConfig.Types.Request request, ServerCallContext context) =>
        Task.FromResult(With(new ValidateDataResourceConfig.Types.Response(), r => r.Diagnostics, provider.ValidateDataSource(request.TypeName, In(request.Config))));

    public override Task<ReadDataSource.Types.Response> ReadDataSource(ReadDataSource.Types.Request request, ServerCallContext context)
    {
        var (state, diagnostics) = provider.ReadDataSource(request.TypeName, In(request.Config), In(request.ProviderMeta));
        return Task.FromResult(With(new ReadDataSource.Types.Response { State = Out(state) }, r => r.Diagnostics, diagnostics));
    }

    public override Task<ValidateResourceConfig.Types.Response> ValidateResourceConfig(ValidateResourceConfig.Types.Request request, ServerCallContext context) =>
        Task.FromResult(With(new ValidateResourceConfig.Types.Response(), r => r.Diagnostics, provider.ValidateResource(request.TypeName, In(request.Config))));

    public override Task<PlanResourceChange.Types.Response> PlanResourceChange(PlanResourceChange.Types.Request request, ServerCallContext context)
    {
        var (planned, replace, diagnostics) = provider.Plan(request.TypeName, In(request.PriorState), In(request.ProposedNewState), In(request.Config));
        var response = new PlanResourceChange.Types.Response { PlannedState = Out(planned), PlannedPrivate = request.PriorPrivate };
        response.RequiresReplace.AddRange(replace.Select(name => Path(new[] { new PathStep(name) })));
        return Task.FromResult(With(response, r => r.Diagnostics, diagnostics));
    }

    public override Task<ApplyResourceChange.Types.Response> ApplyResourceChange(ApplyResourceChange.Types.Request request, ServerCallContext context)
    {
        var (state, diagnostics) = provider.Apply(request.TypeName, In(request.PriorState), In(request.PlannedState));
        return Task.FromResult(With(new ApplyResourceChange.Types.Response { NewState = Out(state), Private = request.PlannedPrivate }, r => r.Diagnostics, diagnostics));
    }

    public override Task<ReadResource.Types.Response> ReadResource(ReadResource.Types.Request request, ServerCallContext context) =>
        Task.FromResult(new ReadResource.Types.Response { NewState = Out(provider.Read(In(request.CurrentState))), Private = request.Private });

    public override Task<ImportResourceState.Types.Response> ImportResourceState(ImportResourceState.Types.Request request, ServerCallContext context)
    {
        var (states, diagnostics) = provider.Import(request.TypeName, request.Id);
        var response = new ImportResourceState.Types.Response();
        response.ImportedResources.AddRange(states.Select(s => new ImportResourceState.Types.ImportedResource { TypeName = request.TypeName, State = Out(s) }));
        return Task.FromResult(With(response, r => r.Diagnostics, diagnostics));
    }

    public override Task<UpgradeResourceState.Types.Response> UpgradeResourceState(UpgradeResourceState.Types.Request request, ServerCallContext context)
    {
        var (state, diagnostics) = provider.Upgrade(request.TypeName, request.Version, request.RawState?.Json.ToByteArray());
        return Task.FromResult(With(new UpgradeResourceState.Types.Response { UpgradedState = Out(state) }, r => r.Diagnostics, diagnostics));
    }

    public override Task<StopProvider.Types.Response> StopProvider(StopProvider.Types.Request request, ServerCallContext context) =>
        Task.FromResult(new StopProvider.Types.Response());

    private static byte[]? In(DynamicValue? value) => value is null ? null : value.Msgpack.Length > 0 ? value.Msgpack.ToByteArray() : null;

    private static DynamicValue? Out(byte[]? msgpack) => msgpack is null ? null : new DynamicValue { Msgpack = ByteString.CopyFrom(msgpack) };

    private static T With<T>(T response, System.Func<T, Google.Protobuf.Collections.RepeatedField<Diagnostic>> field, System.Collections.Generic.IEnumerable<Diag> diagnostics)
    {
        field(response).AddRange(diagnostics.Select(d => new Diagnostic
        {
            Severity = d.IsError ? Diagnostic.Types.Severity.Error : Diagnostic.Types.Severity.Warning,
            Summary = d.Summary,
            Detail = d.Detail,
            Attribute = d.Path is null ? null : Path(d.Path),
        }));
        return response;
    }

    private static AttributePath Path(System.Collections.Generic.IEnumerable<PathStep> steps)
    {
        var path = new AttributePath();
        foreach (PathStep step in steps)
        {
            path.Steps.Add(step.Attribute is { } name ? new AttributePath.Types.Step { AttributeName = name }
                : step.Key is { } key ? new AttributePath.Types.Step { ElementKeyString = key }
                : new AttributePath.Types.Step { ElementKeyInt = step.Index ?? 0 });
        }

        return path;
    }
}
