using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Grpc.Core;

namespace Bimtek.Coordinator.Api;

/// <summary>
/// The live progress stream. It starts with a full snapshot, or, when the client resumes from a change sequence the
/// programme still knows, with only the trainees changed since; then every change with only the rows it changed;
/// while nothing changes, a heartbeat every <see cref="Hosting.WatchOptions.HeartbeatInterval"/>. A watcher that
/// falls behind (its buffer full) is caught up from its last change sequence instead of losing updates.
/// </summary>
internal sealed partial class QuotaGrpcService
{
    public override async Task WatchProgrammeProgress(WatchProgrammeProgressRequest request, IServerStreamWriter<ProgrammeProgressUpdate> responseStream, ServerCallContext context)
    {
        context.GetCaller().Require(Access.Readers);
        var v = new RequestValidator();
        v.Id("programme_id", request.ProgrammeId);
        v.Range("resume_after_change_sequence", request.ResumeAfterChangeSequence, 0, long.MaxValue);
        v.ThrowIfInvalid();
        var cancellation = context.CancellationToken;
        var programme = Programme(request.ProgrammeId);
        var watcher = new ProgressWatcher();
        var reference = grains.CreateObjectReference<IProgrammeProgressObserver>(watcher);
        var sequence = 0L;
        Task WriteAsync(ProgrammeProgressUpdate update)
        {
            update.Sequence = ++sequence;
            return responseStream.WriteAsync(update, cancellation);
        }
        try
        {
            // Subscribe before the start, so no change falls between them (changes up to the start are skipped below).
            await programme.Subscribe(reference);
            var sent = await StartAsync(programme, request.ProgrammeId, request.ResumeAfterChangeSequence, WriteAsync);
            // The grain forgets observers it has not heard from for a while: renew while watching.
            using var renew = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
            var renewal = Task.Run(async () =>
            {
                while (await renew.WaitForNextTickAsync(cancellation))
                {
                    await programme.Subscribe(reference);
                }
            }, cancellation);
            var heartbeat = watchOptions.Value.HeartbeatInterval;
            Task<bool>? waiting = null;
            while (true)
            {
                while (watcher.Updates.TryRead(out var update))
                {
                    // An update left out while the buffer was full came after every update read before this check:
                    // catch up from the last one sent (what is still buffered is then skipped or newer).
                    if (watcher.TakeOverflow())
                    {
                        sent = await StartAsync(programme, request.ProgrammeId, sent, WriteAsync);
                    }
                    if (update.ChangeSequence > sent)
                    {
                        await WriteAsync(Update(update.Summary, update.Trainees, false, update.ChangeSequence));
                        sent = update.ChangeSequence;
                    }
                }
                waiting ??= watcher.Updates.WaitToReadAsync(cancellation).AsTask();
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                var quiet = Task.Delay(heartbeat, time, tick.Token);
                if (await Task.WhenAny(waiting, quiet) == waiting)
                {
                    await tick.CancelAsync();
                    if (!await waiting)
                    {
                        break;
                    }
                    waiting = null;
                    continue;
                }
                cancellation.ThrowIfCancellationRequested();
                await WriteAsync(new ProgrammeProgressUpdate { Heartbeat = true, ChangeSequence = sent, ChangedAt = Instants.ToTimestamp(time.GetUtcNow()) });
            }
            await renewal;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The client went away or the deadline passed: nothing to report.
        }
        finally
        {
            try
            {
                await programme.Unsubscribe(reference);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The grain drops expired observers by itself.
                logger.LogDebug(ex, "Unsubscribing a progress watcher failed.");
            }
            grains.DeleteObjectReference<IProgrammeProgressObserver>(reference);
        }
    }

    /// <summary>
    /// The start of a stream (or a catch-up): a full snapshot for <paramref name="after"/> = 0 or a point the programme
    /// no longer knows, else the trainees changed since (none when nothing changed). Returns the change sequence sent.
    /// </summary>
    private async Task<long> StartAsync(IProgrammeGrain programme, string programmeId, long after, Func<ProgrammeProgressUpdate, Task> write)
    {
        ProgrammeProgressView view;
        bool full;
        if (after == 0)
        {
            (view, full) = (await programme.GetProgress(null) ?? throw new NotFoundException("programme", programmeId), true);
        }
        else
        {
            var catchUp = await programme.GetChangesSince(after) ?? throw new NotFoundException("programme", programmeId);
            (view, full) = (catchUp.View, catchUp.Full);
        }
        foreach (var chunk in view.Trainees.Chunk(SnapshotChunk).DefaultIfEmpty([]))
        {
            await write(Update(view.Summary, chunk, full, view.ChangeSequence));
        }
        return view.ChangeSequence;
    }
}
