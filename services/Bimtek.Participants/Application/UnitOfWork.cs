using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Participants.Api;
using Bimtek.Participants.Data;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Npgsql;

namespace Bimtek.Participants.Application;

/// <summary>
/// The frame every use case runs in. A write runs once per request_id (<see cref="IdempotentExecutor"/>: its answer
/// is stored for replays, so a write returns the contract message the handler's mapping makes) in one transaction,
/// with the caller's <see cref="Access"/> over that transaction; a read runs on one connection outside a transaction.
/// </summary>
internal sealed class UnitOfWork(IdempotentExecutor idempotency, Database database, OfficeScope offices)
{
    /// <summary>Runs a mutating use case once per request_id, with the caller's access in the same transaction.</summary>
    public async Task<TResponse> WriteAsync<TResponse>(Caller caller, string requestId, Google.Protobuf.IMessage request,
        Func<DbSession, Access, Task<TResponse>> work, CancellationToken cancellationToken)
        where TResponse : Google.Protobuf.IMessage<TResponse>, new()
    {
        try
        {
            return await idempotency.ExecuteAsync(requestId, request, db => work(db, new Access(caller, db, offices)), cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName is { } constraint
            && UniqueKeys.TryGetValue(constraint, out var taken))
        {
            // Two requests raced for the same natural key; the check inside the transaction only
            // sees committed rows, the unique index decides.
            throw new AlreadyExistsException(taken.Reason, taken.Message);
        }
    }

    /// <summary>Runs a read with the caller's access on one connection.</summary>
    public Task<T> ReadAsync<T>(Caller caller, Func<DbSession, Access, Task<T>> read, CancellationToken cancellationToken) =>
        database.ReadAsync(db => read(db, new Access(caller, db, offices)), cancellationToken);

    /// <summary>The programme's office: its own, else (a programme from before offices) the deployment's default office.</summary>
    public string OfficeOf(ProgrammeRow programme) => offices.Resolve(programme.Office);

    /// <summary>Natural keys whose unique index may refuse a concurrent writer.</summary>
    private static Dictionary<string, (string Reason, string Message)> UniqueKeys { get; } = new()
    {
        ["programmes_code_key"] = (Domain.Reasons.ProgrammeCodeTaken, "A programme with this code already exists."),
        ["people_subject_key"] = (Domain.Reasons.SubjectTaken, "Another person already has this login subject."),
    };
}
