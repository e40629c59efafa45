using System.Globalization;
using Bimtek.Scenarios;
using Bimtek.Scenarios.Rest;
using Bimtek.Scenarios.Scenarios;
using Bimtek.Suite;
using Bimtek.Testing.Hosting;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Bimtek.EndToEnd.Tests;

/// <summary>
/// The ppe-2020 scenario on the real suite (embedded SQLite default) with notifications, whose clock alone is shifted
/// (<c>Notifications:ClockOffset</c>): the scenario runs at 22:05 WITA, in quiet hours, so every message waits for
/// 07:00; notifications is then restarted at 07:00 the next morning, killed (-9) while it sends, and started again.
/// Exactly the expected messages exist and each went out once: which people, which channel, which language; nothing
/// before 07:00; nothing more when every event is delivered again.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NotificationsEndToEndTests(ITestOutputHelper output)
{
    private static readonly TimeZoneInfo _wita = TimeZoneInfo.FindSystemTimeZoneById("Asia/Makassar");

    private static readonly string[] _senders = ["participants", "materials", "production", "distribution"];

    [Fact]
    public async Task Ppe_2020_tells_exactly_the_expected_people_once_nothing_in_quiet_hours_nor_twice_after_redelivery_or_a_kill_mid_send()
    {
        var log = new TestOutputWriter(output);
        // Tonight 22:05 WITA (quiet hours, 21:00–07:00), early enough in the hour for the PPE batch to stay in one hour.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, _wita).DateTime);
        var night = At(today, 22, 5);
        var morning = At(today.AddDays(1), 7, 0);
        var startLog = new StringWriter();
        await using var suite = await SuiteProcesses.StartAsync(DatabaseKind.Sqlite, startLog, new SuiteOptions
        {
            ServiceEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["notifications"] = new Dictionary<string, string>
                {
                    ["Notifications__ClockOffset"] = Offset(night),
                    // One message a second: the kill below lands while it sends.
                    ["Notifications__MessagesPerSecondPerChannel"] = "1",
                },
            },
        });
        output.WriteLine(startLog.ToString());

        ScenarioSummary summary;
        using (var http = suite.CreateGatewayClient())
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4)))
        {
            summary = await new ScenarioRunner(http, log, new ScenarioOptions(TimeSpan.FromSeconds(60))).RunAsync(Ppe2020.Name, timeout.Token);
        }
        string healthExpert;
        using (var http = suite.CreateGatewayClient())
        {
            var programme = await new SuiteApi(new RestClient(http, log)).GetProgrammeAsync(summary.ProgrammeId, CancellationToken.None);
            healthExpert = programme.Array("staff").Single(s => s.Str("role") == "STAFF_ROLE_HEALTH_EXPERT").Str("personId");
        }

        // What the seed programme tells, and to whom: each trainee of their kit, the laggard of day 1, the health
        // expert once for the hour's 21 inspections waiting for sign-off, the health centre of its handover.
        var expected = summary.TraineeIds.Select(t => (t, "kit_dispatched"))
            .Append((summary.TraineeIds[Ppe2020.Laggard], "behind_schedule"))
            .Append((healthExpert, "ppe_sign_off_batch"))
            .Append((summary.RecipientId, "handover_created"))
            .Order().ToList();

        await EventuallyAsync(suite, async () => await PendingEventsAsync(suite) == 0, "the senders' events delivered to notifications");
        var queued = await MessagesAsync(suite);
        Assert.Equal(expected, queued.Select(m => (m.Subject, m.Template)).Order().ToList());
        // Nothing in quiet hours: every message waits for 07:00 WITA, none was tried, the dev outbox is empty.
        Assert.All(queued, m => Assert.Equal((1L, morning.ToUnixTimeMilliseconds(), 0L), (m.Status, m.NotBefore, m.Attempts)));
        Assert.Equal(0L, await ScalarAsync(suite, "SELECT COUNT(*) FROM delivery_attempts"));
        Assert.DoesNotContain("<tr><td>", await DevOutboxAsync(suite), StringComparison.Ordinal);
        Assert.Equal(21L, queued.Single(m => m.Template == "ppe_sign_off_batch").ItemCount);
        Assert.All(queued.Where(m => m.Template == "kit_dispatched"), m => Assert.StartsWith("Bimtek: kit bahan", m.Text, StringComparison.Ordinal));
        // Contacts followed people from participants (nobody set one by hand): the trainees' phones in E.164, the staff.
        var trainees = string.Join(", ", summary.TraineeIds.Select(t => $"'{t}'"));
        Assert.Equal(7L, await ScalarAsync(suite, $"SELECT COUNT(*) FROM contacts WHERE subject IN ({trainees}) AND phone LIKE '+62812%' AND minor = 0"));
        Assert.Equal(1L, await ScalarAsync(suite, $"SELECT COUNT(*) FROM contacts WHERE subject = '{healthExpert}' AND name LIKE 'dr. Noor Aisyah%'"));

        // The next morning: notifications starts at 07:00 WITA, is killed while sending, and starts again.
        suite.Restart("notifications", new Dictionary<string, string> { ["Notifications__ClockOffset"] = Offset(morning) });
        await EventuallyAsync(suite, async () => await ScalarAsync(suite, "SELECT COUNT(*) FROM messages WHERE status = 2") >= 2, "the first messages sent");
        suite.Kill("notifications");
        var sentBeforeKill = await ScalarAsync(suite, "SELECT COUNT(*) FROM messages WHERE status = 2");
        output.WriteLine($"killed notifications with {sentBeforeKill} of {expected.Count} messages sent");
        Assert.True(sentBeforeKill < expected.Count, "the kill should land while messages are still being sent");
        suite.Restart("notifications");
        await suite.WaitReadyAsync(TimeSpan.FromSeconds(180), log, "notifications");
        await EventuallyAsync(suite, async () => await ScalarAsync(suite, "SELECT COUNT(*) FROM messages WHERE status = 2") == expected.Count,
            "every message sent after the restart", TimeSpan.FromSeconds(150));

        // Every event delivered again by its sender (as after lost acknowledgements): nothing new, nothing sent twice.
        var redelivered = 0;
        foreach (var sender in _senders)
        {
            redelivered += await ExecuteAsync(suite, sender,
                "UPDATE outbox_messages SET status = 'pending', next_attempt_at = 0, delivered_at = NULL WHERE destination = 'notifications.event' AND status = 'delivered'");
        }
        Assert.True(redelivered >= expected.Count, $"{redelivered} events delivered again");
        await EventuallyAsync(suite, async () => await PendingEventsAsync(suite) == 0, "the events delivered again");

        var sent = await MessagesAsync(suite);
        Assert.Equal(expected, sent.Select(m => (m.Subject, m.Template)).Order().ToList());
        foreach (var message in sent)
        {
            // Sent by the dev outbox channel, in Indonesian (nobody chose English), not before 07:00 WITA.
            Assert.Equal((2L, 5L, 1L), (message.Status, message.Channel, message.Language));
            Assert.True(message.SentAt >= morning.ToUnixTimeMilliseconds(), $"{message.Template} to {message.Subject} sent before 07:00 WITA");
            Assert.Equal(1L, await ScalarAsync(suite, $"SELECT COUNT(*) FROM delivery_attempts WHERE message_id = '{message.MessageId}' AND outcome = 'sent'"));
        }
        output.WriteLine(string.Join(Environment.NewLine, sent.Select(m => $"{m.Template} → {m.Subject}: {m.Text}")));
    }

    private static DateTimeOffset At(DateOnly day, int hour, int minute)
    {
        var local = day.ToDateTime(new TimeOnly(hour, minute));
        return new DateTimeOffset(local, _wita.GetUtcOffset(local));
    }

    /// <summary>The offset that puts notifications' clock at <paramref name="instant"/> now.</summary>
    private static string Offset(DateTimeOffset instant) => (instant - DateTimeOffset.UtcNow).ToString("c", CultureInfo.InvariantCulture);

    private sealed record MessageRow(string MessageId, string Subject, string Template, long Language, string Text, long Status, long Channel,
        long Attempts, long NotBefore, long? SentAt, long ItemCount);

    private static async Task<List<MessageRow>> MessagesAsync(SuiteProcesses suite)
    {
        await using var connection = await OpenAsync(suite, "notifications");
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_id, subject, template, language, text, status, channel, attempts, not_before, sent_at, item_count FROM messages";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<MessageRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new MessageRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.IsDBNull(9) ? null : reader.GetInt64(9), reader.GetInt64(10)));
        }
        return rows;
    }

    private static async Task<long> ScalarAsync(SuiteProcesses suite, string sql, string service = "notifications")
    {
        await using var connection = await OpenAsync(suite, service);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<int> ExecuteAsync(SuiteProcesses suite, string service, string sql)
    {
        await using var connection = await OpenAsync(suite, service);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>The senders' notification events not yet acknowledged by notifications.</summary>
    private static async Task<long> PendingEventsAsync(SuiteProcesses suite)
    {
        long pending = 0;
        foreach (var sender in _senders)
        {
            pending += await ScalarAsync(suite, "SELECT COUNT(*) FROM outbox_messages WHERE destination = 'notifications.event' AND status <> 'delivered'", sender);
        }
        return pending;
    }

    /// <summary>A service's embedded database, shared with the running process (it waits for the process's locks).</summary>
    private static async Task<SqliteConnection> OpenAsync(SuiteProcesses suite, string service)
    {
        var file = Path.Combine(suite.RootDirectory, "data", service, service + ".db");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<string> DevOutboxAsync(SuiteProcesses suite)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync(new Uri(suite.Process("notifications").RestAddress, "/dev/outbox"));
    }

    private static async Task EventuallyAsync(SuiteProcesses suite, Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Not within {(timeout ?? TimeSpan.FromSeconds(120)).TotalSeconds:0} s: {what}.{Environment.NewLine}{suite.DescribeProcesses()}");
            }
            await Task.Delay(250);
        }
    }
}
