using Bimtek.Data.Persistence;

namespace Bimtek.Notifications.Data;

/// <summary>A webhook row (the secret only in its protected form).</summary>
public sealed class WebhookRow
{
    public string WebhookId { get; set; } = "";
    public string CreateRequestId { get; set; } = "";
    public string Url { get; set; } = "";
    public string EventTypes { get; set; } = "";
    public string Office { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public string SecretProtected { get; set; } = "";
    public long CreatedAt { get; set; }
    public long Disabled { get; set; }

    /// <summary>The subscribed kinds (stored as their numbers, comma separated).</summary>
    public IReadOnlyList<int> Kinds => [.. EventTypes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];
}

/// <summary>A delivery row.</summary>
public sealed class WebhookDeliveryRow
{
    public string DeliveryId { get; set; } = "";
    public string WebhookId { get; set; } = "";
    public string EventId { get; set; } = "";
    public long EventType { get; set; }
    public string ProgrammeId { get; set; } = "";
    public string Body { get; set; } = "";
    public string Status { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? DeliveredAt { get; set; }
}

/// <summary>A delivery attempt row.</summary>
public sealed class WebhookAttemptRow
{
    public string DeliveryId { get; set; } = "";
    public long AttemptedAt { get; set; }
    public long HttpStatus { get; set; }
    public string Detail { get; set; } = "";
}

/// <summary>Webhooks, their deliveries and attempts.</summary>
public sealed class WebhookStore(Database database)
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Skipped = "skipped";
    public const string Dropped = "dropped";

    private const string Columns =
        "webhook_id AS WebhookId, create_request_id AS CreateRequestId, url AS Url, event_types AS EventTypes, office AS Office, " +
        "created_by AS CreatedBy, secret_protected AS SecretProtected, created_at AS CreatedAt, disabled AS Disabled";

    private const string DeliveryColumns =
        "delivery_id AS DeliveryId, webhook_id AS WebhookId, event_id AS EventId, event_type AS EventType, programme_id AS ProgrammeId, " +
        "body AS Body, status AS Status, created_at AS CreatedAt, delivered_at AS DeliveredAt";

    /// <summary>An office's webhooks, newest first.</summary>
    public static readonly Keyset<WebhookRow> List = new Keyset<WebhookRow>("notifications.webhooks")
        .Descending("created_at", r => r.CreatedAt).Descending("webhook_id", r => r.WebhookId);

    /// <summary>A webhook's deliveries, newest first.</summary>
    public static readonly Keyset<WebhookDeliveryRow> Deliveries = new Keyset<WebhookDeliveryRow>("notifications.webhook-deliveries")
        .Descending("created_at", r => r.CreatedAt).Descending("delivery_id", r => r.DeliveryId);

    /// <summary>Inserts the webhook unless its create request_id was used before; true when inserted.</summary>
    public static async Task<bool> TryInsertAsync(DbSession session, WebhookRow row) =>
        await session.ExecuteAsync(
            "INSERT INTO webhooks (webhook_id, create_request_id, url, event_types, office, created_by, secret_protected, created_at, disabled) " +
            "VALUES (@WebhookId, @CreateRequestId, @Url, @EventTypes, @Office, @CreatedBy, @SecretProtected, @CreatedAt, 0) " +
            "ON CONFLICT (create_request_id) DO NOTHING", row) == 1;

    public static Task<WebhookRow?> FindByRequestAsync(DbSession session, string requestId) =>
        session.QuerySingleOrDefaultAsync<WebhookRow>($"SELECT {Columns} FROM webhooks WHERE create_request_id = @requestId", new { requestId });

    public static Task<WebhookRow?> FindAsync(DbSession session, string webhookId) =>
        session.QuerySingleOrDefaultAsync<WebhookRow>($"SELECT {Columns} FROM webhooks WHERE webhook_id = @webhookId", new { webhookId });

    public Task<WebhookRow?> FindAsync(string webhookId, CancellationToken cancellationToken) =>
        database.ReadAsync(s => FindAsync(s, webhookId), cancellationToken);

