using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.Api;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.Domain;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;

namespace Bimtek.Distribution.Application;

/// <summary>
/// Recipients (the agencies goods are handed over to) and their users. A new recipient is stamped with the creator's
/// office, or a district its province names (<see cref="Access.OfficeOfNewRecipient"/>); its users
/// (<see cref="RecipientUsers"/>) get accounts in identity through the outbox in the same transaction
/// (<see cref="RecipientAccounts"/>). Another office's recipient is answered as an unknown id.
/// </summary>
internal sealed class Recipients(IdempotentExecutor idempotency, Database database, OfficeScope officeScope, RecipientAccounts accounts,
    TimeProvider time)
{
    public Task<TResponse> CreateAsync<TResponse>(Caller caller, CreateRecipientRequest request, Func<RecipientRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        var office = Access.OfficeOfNewRecipient(caller, officeScope, request.Office);
        return idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var row = new RecipientRow
            {
                RecipientId = Guid.CreateVersion7().ToString(),
                Kind = (long)request.Kind,
                Name = request.Name.Trim(),
                District = request.District.Trim(),
                ContactPerson = request.ContactPerson.Trim(),
                Phone = request.Phone.Trim(),
                CreatedAt = time.NowMs(),
                UserSubjects = RecipientUsers.Normalise(request.UserSubjects),
                Office = office,
            };
            await RecipientStore.InsertAsync(session, row);
            await accounts.RecipientCreatedAsync(session, row);
            return respond(row);
        }, cancellationToken);
    }

    /// <summary>One recipient: PERMISSION_DENIED unless the caller may read its records, NOT_FOUND when unknown or another office's.</summary>
    public Task<RecipientRow> GetAsync(Caller caller, string recipientId, CancellationToken cancellationToken) =>
        database.ReadAsync(async db =>
        {
            await Access.EnsureMayReadAsync(db, caller, recipientId);
            return await Lookups.RequireRecipientAsync(db, caller, officeScope, recipientId);
        }, cancellationToken);

    /// <summary>A page of recipients by name; <paramref name="readScope"/> (<see cref="Access.ReadScope"/>) limits them to the subject's agencies.</summary>
    public async Task<(List<RecipientRow> Rows, string NextPageToken)> ListAsync(Caller caller, string? readScope, ListRecipientsRequest request,
        KeysetPage page, CancellationToken cancellationToken) =>
        RecipientStore.Listing.Cut(await database.ReadAsync(
            db => RecipientStore.ListAsync(db, (long)request.Kind, request.District, readScope, page, Access.VisibleOffices(caller, officeScope)),
            cancellationToken), page);
}
