using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Bimtek.ServiceDefaults.Security;

/// <summary>The token a service presents when it calls another on its own behalf (outbox relays).</summary>
public interface IServiceTokenSource
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Fetches the service identity from the gateway's client-credentials endpoint and reuses it
/// until shortly before it expires.
/// </summary>
public sealed class GatewayServiceTokenSource(HttpClient http, IOptions<AuthOptions> options, TimeProvider time) : IServiceTokenSource, IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private string? _token;
    private DateTimeOffset _refreshAt;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is not null && time.GetUtcNow() < _refreshAt)
        {
            return _token;
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_token is null || time.GetUtcNow() >= _refreshAt)
            {
                var auth = options.Value;
                if (string.IsNullOrEmpty(auth.TokenEndpoint) || string.IsNullOrEmpty(auth.ClientId) || string.IsNullOrEmpty(auth.ClientSecret))
                {
                    throw new InvalidOperationException(
                        "Auth:TokenEndpoint, Auth:ClientId and Auth:ClientSecret must be set for this service to call others on its own behalf.");
                }
                using var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = auth.ClientId,
                    ["client_secret"] = auth.ClientSecret,
                });
                using var response = await http.PostAsync(auth.TokenEndpoint, form, cancellationToken);
                response.EnsureSuccessStatusCode();
                var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
                    ?? throw new InvalidOperationException("The token endpoint returned no body.");
                _token = body.AccessToken;
                _refreshAt = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(5, body.ExpiresIn * 0.8));
            }
            return _token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
