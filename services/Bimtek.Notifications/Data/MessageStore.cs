using System.Text.Json;
using Bimtek.Data.Persistence;
using Bimtek.Notifications.Domain;

namespace Bimtek.Notifications.Data;

/// <summary>A message row.</summary>
public sealed class MessageRow
{
    public string MessageId { get; set; } = "";
    public string DedupeKey { get; set; } = "";
    public string Subject { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string Template { get; set; } = "";
    public long Language { get; set; }
    public string Arguments { get; set; } = "{}";
    public long ItemCount { get; set; }
    public string Text { get; set; } = "";
    public long Status { get; set; }
    public long Channel { get; set; }
    public long Attempts { get; set; }
    public string LastError { get; set; } = "";
    public string ProviderMessageId { get; set; } = "";
    public long CreatedAt { get; set; }
    public long NotBefore { get; set; }
    public long? SentAt { get; set; }
    public long Resends { get; set; }

    /// <summary>When the provider call now in flight was claimed (null: none in flight).</summary>
    public long? InFlightSince { get; set; }

    public long InFlightChannel { get; set; }

    /// <summary>When the message became UNKNOWN (its sender died mid-call).</summary>
    public long? UnknownSince { get; set; }

    public MessageLanguage MessageLanguage => Language == 2 ? MessageLanguage.English : MessageLanguage.Indonesian;

    public MessageStatus MessageStatus => (MessageStatus)Status;

    public IReadOnlyDictionary<string, string> ArgumentMap =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(Arguments) ?? [];
}

/// <summary>Messages, their batch items and delivery attempts.</summary>
public sealed class MessageStore(Database database)
{
    private const string Columns =
        "message_id AS MessageId, dedupe_key AS DedupeKey, subject AS Subject, programme_id AS ProgrammeId, template AS Template, " +
        "language AS Language, arguments AS Arguments, item_count AS ItemCount, text AS Text, status AS Status, channel AS Channel, " +
        "attempts AS Attempts, last_error AS LastError, provider_message_id AS ProviderMessageId, created_at AS CreatedAt, " +
        "not_before AS NotBefore, sent_at AS SentAt, resends AS Resends, in_flight_since AS InFlightSince, in_flight_channel AS InFlightChannel, " +
        "unknown_since AS UnknownSince";

    /// <summary>The outcome of an attempt whose provider call has started and not yet been recorded.</summary>
    public const string InFlight = "in_flight";

    /// <summary>The outcome of an attempt whose sender died during the provider call.</summary>
    public const string OutcomeUnknown = "unknown";

    /// <summary>A person's messages, newest first.</summary>
    public static readonly Keyset<MessageRow> PersonList = new Keyset<MessageRow>("notifications.messages")
        .Descending("created_at", r => r.CreatedAt).Descending("message_id", r => r.MessageId);

    /// <summary>A programme's messages that did not reach their person, newest first.</summary>
    public static readonly Keyset<MessageRow> FailedList = new Keyset<MessageRow>("notifications.failed-deliveries")
        .Descending("created_at", r => r.CreatedAt).Descending("message_id", r => r.MessageId);

    /// <summary>Inserts the message unless its fact was queued before (the unique dedupe key decides); true when inserted.</summary>
    public static async Task<bool> TryInsertAsync(DbSession session, MessageRow row) =>
        await session.ExecuteAsync(
            "INSERT INTO messages (message_id, dedupe_key, subject, programme_id, template, language, arguments, item_count, text, status, " +
            "created_at, not_before) VALUES (@MessageId, @DedupeKey, @Subject, @ProgrammeId, @Template, @Language, @Arguments, @ItemCount, @Text, " +
            "@Status, @CreatedAt, @NotBefore) ON CONFLICT (dedupe_key) DO NOTHING",
            row) == 1;

    /// <summary>Adds an item to a batch; true when it was not in it yet.</summary>
    public static async Task<bool> TryAddBatchItemAsync(DbSession session, string dedupeKey, string itemId) =>
        await session.ExecuteAsync(
            "INSERT INTO batch_items (dedupe_key, item_id) VALUES (@dedupeKey, @itemId) ON CONFLICT (dedupe_key, item_id) DO NOTHING",
            new { dedupeKey, itemId }) == 1;

