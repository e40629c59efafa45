using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Bimtek.Notifications.Tests;

/// <summary>
/// The notifications service on a fresh database with every channel pointed at a local stand-in (WhatsApp Cloud API,
/// SMS gateway, SMTP server, push service), optionally on a fake clock. Restart keeps database, stand-ins and clock.
/// </summary>
public sealed class NotificationsHarness : IAsyncDisposable
{
    public const string PhoneNumberId = "106540352242922";
    public const string AccessToken = "test-whatsapp-token";
    public const string AppSecret = "test-app-secret";
    public const string SmsKey = "test-sms-key";

    private readonly TestDatabase _database;
    private readonly Dictionary<string, string?> _configuration;

    private NotificationsHarness(TestDatabase database, HttpStandIn whatsApp, HttpStandIn sms, SmtpStandIn smtp, HttpStandIn push,
        FakeTimeProvider? clock, IReadOnlyDictionary<string, string?>? extra)
    {
        _database = database;
        WhatsApp = whatsApp;
        Sms = sms;
        Smtp = smtp;
        Push = push;
        Clock = clock;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(true);
        VapidPublicKey = Base64Url.EncodeToString([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]);
        VapidPrivateKey = Base64Url.EncodeToString(parameters.D!);
        _configuration = new Dictionary<string, string?>
        {
            ["Outbox:PollInterval"] = "00:00:00.100",
            ["Outbox:InitialBackoff"] = "00:00:00.100",
            ["Outbox:MaxBackoff"] = "00:00:00.500",
            ["Notifications:DevOutbox"] = "false",
            ["Notifications:RetryDelay"] = "00:00:00.020",
            ["Notifications:MaxRetryDelay"] = "00:00:00.100",
            ["Notifications:WhatsApp:BaseUrl"] = whatsApp.BaseUrl,
            ["Notifications:WhatsApp:PhoneNumberId"] = PhoneNumberId,
            ["Notifications:WhatsApp:AccessToken"] = AccessToken,
            ["Notifications:WhatsApp:AppSecret"] = AppSecret,
            ["Notifications:Sms:BaseUrl"] = sms.BaseUrl,
            ["Notifications:Sms:ApiKey"] = SmsKey,
            ["Notifications:Email:Host"] = "127.0.0.1",
            ["Notifications:Email:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Email:Security"] = "None",
            ["Notifications:Email:From"] = "bimtek@disperindagkop-hsu.example",
            ["Notifications:WebPush:PublicKey"] = VapidPublicKey,
            ["Notifications:WebPush:PrivateKey"] = VapidPrivateKey,
            ["Notifications:WebPush:Subject"] = "mailto:bimtek@disperindagkop-hsu.example",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            _configuration[k] = v;
        }
        Host = Start();
    }

    public ServiceHost<Program> Host { get; private set; }

    public HttpStandIn WhatsApp { get; }

    public HttpStandIn Sms { get; }

    public SmtpStandIn Smtp { get; }

    public HttpStandIn Push { get; }

    public FakeTimeProvider? Clock { get; }

    public string VapidPublicKey { get; }

    public string VapidPrivateKey { get; }

    public DatabaseKind Kind => _database.Kind;

    /// <summary>NotificationsInternalService (ReceiveEvent) as another service's outbox relay calls it.</summary>
    public NotificationsInternalService.NotificationsInternalServiceClient Service => InternalAs(TestTokens.Service("participants"));

    public NotificationsInternalService.NotificationsInternalServiceClient InternalAs(string token) =>
        Host.Client<NotificationsInternalService.NotificationsInternalServiceClient>(token);

    public NotificationsService.NotificationsServiceClient Operator => Host.Client<NotificationsService.NotificationsServiceClient>(TestTokens.Operator());

    public NotificationsService.NotificationsServiceClient OperatorOf(string office) =>
        Host.Client<NotificationsService.NotificationsServiceClient>(TestTokens.OperatorOf(office));

    public NotificationsService.NotificationsServiceClient Person(string subject, string role = Roles.Trainee) =>
        Host.Client<NotificationsService.NotificationsServiceClient>(TestTokens.Mint(subject, role));

    public static async Task<NotificationsHarness> StartAsync(DatabaseKind kind, string name, DateTimeOffset? fakeNow = null,
        IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var database = await TestDatabase.CreateAsync(kind, name);
        var whatsApp = await HttpStandIn.StartAsync();
        whatsApp.Respond = _ => (200, $"{{\"messaging_product\":\"whatsapp\",\"contacts\":[{{\"input\":\"x\",\"wa_id\":\"x\"}}],\"messages\":[{{\"id\":\"wamid.{Guid.NewGuid():N}\"}}]}}", null);
        var sms = await HttpStandIn.StartAsync();
        sms.Respond = _ => (200, $"{{\"id\":\"sms-{Guid.NewGuid():N}\",\"status\":\"queued\"}}", null);
        var push = await HttpStandIn.StartAsync();
        push.Respond = _ => (201, "", null);
        return new NotificationsHarness(database, whatsApp, sms, SmtpStandIn.Start(), push,
            fakeNow is { } now ? new FakeTimeProvider(now) : null, fakeNow is null ? QuietLater(configuration) : configuration);
    }