    /// <summary>Disables a webhook and drops its pending deliveries.</summary>
    public static async Task DisableAsync(DbSession session, string webhookId)
    {
        await session.ExecuteAsync("UPDATE webhooks SET disabled = 1 WHERE webhook_id = @webhookId", new { webhookId });
        await session.ExecuteAsync("UPDATE webhook_deliveries SET status = @dropped WHERE webhook_id = @webhookId AND status = @pending",
            new { webhookId, dropped = Dropped, pending = Pending });
    }

    /// <summary>The active webhooks subscribed to <paramref name="kind"/> (any office: the office is checked when delivering).</summary>
    public static async Task<IReadOnlyList<WebhookRow>> SubscribedAsync(DbSession session, int kind) =>
        [.. (await session.QueryAsync<WebhookRow>($"SELECT {Columns} FROM webhooks WHERE disabled = 0"))
            .Where(w => w.Kinds.Contains(kind))];

    /// <summary>Inserts a delivery unless this event was given to this webhook before; true when inserted.</summary>
    public static async Task<bool> TryInsertDeliveryAsync(DbSession session, WebhookDeliveryRow row) =>
        await session.ExecuteAsync(
            "INSERT INTO webhook_deliveries (delivery_id, webhook_id, event_id, event_type, programme_id, body, status, created_at) " +
            "VALUES (@DeliveryId, @WebhookId, @EventId, @EventType, @ProgrammeId, @Body, @Status, @CreatedAt) " +
            "ON CONFLICT (event_id, webhook_id) DO NOTHING", row) == 1;

    public Task<WebhookDeliveryRow?> FindDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleOrDefaultAsync<WebhookDeliveryRow>(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE delivery_id = @deliveryId", new { deliveryId }), cancellationToken);

    public Task AddAttemptAsync(string deliveryId, long at, int httpStatus, string detail) => database.ExecuteAsync(
        "INSERT INTO webhook_attempts (delivery_id, attempted_at, http_status, detail) VALUES (@deliveryId, @at, @httpStatus, @detail)",
        new { deliveryId, at, httpStatus, detail = detail.Length > 500 ? detail[..500] : detail }, CancellationToken.None);

    /// <summary>Finishes a pending delivery (delivered, skipped); a dropped one stays dropped.</summary>
    public Task FinishAsync(string deliveryId, string status, long? deliveredAt) => database.ExecuteAsync(
        "UPDATE webhook_deliveries SET status = @status, delivered_at = @deliveredAt WHERE delivery_id = @deliveryId AND status = @pending",
        new { deliveryId, status, deliveredAt, pending = Pending }, CancellationToken.None);

    public async Task<(List<WebhookRow> Rows, string NextPageToken)> ListAsync(IReadOnlyList<string> offices, KeysetPage page, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(s => s.QueryAsync<WebhookRow>(
            $"SELECT {Columns} FROM webhooks WHERE office {s.Dialect.InList("offices")} AND {page.After} {page.OrderAndLimit}",
            page.With(new { offices = offices.ToArray() })), cancellationToken);
        return List.Cut(rows, page);
    }

    public async Task<(List<WebhookDeliveryRow> Rows, string NextPageToken)> ListDeliveriesAsync(string webhookId, KeysetPage page, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(s => s.QueryAsync<WebhookDeliveryRow>(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE webhook_id = @webhookId AND {page.After} {page.OrderAndLimit}",
            page.With(new { webhookId })), cancellationToken);
        return Deliveries.Cut(rows, page);
    }

    public async Task<ILookup<string, WebhookAttemptRow>> AttemptsOfAsync(IReadOnlyCollection<string> deliveryIds, CancellationToken cancellationToken)
    {
        if (deliveryIds.Count == 0)
        {
            return Array.Empty<WebhookAttemptRow>().ToLookup(a => a.DeliveryId);
        }
        var ids = deliveryIds.ToArray();
        var rows = await database.ReadAsync(s => s.QueryAsync<WebhookAttemptRow>(
            "SELECT delivery_id AS DeliveryId, attempted_at AS AttemptedAt, http_status AS HttpStatus, detail AS Detail FROM webhook_attempts " +
            $"WHERE delivery_id {s.Dialect.InList("ids")} ORDER BY attempted_at", new { ids }), cancellationToken);
        return rows.ToLookup(a => a.DeliveryId);
    }
}