    public static Task<MessageRow?> FindByKeyAsync(DbSession session, string dedupeKey) =>
        session.QuerySingleOrDefaultAsync<MessageRow>($"SELECT {Columns} FROM messages WHERE dedupe_key = @dedupeKey{session.ForUpdate}", new { dedupeKey });

    public static Task<MessageRow?> FindAsync(DbSession session, string messageId) =>
        session.QuerySingleOrDefaultAsync<MessageRow>($"SELECT {Columns} FROM messages WHERE message_id = @messageId{session.ForUpdate}", new { messageId });

    public Task<MessageRow?> ReadAsync(string messageId, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleOrDefaultAsync<MessageRow>(
            $"SELECT {Columns} FROM messages WHERE message_id = @messageId", new { messageId }), cancellationToken);

    public static Task SetBatchCountAsync(DbSession session, string messageId, int count, string text) => session.ExecuteAsync(
        "UPDATE messages SET item_count = @count, text = @text WHERE message_id = @messageId", new { messageId, count, text });

    /// <summary>Records the outcome of one send: the status, the channel, the provider's id, the (possibly redacted) text.</summary>
    public static Task RecordAsync(DbSession session, string messageId, MessageStatus status, ChannelKind channel, int attempts, string lastError,
        string providerMessageId, long? sentAt, string text) => session.ExecuteAsync(
        "UPDATE messages SET status = @status, channel = @channel, attempts = attempts + @attempts, last_error = @lastError, " +
        "provider_message_id = @providerMessageId, sent_at = @sentAt, text = @text WHERE message_id = @messageId",
        new { messageId, status = (int)status, channel = (int)channel, attempts, lastError, providerMessageId, sentAt, text });

    /// <summary>
    /// Before a provider call, in one transaction: claims the message for the call (only a QUEUED or FAILED message with
    /// no call in flight) and records the attempt as in flight. False when another sender holds it or it is no longer
    /// sendable. The claim is what keeps a crash between the provider's acceptance and our commit from sending twice.
    /// </summary>
    public static async Task<bool> TryClaimAsync(DbSession session, string messageId, ChannelKind channel, long now)
    {
        var claimed = await session.ExecuteAsync(
            "UPDATE messages SET in_flight_since = @now, in_flight_channel = @channel " +
            "WHERE message_id = @messageId AND in_flight_since IS NULL AND status IN (@queued, @failed)",
            new { messageId, now, channel = (int)channel, queued = (int)MessageStatus.Queued, failed = (int)MessageStatus.Failed });
        if (claimed == 0)
        {
            return false;
        }
        await AddAttemptAsync(session, messageId, now, channel, InFlight, "");
        return true;
    }

    /// <summary>
    /// After the provider call, in the transaction that records its outcome: the claimed attempt gets its outcome (also
    /// when a later sender judged it unknown meanwhile: what happened wins) and the claim is released.
    /// </summary>
    public static async Task SettleAttemptAsync(DbSession session, string messageId, long claimedAt, string outcome, string detail)
    {
        await session.ExecuteAsync(
            "UPDATE delivery_attempts SET outcome = @outcome, detail = @detail " +
            "WHERE message_id = @messageId AND attempted_at = @claimedAt AND outcome IN (@inFlight, @unknown)",
            new { messageId, claimedAt, outcome, detail = detail.Length > 500 ? detail[..500] : detail, inFlight = InFlight, unknown = OutcomeUnknown });
        await session.ExecuteAsync(
            "UPDATE messages SET in_flight_since = NULL, in_flight_channel = 0 WHERE message_id = @messageId AND in_flight_since = @claimedAt",
            new { messageId, claimedAt });
    }

