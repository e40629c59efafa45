namespace Bimtek.Notifications.Hosting;

/// <summary>Options of the notifications service (<c>Notifications:*</c>).</summary>
public sealed class NotificationsOptions
{
    public const string Section = "Notifications";

    /// <summary>Local run: every message goes to the log and <c>/dev/outbox</c> instead of a provider; nothing leaves the machine.</summary>
    public bool DevOutbox { get; set; }

    /// <summary>The time zone of programmes whose events carry none (IANA id).</summary>
    public string DefaultTimeZone { get; set; } = "Asia/Makassar";

    /// <summary>Quiet hours, local time of the programme: nothing but codes and invitations is sent from Start to End.</summary>
    public TimeOnly QuietFrom { get; set; } = new(21, 0);

    public TimeOnly QuietUntil { get; set; } = new(7, 0);

    /// <summary>Tries per channel for a provider answering 429/5xx or unreachable, before falling back to the next channel.</summary>
    public int TriesPerChannel { get; set; } = 3;

    /// <summary>First delay between tries of one channel (doubles each try, shared <c>Backoff</c>), and its cap.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Per-provider rate limit: messages per second each channel may send (token bucket).</summary>
    public int MessagesPerSecondPerChannel { get; set; } = 20;

    /// <summary>
    /// How long one provider call may hold a message's claim. A claim older than this was left by a process that died
    /// mid-call (longer than any channel's timeout: HTTP 15 s, SMTP 2 min): the message becomes UNKNOWN, never re-sent.
    /// </summary>
    public TimeSpan SendLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an UNKNOWN message waits for its provider's delivery report before it turns FAILED (resendable by an operator).</summary>
    public TimeSpan UnknownOutcomeWindow { get; set; } = TimeSpan.FromHours(6);

    public WhatsAppOptions WhatsApp { get; set; } = new();

    public SmsOptions Sms { get; set; } = new();

    public EmailOptions Email { get; set; } = new();

    public WebPushOptions WebPush { get; set; } = new();

    public WebhookOptions Webhooks { get; set; } = new();
}

/// <summary>Integrators' webhooks (<c>Notifications:Webhooks:*</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>Accept plain http webhook URLs (tests, a closed network); https only by default.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>How long one POST may take before it counts as failed (and is retried).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>WhatsApp Business Cloud API (<c>Notifications:WhatsApp:*</c>); on when AccessToken and PhoneNumberId are set.</summary>
public sealed class WhatsAppOptions
{
    public string BaseUrl { get; set; } = "https://graph.facebook.com";

    public string ApiVersion { get; set; } = "v21.0";

    /// <summary>The business phone number's id (not the number).</summary>
    public string PhoneNumberId { get; set; } = "";

    /// <summary>Secret: the system user's access token (Bearer).</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>Secret: the app secret that signs webhook callbacks (<c>X-Hub-Signature-256</c>).</summary>
    public string AppSecret { get; set; } = "";

    /// <summary>The token Meta echoes when the callback URL is registered (<c>hub.verify_token</c>).</summary>
    public string VerifyToken { get; set; } = "";

    /// <summary>The approved template with one body parameter that carries the text; per language code (id, en).</summary>
    public string TemplateName { get; set; } = "bimtek_notice";

    public bool Enabled => AccessToken.Length > 0 && PhoneNumberId.Length > 0;
}

/// <summary>A generic HTTP SMS gateway (<c>Notifications:Sms:*</c>); on when BaseUrl and ApiKey are set.</summary>
public sealed class SmsOptions
{
    /// <summary>The gateway's root; messages are POSTed to <c>{BaseUrl}/messages</c>.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Secret: sent as <c>Authorization: Bearer</c>.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The sender id shown to the person (registered with the provider).</summary>
    public string SenderId { get; set; } = "BIMTEK";

    /// <summary>
    /// Secret: the key the provider signs its status callbacks with (Twilio's scheme: <c>X-Twilio-Signature</c>,
    /// base64 HMAC-SHA1 of the callback URL followed by the form fields sorted by name, each name then value).
    /// Callbacks are refused while it is empty.
    /// </summary>
    public string CallbackAuthToken { get; set; } = "";

    /// <summary>
    /// The callback URL exactly as the provider calls it (scheme, host, path, query), since the signature covers it;
    /// empty: the URL of the request as it arrives here (right only when nothing rewrites it on the way).
    /// </summary>
    public string CallbackUrl { get; set; } = "";

    public bool Enabled => BaseUrl.Length > 0 && ApiKey.Length > 0;
}

/// <summary>E-mail by SMTP (<c>Notifications:Email:*</c>); on when Host and From are set.</summary>
public sealed class EmailOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary>StartTls (default), SslOnConnect, or None (a local relay only).</summary>
    public string Security { get; set; } = "StartTls";

    public string Username { get; set; } = "";

    /// <summary>Secret.</summary>
    public string Password { get; set; } = "";

    public string From { get; set; } = "";

    public string FromName { get; set; } = "Bimtek";

    /// <summary>
    /// Secret: the key the e-mail provider's event webhook signs with (<c>X-Bimtek-Timestamp</c>, and
    /// <c>X-Bimtek-Signature: v1=</c> hex HMAC-SHA256 of <c>timestamp + "." + body</c>). Callbacks are refused while it is empty.
    /// </summary>
    public string CallbackSecret { get; set; } = "";

    public bool Enabled => Host.Length > 0 && From.Length > 0;
}

/// <summary>Web push to the field app with VAPID (<c>Notifications:WebPush:*</c>); on when both keys are set.</summary>
public sealed class WebPushOptions
{
    /// <summary>The application server's public key (base64url, uncompressed P-256 point), also given to the field app.</summary>
    public string PublicKey { get; set; } = "";

    /// <summary>Secret: the private key (base64url).</summary>
    public string PrivateKey { get; set; } = "";

    /// <summary>Contact of the sender for push services: a mailto: or https: URL.</summary>
    public string Subject { get; set; } = "mailto:bimtek@example.invalid";

    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(12);

    public bool Enabled => PublicKey.Length > 0 && PrivateKey.Length > 0;
}