    /// <summary>
    /// Tests on the real clock must not meet quiet hours (after 21:00 WITA every message would wait until 07:00): unless a
    /// test sets them, the quiet hours are moved to an hour that starts two hours from now, in the seed's time zone
    /// (Asia/Makassar, UTC+8 all year).
    /// </summary>
    private static Dictionary<string, string?> QuietLater(IReadOnlyDictionary<string, string?>? configuration)
    {
        var settings = new Dictionary<string, string?>(configuration ?? new Dictionary<string, string?>());
        if (settings.ContainsKey("Notifications:QuietFrom") || settings.ContainsKey("Notifications:QuietUntil"))
        {
            return settings;
        }
        var wita = TimeOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        settings["Notifications:QuietFrom"] = wita.AddHours(2).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        settings["Notifications:QuietUntil"] = wita.AddHours(3).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    /// <summary>
    /// Each programme's office as participants would tell it (operators' office checks); a programme not listed is
    /// unknown to participants. Tests fill it; the default office is the deployment's (<c>Offices:Default</c>).
    /// </summary>
    public ConcurrentDictionary<string, string> ProgrammeOffices { get; } = new(StringComparer.Ordinal);

    private ServiceHost<Program> Start() => new(_database, configuration: _configuration, configureServices: services =>
    {
        services.RemoveAll<IProgrammeOffices>();
        services.AddSingleton<IProgrammeOffices>(new FakeProgrammeOffices(ProgrammeOffices));
        if (Clock is not null)
        {
            services.AddSingleton<TimeProvider>(Clock);
        }
    });

    /// <summary>Stops the host (as a crash would leave it: nothing more is sent) and starts another on the same database.</summary>
    public async Task RestartAsync()
    {
        await Host.DisposeAsync();
        Host = Start();
    }

    public static string NewId() => Guid.NewGuid().ToString();

    public async Task<Contact> SetContactAsync(string subject, string phone = "", string email = "", Language language = Language.Indonesian,
        Channel preferred = Channel.Unspecified, Action<Contact>? change = null)
    {
        var contact = new Contact { Subject = subject, Name = subject, Phone = phone, Email = email, Language = language, PreferredChannel = preferred };
        change?.Invoke(contact);
        return await Operator.SetContactAsync(new SetContactRequest { RequestId = NewId(), Contact = contact });
    }

    /// <summary>The subject's messages as the operator lists them; none while the service has heard of no contact or message of theirs (NOT_FOUND).</summary>
    public async Task<IReadOnlyList<Message>> MessagesAsync(string subject)
    {
        try
        {
            return (await Operator.ListMessagesAsync(new ListMessagesRequest { Subject = subject, PageSize = 200 })).Messages;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return [];
        }
    }

    /// <summary>Waits (up to 30 s) until <paramref name="condition"/> holds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Waits (up to 30 s) until <paramref name="read"/> answers a value.</summary>
    public static async Task<T> EventuallyValueAsync<T>(Func<Task<T?>> read, string what) where T : class
    {
        T? value = null;
        await EventuallyAsync(async () => (value = await read()) is not null, what);
        return value!;
    }

    public Task<Message> EventuallyStatusAsync(string subject, DeliveryStatus status) => EventuallyMessageAsync(subject, m => m.Status == status, $"{subject}: {status}");

    public async Task<Message> EventuallyMessageAsync(string subject, Func<Message, bool> match, string what)
    {
        Message? found = null;
        try
        {
            await EventuallyAsync(async () => (found = (await MessagesAsync(subject)).FirstOrDefault(match)) is not null, what);
        }
        catch (Xunit.Sdk.FailException)
        {
            Assert.Fail($"{what}; messages: {string.Join(" | ", await MessagesAsync(subject))}; outbox: {await OutboxAsync()}");
        }
        return found!;
    }

    /// <summary>The service's outbox rows (status, attempts, last error), for failure messages.</summary>
    public async Task<string> OutboxAsync()
    {
        var database = Host.Services.GetRequiredService<Bimtek.Data.Persistence.Database>();
        await using var connection = await database.OpenConnectionAsync();
        var rows = await Dapper.SqlMapper.QueryAsync<(string, long, string)>(connection, "SELECT status, attempts, COALESCE(last_error, '') FROM outbox_messages");
        return string.Join(" | ", rows);
    }

    public static async Task<RpcException> FailsAsync(StatusCode code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == error.StatusCode, $"Expected {code} but got {error.StatusCode}: {error.Status.Detail}");
        return error;
    }

    public static string Reason(RpcException error) => error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason ?? "";

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await WhatsApp.DisposeAsync();
        await Sms.DisposeAsync();
        await Smtp.DisposeAsync();
        await Push.DisposeAsync();
        _database.Dispose();
    }
}

/// <summary>Programmes' offices from a dictionary, as participants' CheckEnrolment would answer them.</summary>
internal sealed class FakeProgrammeOffices(ConcurrentDictionary<string, string> offices) : IProgrammeOffices
{
    public ValueTask<string?> OfficeOfAsync(string programmeId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(offices.TryGetValue(programmeId, out var office) ? office : null);
}
