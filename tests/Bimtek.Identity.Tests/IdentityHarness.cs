using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bimtek.Identity.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.Identity.Tests;

/// <summary>
/// The identity service on a fresh database, with a browser-like client (cookies, no automatic redirects)
/// that walks the real pages and the OpenID Connect endpoints, and a service client for account changes.
/// </summary>
public sealed partial class IdentityHarness : IAsyncDisposable
{
    public const string RedirectUri = "http://dashboard.test/signin-callback.html";
    public const string ClientId = "bimtek-dashboard";
    public const string SystemClient = "warehouse-system";
    public const string SystemSecret = "warehouse-system-secret-for-tests";

    private readonly TestDatabase _database;
    private readonly string _keys;

    private IdentityHarness(TestDatabase database, IReadOnlyDictionary<string, string?>? extra)
    {
        _database = database;
        _keys = Path.Combine(Path.GetTempPath(), "bimtek-tests", "identity-keys-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Identity:Issuer"] = "http://localhost/",
            ["Identity:KeyDirectory"] = _keys,
            ["Identity:Dashboard:RedirectUris:0"] = RedirectUri,
            ["Identity:Dashboard:PostLogoutRedirectUris:0"] = "http://dashboard.test/",
            ["Identity:Systems:" + SystemClient + ":Secret"] = SystemSecret,
            ["Identity:Systems:" + SystemClient + ":Roles:0"] = Roles.Integrator,
            ["Identity:Systems:" + SystemClient + ":Roles:1"] = Roles.Service,
            ["Identity:DevInbox"] = "true",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        Host = new ServiceHost<Program>(database, configuration: settings,
            configureServices: services => services.AddSingleton<IStartupFilter, TestRemoteAddress>());
    }

    public ServiceHost<Program> Host { get; }

    public DatabaseKind Kind => _database.Kind;

    /// <summary>Where the generated signing key lives (a test may sign with it to forge what identity never issues).</summary>
    public string SigningKeyFile => Path.Combine(_keys, "identity-signing.pem");

    /// <summary>IdentityInternalService (ApplyAccountChange) as participants' outbox relay calls it.</summary>
    public IdentityInternalService.IdentityInternalServiceClient Service => InternalAs(TestTokens.Service("participants"));

    public IdentityInternalService.IdentityInternalServiceClient InternalAs(string token) =>
        Host.Client<IdentityInternalService.IdentityInternalServiceClient>(token);

    public IdentityService.IdentityServiceClient Operator => Host.Client<IdentityService.IdentityServiceClient>(TestTokens.Operator());

    public IdentityService.IdentityServiceClient As(string subject, string role) => Host.Client<IdentityService.IdentityServiceClient>(TestTokens.Mint(subject, role));

    public static async Task<IdentityHarness> StartAsync(DatabaseKind kind, string name, IReadOnlyDictionary<string, string?>? configuration = null) =>
        new(await TestDatabase.CreateAsync(kind, "identity-" + name), configuration);

