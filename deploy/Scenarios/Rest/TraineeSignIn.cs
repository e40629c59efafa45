using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bimtek.Scenarios.Rest;

/// <summary>
/// Trainees signing in as they do on a phone: the operator issues a one-time code (<c>POST /api/v1/sign-in-codes</c>),
/// the trainee types it on the identity service's code page, and the dashboard's public client (authorization code +
/// PKCE, as the gateway's <c>/dashboard-config.json</c> names it) gets their token. Each trainee then calls the gateway
/// with their own bearer token (refreshed with the refresh token before its five minutes run out).
/// </summary>
public sealed partial class TraineeSignIn(HttpClient gateway, TextWriter log) : IDisposable
{
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private JsonObject? _config;

    /// <summary>A client that calls the gateway as the trainee <paramref name="subject"/>; signs them in with a fresh code the first time.</summary>
    public async Task<SuiteApi> ApiForAsync(SuiteApi operatorApi, string subject, CancellationToken ct)
    {
        if (!_sessions.TryGetValue(subject, out var session))
        {
            session = await SignInAsync(operatorApi, subject, ct);
            _sessions[subject] = session;
        }
        else if (session.ExpiresAt - DateTimeOffset.UtcNow < TimeSpan.FromMinutes(1))
        {
            await RefreshAsync(session, ct);
        }
        return new SuiteApi(new RestClient(session.Gateway, log));
    }

    private async Task<Session> SignInAsync(SuiteApi operatorApi, string subject, CancellationToken ct)
    {
        var config = _config ??= await ConfigAsync(ct);
        var authority = new Uri(config["authority"]?.GetValue<string>()
            ?? throw new ScenarioFailure("trainee sign-in", "the gateway names no identity service (Gateway:Jwt:Authority)"));
        var clientId = config["clientId"]!.GetValue<string>();
        var redirectUri = new Uri(gateway.BaseAddress!, "signin-callback.html").ToString();

        var issued = await operatorApi.Rest.PostAsync("issue sign-in code", "/api/v1/sign-in-codes", new JsonObject { ["subject"] = subject }, ct);
        var code = issued.Required("code", "issue sign-in code");

        var cookies = new CookieContainer();
        var identity = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies, UseCookies = true })
        {
            BaseAddress = authority,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = "/connect/authorize?client_id=" + Uri.EscapeDataString(clientId) + "&response_type=code"
            + "&scope=" + Uri.EscapeDataString("openid offline_access") + "&redirect_uri=" + Uri.EscapeDataString(redirectUri)
            + "&code_challenge=" + challenge + "&code_challenge_method=S256&state=scenario";

        // The code page (as the QR card opens it), then the form it carries, with its antiforgery token.
        var page = await identity.GetStringAsync("/account/code?returnUrl=" + Uri.EscapeDataString(authorize) + "&u=" + Uri.EscapeDataString(subject), ct);
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match hidden in HiddenInput().Matches(page))
        {
            form[WebUtility.HtmlDecode(hidden.Groups[1].Value)] = WebUtility.HtmlDecode(hidden.Groups[2].Value);
        }
        form["Name"] = subject;
        form["Code"] = code;
        using var signedIn = await identity.PostAsync("/account/code", new FormUrlEncodedContent(form), ct);
        Expect(signedIn.StatusCode == HttpStatusCode.Redirect, "the code page refused the code", signedIn);

        using var authorized = await identity.GetAsync(signedIn.Headers.Location!.OriginalString, ct);
        var callback = authorized.Headers.Location?.OriginalString ?? "";
        Expect(authorized.StatusCode == HttpStatusCode.Redirect && callback.StartsWith(redirectUri + "?", StringComparison.Ordinal),
            "the authorization endpoint did not send the code back", authorized);
        var authorizationCode = Uri.UnescapeDataString(Regex.Match(callback, "[?&]code=([^&]+)").Groups[1].Value);

        var session = new Session(identity, clientId, new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = gateway.Timeout });
        await TokenAsync(session, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = authorizationCode,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = verifier,
        }, ct);
        log.WriteLine($"    trainee {subject} signed in with a one-time code (own token, expires {session.ExpiresAt:HH:mm:ss})");
        return session;
    }

    private Task RefreshAsync(Session session, CancellationToken ct) => TokenAsync(session, new Dictionary<string, string>
    {
        ["grant_type"] = "refresh_token",
        ["refresh_token"] = session.RefreshToken ?? throw new ScenarioFailure("trainee sign-in", "no refresh token was issued"),
        ["client_id"] = session.ClientId,
    }, ct);

    private static async Task TokenAsync(Session session, Dictionary<string, string> form, CancellationToken ct)
    {
        using var response = await session.Identity.PostAsync("/connect/token", new FormUrlEncodedContent(form), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new ScenarioFailure("trainee token", "POST", "/connect/token", response.StatusCode, text);
        }
        var body = JsonNode.Parse(text)!.AsObject();
        session.RefreshToken = body["refresh_token"]?.GetValue<string>() ?? session.RefreshToken;
        session.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(body["expires_in"]?.GetValue<int>() ?? 300);
        session.Gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.Required("access_token", "trainee token"));
    }

    private async Task<JsonObject> ConfigAsync(CancellationToken ct)
    {
        var text = await gateway.GetStringAsync("/dashboard-config.json", ct);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static void Expect(bool condition, string message, HttpResponseMessage response)
    {
        if (!condition)
        {
            throw new ScenarioFailure("trainee sign-in", $"{message}: HTTP {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            session.Identity.Dispose();
            session.Gateway.Dispose();
        }
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();

    private sealed class Session(HttpClient identity, string clientId, HttpClient gateway)
    {
        public HttpClient Identity { get; } = identity;

        public string ClientId { get; } = clientId;

        public HttpClient Gateway { get; } = gateway;

        public string? RefreshToken { get; set; }

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
