using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;

namespace Bimtek.Testing.Hosting;

/// <summary>
/// A host under test, reached in-process: gRPC channels and HTTP clients (the REST surface),
/// each optionally carrying a bearer token minted by <see cref="TestTokens"/>.
/// </summary>
public abstract class TestHost : IAsyncDisposable
{
    public abstract IServiceProvider Services { get; }

    /// <summary>A handler that sends requests straight into the host.</summary>
    public abstract HttpMessageHandler CreateHandler();

    public GrpcChannel CreateChannel(string? token = null) =>
        GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = WithToken(CreateHandler(), token),
            DisposeHttpClient = true,
        });

    /// <summary>A generated gRPC client (e.g. <c>ParticipantsService.ParticipantsServiceClient</c>) calling as the token's holder.</summary>
    public TClient Client<TClient>(string? token) where TClient : ClientBase<TClient> =>
        (TClient)Activator.CreateInstance(typeof(TClient), CreateChannel(token))!;

    public HttpClient CreateHttpClient(string? token = null) =>
        new(WithToken(CreateHandler(), token)) { BaseAddress = new Uri("http://localhost") };

    public abstract ValueTask DisposeAsync();

    private static HttpMessageHandler WithToken(HttpMessageHandler inner, string? token) =>
        token is null ? inner : new BearerTokenHandler(token) { InnerHandler = inner };

    private sealed class BearerTokenHandler(string token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
