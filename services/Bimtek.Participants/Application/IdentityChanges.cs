using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Identity.V1;
using Bimtek.Participants.Data;
using Bimtek.Participants.Hosting;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Time;
using Microsoft.Extensions.Options;

namespace Bimtek.Participants.Application;

/// <summary>
/// Accounts follow people: registering, enrolling and assigning a person enables their account in the identity
/// service; withdrawing a trainee from their last programme, or unassigning staff from their last one, disables
/// it. Written into the outbox in the caller's transaction (only with <c>Participants:SendAccountChanges</c>);
/// the message id becomes identity's request_id, so a redelivery changes nothing. The account carries an office (its
/// tokens' <c>office</c> claim): the programme's when a person is enrolled or assigned, the registering caller's when
/// registered; a change without one (withdrawing, unassigning) leaves the account's office as it is.
/// </summary>
internal sealed class IdentityChanges(OutboxWriter outbox, IOptions<ParticipantsOptions> options)
{
    public const string Destination = "identity.account-change";

    private bool Enabled => options.Value.SendAccountChanges;

    /// <summary>With account changes on, a person registered without a login subject gets their person id as subject.</summary>
    public PersonRow WithSubject(PersonRow person)
    {
        if (Enabled && string.IsNullOrEmpty(person.Subject))
        {
            person.Subject = person.PersonId;
        }
        return person;
    }

    /// <summary>Tells identity the person's account state; <paramref name="office"/> empty keeps the account's office.</summary>
    public Task PersonChangedAsync(DbSession session, PersonRow person, bool active, long changedAtMs, string office = "")
    {
        if (!Enabled || string.IsNullOrEmpty(person.Subject))
        {
            return Task.CompletedTask;
        }
        return outbox.EnqueueAsync(session, Destination, new ApplyAccountChangeRequest
        {
            Subject = person.Subject,
            Role = (PersonKind)person.Kind switch
            {
                PersonKind.Trainee => AccountRole.Trainee,
                PersonKind.Instructor => AccountRole.Instructor,
                _ => AccountRole.HealthExpert,
            },
            Name = person.Name,
            Phone = person.Phone ?? "",
            // Staff sign in with their e-mail address too (a sign-in name when set).
            Email = person.Email,
            Active = active,
            ChangedAt = Instants.ToTimestamp(changedAtMs),
            Office = office,
        });
    }

    public static async Task<bool> HasActiveEnrolmentAsync(DbSession db, string traineeId) =>
        await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM enrolments WHERE trainee_id = @traineeId AND status = @active",
            new { traineeId, active = (int)EnrolmentStatus.Active }) > 0;

    public static async Task<bool> HasAssignmentAsync(DbSession db, string personId) =>
        await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM programme_staff WHERE person_id = @personId", new { personId }) > 0;
}

/// <summary>Delivers account changes to the identity service's IdentityInternalService.ApplyAccountChange.</summary>
internal sealed class AccountChangeDestination(IServiceProvider services) : OutboxDestination<ApplyAccountChangeRequest>
{
    public override string Name => IdentityChanges.Destination;

    // The client is resolved per delivery: a missing identity address fails (and retries) the delivery, not the host's start.
    protected override Task SendAsync(ApplyAccountChangeRequest request, CancellationToken cancellationToken) =>
        services.GetRequiredService<IdentityInternalService.IdentityInternalServiceClient>().ApplyAccountChangeAsync(request, cancellationToken: cancellationToken).ResponseAsync;
}
