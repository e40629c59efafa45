using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bimtek.Production.Tests.Fakes;
using Bimtek.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static Bimtek.Production.Tests.Scenario;

namespace Bimtek.Production.Tests;

/// <summary>
/// The harness the photo and lesson video endpoint tests share: a production host whose media store (and upload spool)
/// are scratch folders, HTTP clients acting as a person, an upload to the <paramref name="collection"/> route
/// (<c>/api/v1/programmes/{id}/photos</c> or <c>…/videos</c>), the suite's error body and the rows stored.
/// </summary>
public abstract class MediaEndpointTestBase(string collection)
{
    /// <summary>Production with the disk store in <paramref name="media"/>, uploads spooled in <paramref name="spool"/>, and <paramref name="extra"/> settings.</summary>
    internal static ServiceHost<Program> Start(TestDatabase db, FakeSuite fakes, Folder media, Folder? spool = null,
        Dictionary<string, string?>? extra = null)
    {
        var configuration = new Dictionary<string, string?> { ["Photos:Directory"] = media.Path };
        if (spool is not null)
        {
            configuration["Videos:SpoolDirectory"] = spool.Path;
        }
        foreach (var (key, value) in extra ?? [])
        {
            configuration[key] = value;
        }
        return StartProduction(db, fakes, configuration: configuration);
    }

    internal static HttpClient Http(TestHost host, Person person, string role) => host.CreateHttpClient(TestTokens.Mint(person.Subject, role));

    /// <summary>Uploads <paramref name="body"/> as it is (no Content-Type when <paramref name="contentType"/> is null).</summary>
    internal Task<HttpResponseMessage> UploadAsync(HttpClient client, string programmeId, string requestId, byte[] body, string? contentType,
        string? traineeId = null)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        var query = $"?requestId={requestId}" + (traineeId is null ? "" : $"&traineeId={traineeId}");
        return client.PostAsync($"/api/v1/programmes/{programmeId}/{collection}{query}", content);
    }

    /// <summary>The response is the suite's JSON error with <paramref name="status"/>, <paramref name="reason"/> and (when given) a message containing <paramref name="message"/>.</summary>
    internal static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string reason, string? message = null)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{response.StatusCode} instead of {status}: {body}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var error = JsonDocument.Parse(body).RootElement;
            Assert.Contains(error.GetProperty("details").EnumerateArray(), d => d.TryGetProperty("reason", out var r) && r.GetString() == reason);
            if (message is not null)
            {
                Assert.Contains(message, error.GetProperty("message").GetString());
            }
        }
    }

    /// <summary>The rows of <paramref name="table"/> (photos, lesson_videos) in the host's database.</summary>
    internal static async Task<long> CountRowsAsync(TestHost host, string table)
    {
        var database = host.Services.GetRequiredService<Bimtek.Data.Persistence.Database>();
        await using var connection = await database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>A scratch folder under the temporary folder, removed at the end.</summary>
internal sealed class Folder(string name) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bimtek-tests", $"{name}-{Guid.NewGuid():N}");

    public string[] Files() => Directory.Exists(Path) ? Directory.GetFiles(Path, "*", SearchOption.AllDirectories) : [];

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
