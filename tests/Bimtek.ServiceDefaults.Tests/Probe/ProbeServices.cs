using Bimtek.Data.Idempotency;
using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Clients;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Hosting;
using Bimtek.Testing.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;

namespace Bimtek.ServiceDefaults.Tests.Probe;

/// <summary>Stores notes idempotently and sends each to the receiver through the outbox.</summary>
public sealed class ProbeGrpcService(IdempotentExecutor idempotency, OutboxWriter outbox) : ProbeService.ProbeServiceBase
{
    public const string Destination = "receiver.apply";

    public override Task<Note> CreateNote(CreateNoteRequest request, ServerCallContext context)
    {
        new RequestValidator()
            .RequestId(request.RequestId)
            .Required("text", request.Text, maxLength: 50)
            .Positive("count", request.Count, 100)
            .ThrowIfInvalid();

        return idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var sequence = await session.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notes") + 1;
            var note = new Note { Id = Guid.NewGuid().ToString(), Text = request.Text, Count = request.Count, Sequence = sequence };
            await session.ExecuteAsync(
                "INSERT INTO notes (id, text, count, sequence) VALUES (@Id, @Text, @Count, @Sequence)",
                new { note.Id, note.Text, note.Count, note.Sequence });
            await outbox.EnqueueAsync(session, Destination, new ApplyRequest { NoteId = note.Id });
            return note;
        }, context.CancellationToken);
    }

    public override Task<Note> Explode(ExplodeRequest request, ServerCallContext context) =>
        throw new InvalidOperationException($"connection string Password={request.Secret}");
}

/// <summary>Applies delivered notes once each, deduplicating on the outbox message id.</summary>
public sealed class ReceiverGrpcService(IdempotentExecutor idempotency) : ReceiverService.ReceiverServiceBase
{
    public override Task<ApplyResponse> Apply(ApplyRequest request, ServerCallContext context) =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            await session.ExecuteAsync(
                "INSERT INTO applied_notes (note_id, times) VALUES (@NoteId, 1) " +
                "ON CONFLICT (note_id) DO UPDATE SET times = applied_notes.times + 1",
                new { request.NoteId });
            var times = await session.ExecuteScalarAsync<long>("SELECT times FROM applied_notes WHERE note_id = @NoteId", new { request.NoteId });
            return new ApplyResponse { TimesApplied = times };
        }, context.CancellationToken);
}

/// <summary>The probe's outbox destination: calls the receiver with its own service identity.</summary>
public sealed class ReceiverDestination(ReceiverService.ReceiverServiceClient receiver) : OutboxDestination<ApplyRequest>
{
    public override string Name => ProbeGrpcService.Destination;

    protected override Task SendAsync(ApplyRequest request, CancellationToken cancellationToken) =>
        receiver.ApplyAsync(request, cancellationToken: cancellationToken).ResponseAsync;
}

public static class ProbeHosting
{
    public static void AddProbe(this WebApplicationBuilder builder, string serviceName, bool sendsToReceiver)
    {
        builder.AddServiceDefaults(serviceName);
        builder.AddGrpcDefaults();
        builder.AddServiceDatabase(serviceName, typeof(ProbeHosting).Assembly);
        if (sendsToReceiver)
        {
            builder.Services.AddServiceClient<ReceiverService.ReceiverServiceClient>("receiver", CallIdentity.Service);
            builder.Services.AddOutboxDestination<ReceiverDestination>();
        }
    }

    public static void MapProbe(this WebApplication app)
    {
        app.MapServiceDefaults();
        app.MapGrpcService<ProbeGrpcService>();
        app.MapGrpcService<ReceiverGrpcService>();
    }
}