    /// <summary>Identity on a database the test prepared (the harness disposes it).</summary>
    public static IdentityHarness StartOn(TestDatabase database, IReadOnlyDictionary<string, string?>? configuration = null) => new(database, configuration);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _database.Dispose();
        try
        {
            Directory.Delete(_keys, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>A browser: its own cookies, redirects followed by the test.</summary>
    public Browser NewBrowser(string address = "10.0.0.1") => new(Host.CreateHandler(), address);

    public Task<ApplyAccountChangeResponse> AccountAsync(string subject, AccountRole role, bool active = true, string phone = "", string email = "") =>
        Service.ApplyAccountChangeAsync(new ApplyAccountChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Subject = subject,
            Role = role,
            Name = subject,
            Phone = phone,
            Email = email,
            Active = active,
            ChangedAt = Timestamp.FromDateTime(DateTime.UtcNow),
        }).ResponseAsync;

    /// <summary>A staff account with a password set through its invitation.</summary>
    public async Task StaffWithPasswordAsync(string subject, AccountRole role, string email, string password)
    {
        await AccountAsync(subject, role, email: email);
        var invitation = await Operator.IssueInvitationAsync(new IssueInvitationRequest { RequestId = Guid.NewGuid().ToString(), Subject = subject });
        var browser = NewBrowser("10.9.9.9");
        var url = new Uri(invitation.Url).PathAndQuery;
        var page = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var set = await browser.PostFormAsync("/account/invitation", page.Html, new() { ["Password"] = password, ["Confirm"] = password });
        Assert.Equal(HttpStatusCode.Redirect, set.Status);
    }

    public async Task<string> IssueCodeAsync(string traineeSubject, IdentityService.IdentityServiceClient? issuer = null) =>
        (await (issuer ?? Operator).IssueSignInCodeAsync(new IssueSignInCodeRequest { RequestId = Guid.NewGuid().ToString(), Subject = traineeSubject })).Code;

    /// <summary>
    /// The dashboard's sign-in: authorization request with PKCE → sign-in page (<paramref name="signIn"/> fills it)
    /// → back to the authorization endpoint → code at the redirect URI → tokens.
    /// </summary>
    public static async Task<Tokens> CodeFlowAsync(Browser browser, Func<string, Task<Response>> signIn)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = AuthorizeUrl(RedirectUri, challenge);
        var first = await browser.GetAsync(authorize);
        string location;
        if (first.Status == HttpStatusCode.Redirect && first.Location!.StartsWith(RedirectUri, StringComparison.Ordinal))
        {
            location = first.Location; // Already signed in.
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, first.Status);
            var loginPage = new Uri(new Uri("http://localhost"), first.Location!).PathAndQuery;
            var returnUrl = Uri.UnescapeDataString(Regex.Match(loginPage, "ReturnUrl=([^&]+)").Groups[1].Value);
            var signedIn = await signIn(returnUrl);
            Assert.True(signedIn.Status == HttpStatusCode.Redirect, $"sign-in answered {(int)signedIn.Status}: {signedIn.Html}");
            var back = await browser.GetAsync(signedIn.Location!);
            Assert.Equal(HttpStatusCode.Redirect, back.Status);
            location = back.Location!;
        }
        Assert.StartsWith(RedirectUri + "?", location, StringComparison.Ordinal);
        var code = Uri.UnescapeDataString(Regex.Match(location, "[?&]code=([^&]+)").Groups[1].Value);
        var token = await browser.TokenAsync(new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["client_id"] = ClientId,
            ["code_verifier"] = verifier,
        });
        Assert.True(token.Status == HttpStatusCode.OK, token.Body.ToString());
        return token.Tokens;
    }

    public static string AuthorizeUrl(string redirectUri, string challenge) =>
        "/connect/authorize?client_id=" + ClientId + "&response_type=code&scope=" + Uri.EscapeDataString("openid offline_access")
        + "&redirect_uri=" + Uri.EscapeDataString(redirectUri) + "&code_challenge=" + challenge + "&code_challenge_method=S256&state=s1";

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public sealed record Tokens(string AccessToken, string? RefreshToken, int ExpiresIn);

    public sealed record Response(HttpStatusCode Status, string Html, string? Location, HttpResponseMessage Message);

    public sealed record TokenAnswer(HttpStatusCode Status, JsonElement Body)
    {
        public Tokens Tokens => new(
            Body.GetProperty("access_token").GetString()!,
            Body.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            Body.GetProperty("expires_in").GetInt32());

        public string Error => Body.GetProperty("error").GetString()!;

        public string ErrorDescription => Body.TryGetProperty("error_description", out var d) ? d.GetString()! : "";
    }

    /// <summary>A browser's cookie jar over the in-process host, from one client address.</summary>
    public sealed class Browser
    {
        private readonly HttpClient _http;
        private readonly CookieContainer _cookies = new();
        private static readonly Uri _base = new("http://localhost/");

        public Browser(HttpMessageHandler handler, string address)
        {
            _http = new HttpClient(new Jar(_cookies, address) { InnerHandler = handler }) { BaseAddress = _base };
        }

        public async Task<Response> GetAsync(string url) => await ReadAsync(await _http.GetAsync(url));

        /// <summary>Posts a form of the page <paramref name="html"/> with its antiforgery token and hidden fields, plus <paramref name="fields"/>.</summary>
        public async Task<Response> PostFormAsync(string action, string html, Dictionary<string, string> fields, bool withAntiforgery = true)
        {
            var values = new Dictionary<string, string>();
            foreach (Match hidden in HiddenInput().Matches(html))
            {
                values[WebUtility.HtmlDecode(hidden.Groups[1].Value)] = WebUtility.HtmlDecode(hidden.Groups[2].Value);
            }
            if (!withAntiforgery)
            {
                values.Remove("__RequestVerificationToken");
            }
            foreach (var (key, value) in fields)
            {
                values[key] = value;
            }
            return await ReadAsync(await _http.PostAsync(action, new FormUrlEncodedContent(values)));
        }

        public async Task<TokenAnswer> TokenAsync(Dictionary<string, string> form)
        {
            using var response = await _http.PostAsync("/connect/token", new FormUrlEncodedContent(form));
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return new TokenAnswer(response.StatusCode, body);
        }

        private static async Task<Response> ReadAsync(HttpResponseMessage message) =>
            new(message.StatusCode, await message.Content.ReadAsStringAsync(), message.Headers.Location?.OriginalString, message);

        private sealed class Jar(CookieContainer cookies, string address) : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var uri = new Uri(_base, request.RequestUri!);
                var header = cookies.GetCookieHeader(uri);
                if (header.Length > 0)
                {
                    request.Headers.Add("Cookie", header);
                }
                request.Headers.Add("X-Test-Remote-Address", address);
                var response = await base.SendAsync(request, cancellationToken);
                if (response.Headers.TryGetValues("Set-Cookie", out var set))
                {
                    foreach (var cookie in set)
                    {
                        cookies.SetCookies(uri, cookie);
                    }
                }
                return response;
            }
        }
    }

    /// <summary>Each test browser comes from its own address (<c>X-Test-Remote-Address</c>), as real clients would.</summary>
    private sealed class TestRemoteAddress : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, proceed) =>
            {
                if (IPAddress.TryParse(context.Request.Headers["X-Test-Remote-Address"].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }
                return proceed(context);
            });
            next(app);
        };
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();
}
