using System.Data.Common;

namespace Bimtek.Data.Persistence;

/// <summary>
/// Start-up work against a database that may not answer yet (compose and Kubernetes start everything at once, and a
/// busy server can let a first connection time out): retried while the failure is transient, up to 30 attempts with
/// waits growing to 5 s, so a slow database delays a start instead of crashing it.
/// </summary>
public static class UntilReachable
{
    public static async Task RunAsync(Func<CancellationToken, Task> work, Action<int, DbException> onWaiting, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await work(cancellationToken);
                return;
            }
            catch (DbException ex) when (attempt < 30 && ex.IsTransient)
            {
                onWaiting(attempt, ex);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), cancellationToken);
            }
        }
    }
}
