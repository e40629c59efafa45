namespace Bimtek.Gateway.Tests.Support;

/// <summary>The stand-in backends and one gateway in front of them, shared by the tests of a collection.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private FakeBackends? _backends;
    private GatewayHost? _gateway;

    public FakeBackends Backends => _backends!;

    public GatewayHost Gateway => _gateway!;

    /// <summary>Another gateway in front of the same backends, with extra configuration (limits, timeouts).</summary>
    public GatewayHost CreateGateway(IReadOnlyDictionary<string, string?> configuration) => new(Backends, configuration);

    public async Task InitializeAsync()
    {
        _backends = await FakeBackends.StartAsync();
        _gateway = new GatewayHost(_backends);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Backends.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
