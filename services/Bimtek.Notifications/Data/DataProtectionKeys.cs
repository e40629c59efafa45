using System.Xml.Linq;
using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Time;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Bimtek.Notifications.Data;

/// <summary>
/// The data-protection key ring in this service's database (<c>data_protection_keys</c>), so every instance decrypts
/// what another encrypted. Data protection reads it rarely (at start and when keys roll) and synchronously.
/// </summary>
internal sealed class DataProtectionKeys(Database database, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        Task.Run(async () => await database.ReadAsync(s => s.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY created_at"), CancellationToken.None))
            .GetAwaiter().GetResult()
            .Select(XElement.Parse).ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        Task.Run(async () => await database.ExecuteAsync(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @now) ON CONFLICT (name) DO NOTHING",
            new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = time.NowMs() },
            CancellationToken.None)).GetAwaiter().GetResult();
}