    /// <summary>
    /// A claim older than the send lease was left by a sender that died mid-call: the message becomes UNKNOWN (not
    /// sent again) and the attempt says so. True when this call made the change.
    /// </summary>
    public static async Task<bool> MarkUnknownAsync(DbSession session, string messageId, long claimedAt, long now, string error)
    {
        var changed = await session.ExecuteAsync(
            "UPDATE messages SET status = @unknown, channel = in_flight_channel, in_flight_since = NULL, in_flight_channel = 0, " +
            "unknown_since = @now, last_error = @error WHERE message_id = @messageId AND in_flight_since = @claimedAt",
            new { messageId, claimedAt, now, error, unknown = (int)MessageStatus.Unknown });
        if (changed == 0)
        {
            return false;
        }
        await session.ExecuteAsync(
            "UPDATE delivery_attempts SET outcome = @outcomeUnknown, detail = @error WHERE message_id = @messageId AND attempted_at = @claimedAt AND outcome = @inFlight",
            new { messageId, claimedAt, error, outcomeUnknown = OutcomeUnknown, inFlight = InFlight });
        return true;
    }

    /// <summary>An UNKNOWN message that no delivery report settled within the window turns FAILED (an operator may resend it).</summary>
    public static Task<int> FailUnknownAsync(DbSession session, string messageId, string error) => session.ExecuteAsync(
        "UPDATE messages SET status = @failed, last_error = @error WHERE message_id = @messageId AND status = @unknown",
        new { messageId, error, failed = (int)MessageStatus.Failed, unknown = (int)MessageStatus.Unknown });

    /// <summary>
    /// A provider's report that names the message by our id (WhatsApp's <c>biz_opaque_callback_data</c>, an e-mail's
    /// Message-ID) settles an UNKNOWN message whose provider id was never recorded (its sender died before the answer).
    /// </summary>
    public static Task<int> SettleUnknownAsync(DbSession session, string messageId, string providerMessageId, MessageStatus status, string detail) =>
        session.ExecuteAsync(
            "UPDATE messages SET status = @status, provider_message_id = @providerMessageId, " +
            "last_error = CASE WHEN @status = @failed THEN @detail ELSE '' END, " +
            "sent_at = CASE WHEN @status = @failed THEN sent_at ELSE COALESCE(sent_at, unknown_since) END " +
            "WHERE message_id = @messageId AND status = @unknown",
            new { messageId, providerMessageId, status = (int)status, detail, failed = (int)MessageStatus.Failed, unknown = (int)MessageStatus.Unknown });

    public static Task AddAttemptAsync(DbSession session, string messageId, long at, ChannelKind channel, string outcome, string detail) => session.ExecuteAsync(
        "INSERT INTO delivery_attempts (message_id, attempted_at, channel, outcome, detail) VALUES (@messageId, @at, @channel, @outcome, @detail)",
        new { messageId, at, channel = (int)channel, outcome, detail = detail.Length > 500 ? detail[..500] : detail });

    /// <summary>
    /// A provider's status callback. Statuses only move forward (sent → delivered → read); a failure reported by the
    /// provider after acceptance marks the message failed. Returns how many messages changed.
    /// </summary>
    public static Task<int> ApplyProviderStatusAsync(DbSession session, string providerMessageId, MessageStatus status, string detail) => session.ExecuteAsync(
        "UPDATE messages SET status = @status, last_error = CASE WHEN @status = @failed THEN @detail ELSE last_error END " +
        "WHERE provider_message_id = @providerMessageId AND provider_message_id <> '' AND " +
        "(status < @status OR (@status = @failed AND status IN (@sent, @delivered)) OR status = @unknown)",
        new
        {
            providerMessageId,
            status = (int)status,
            detail,
            failed = (int)MessageStatus.Failed,
            sent = (int)MessageStatus.Sent,
            delivered = (int)MessageStatus.Delivered,
            unknown = (int)MessageStatus.Unknown,
        });

    /// <summary>One page of a person's messages (<see cref="PersonList"/>).</summary>
    public async Task<(List<MessageRow> Rows, string NextPageToken)> ListAsync(string subject, KeysetPage page, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(s => s.QueryAsync<MessageRow>(
            $"SELECT {Columns} FROM messages WHERE subject = @subject AND {page.After} {page.OrderAndLimit}",
            page.With(new { subject })), cancellationToken);
        return PersonList.Cut(rows, page);
    }

