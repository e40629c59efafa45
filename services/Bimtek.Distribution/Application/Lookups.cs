using Bimtek.Data.Persistence;
using Bimtek.Distribution.Api;
using Bimtek.Distribution.Data;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Distribution.Application;

/// <summary>The reads a use case needs to find before it acts: NOT_FOUND when missing.</summary>
internal static class Lookups
{
    /// <summary>The recipient, when the caller's office covers it: another office's recipient is answered as an unknown id.</summary>
    public static async Task<RecipientRow> RequireRecipientAsync(DbSession db, Caller caller, OfficeScope scope, string recipientId) =>
        await RecipientStore.GetAsync(db, recipientId) is { } recipient && Access.CoversRecipient(caller, scope, recipient)
            ? recipient
            : throw new NotFoundException("Recipient", recipientId);
}
