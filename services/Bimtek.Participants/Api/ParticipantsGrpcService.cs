using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Participants.Application;
using Bimtek.Participants.Data;
using Bimtek.Participants.Hosting;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bimtek.Participants.Api;

/// <summary>
/// The gRPC (and, by transcoding, REST) surface of the participants service. Each RPC validates
/// its request, checks access, and runs its rules in one transaction (idempotent on request_id
/// for writes). Split by area over several files.
/// </summary>
internal sealed partial class ParticipantsGrpcService(
    DbReader reader,
    IdempotentExecutor idempotency,
    CoordinatorChanges coordinator,
    IdentityChanges accounts,
    NotificationEvents notifications,
    HomeVisitChanges visits,
    IOptions<ParticipantsOptions> options,
    OfficeScope offices,
    TimeProvider time) : ParticipantsService.ParticipantsServiceBase
{
    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    private int CurrentYear => time.GetUtcNow().Year;

    /// <summary>Runs a mutating RPC once per request_id, with the caller's access in the same transaction.</summary>
    private async Task<TResponse> WriteAsync<TResponse>(
        string requestId, Google.Protobuf.IMessage request, ServerCallContext context, Func<DbSession, Db, Access, Task<TResponse>> work)
        where TResponse : Google.Protobuf.IMessage<TResponse>, new()
    {
        var caller = context.GetCaller();
        try
        {
            return await idempotency.ExecuteAsync(requestId, request, session =>
            {
                var db = Db.For(session);
                return work(session, db, new Access(caller, db, offices));
            }, context.CancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName is { } constraint
            && UniqueKeys.TryGetValue(constraint, out var taken))
        {
            // Two requests raced for the same natural key; the check inside the transaction only
            // sees committed rows, the unique index decides.
            throw new AlreadyExistsException(taken.Reason, taken.Message);
        }
    }

    /// <summary>Natural keys whose unique index may refuse a concurrent writer.</summary>
    private static Dictionary<string, (string Reason, string Message)> UniqueKeys { get; } = new()
    {
        ["programmes_code_key"] = (Domain.Reasons.ProgrammeCodeTaken, "A programme with this code already exists."),
        ["people_subject_key"] = (Domain.Reasons.SubjectTaken, "Another person already has this login subject."),
    };

    /// <summary>Runs a read with the caller's access on one connection.</summary>
    private Task<TResponse> ReadAsync<TResponse>(ServerCallContext context, Func<Db, Access, Task<TResponse>> read)
    {
        var caller = context.GetCaller();
        return reader.ReadAsync(db => read(db, new Access(caller, db, offices)), context.CancellationToken);
    }

    private static async Task<ProgrammeRow> RequireProgrammeAsync(Db db, string programmeId, bool lockRow = false) =>
        await ProgrammeQueries.GetAsync(db, programmeId, lockRow) ?? throw new NotFoundException("programme", programmeId);

    private static async Task<Programme> LoadProgrammeAsync(Db db, ProgrammeRow row) =>
        ProtoMapping.ToProto(row, await ProgrammeQueries.StaffAsync(db, row.ProgrammeId), await ProgrammeQueries.ActiveEnrolmentsAsync(db, row.ProgrammeId));

    private static RequestValidator Validate() => new();

    /// <summary>The programme's office: its own, else (a programme from before offices) the deployment's default office.</summary>
    private string OfficeOf(ProgrammeRow programme) => offices.Resolve(programme.Office);
}