    /// <summary>One page of a programme's failed, suppressed and unknown messages (<see cref="FailedList"/>).</summary>
    public async Task<(List<MessageRow> Rows, string NextPageToken)> ListFailedAsync(string programmeId, KeysetPage page, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(s => s.QueryAsync<MessageRow>(
            $"SELECT {Columns} FROM messages WHERE programme_id = @programmeId AND status IN (@failed, @suppressed, @unknown) AND {page.After} {page.OrderAndLimit}",
            page.With(new { programmeId, failed = (int)MessageStatus.Failed, suppressed = (int)MessageStatus.Suppressed, unknown = (int)MessageStatus.Unknown })), cancellationToken);
        return FailedList.Cut(rows, page);
    }

    /// <summary>The delivery attempts of several messages, oldest first per message.</summary>
    public async Task<ILookup<string, AttemptRow>> AttemptsOfAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return Array.Empty<AttemptRow>().ToLookup(a => a.MessageId);
        }
        var ids = messageIds.ToArray();
        var rows = await database.ReadAsync(s => s.QueryAsync<AttemptRow>(
            "SELECT message_id AS MessageId, attempted_at AS AttemptedAt, channel AS Channel, outcome AS Outcome, detail AS Detail " +
            $"FROM delivery_attempts WHERE message_id {s.Dialect.InList("ids")} ORDER BY attempted_at",
            new { ids }), cancellationToken);
        return rows.ToLookup(a => a.MessageId);
    }

    /// <summary>The delivery attempts of one message, oldest first, inside a transaction.</summary>
    public static async Task<IReadOnlyList<AttemptRow>> AttemptsOfAsync(DbSession session, string messageId) =>
        [.. await session.QueryAsync<AttemptRow>(
            "SELECT message_id AS MessageId, attempted_at AS AttemptedAt, channel AS Channel, outcome AS Outcome, detail AS Detail " +
            "FROM delivery_attempts WHERE message_id = @messageId ORDER BY attempted_at", new { messageId })];

    /// <summary>
    /// Marks a message for sending again (status QUEUED, error cleared, one more resend, due now) and answers the
    /// outbox rows that would send it: parked ones are woken (due now, attempts from zero); when one is still
    /// pending (a retry waiting, or a send in flight) no other is needed. True when the caller must write a new send row. The message row is updated first, so a
    /// concurrent send of the same message (which also writes that row) is serialised with this.
    /// </summary>
    public static async Task<bool> PrepareResendAsync(DbSession session, string messageId, string destination, byte[] sendPayload, long now)
    {
        await session.ExecuteAsync(
            "UPDATE messages SET status = @queued, last_error = '', resends = resends + 1, not_before = @now WHERE message_id = @messageId",
            new { messageId, queued = (int)MessageStatus.Queued, now });
        var woken = await session.ExecuteAsync(
            "UPDATE outbox_messages SET status = 'pending', attempts = 0, next_attempt_at = @now, last_error = NULL " +
            "WHERE destination = @destination AND status = 'parked' AND payload = @sendPayload",
            new { destination, sendPayload, now });
        var pending = await session.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM outbox_messages WHERE destination = @destination AND status = 'pending' AND payload = @sendPayload",
            new { destination, sendPayload });
        return woken == 0 && pending == 0;
    }

    /// <summary>The attempts made for a message, oldest first (for tests and the dev outbox).</summary>
    public async Task<IReadOnlyList<(ChannelKind Channel, string Outcome, string Detail)>> AttemptsAsync(string messageId, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(s => s.QueryAsync<AttemptRow>(
            "SELECT channel AS Channel, outcome AS Outcome, detail AS Detail FROM delivery_attempts WHERE message_id = @messageId ORDER BY attempted_at",
            new { messageId }), cancellationToken);
        return rows.Select(r => ((ChannelKind)r.Channel, r.Outcome, r.Detail)).ToList();
    }

    public sealed class AttemptRow
    {
        public string MessageId { get; set; } = "";
        public long AttemptedAt { get; set; }
        public long Channel { get; set; }
        public string Outcome { get; set; } = "";
        public string Detail { get; set; } = "";
    }
}
