using System.Net;
using System.Net.Sockets;

namespace Bimtek.Suite;

/// <summary>
/// Loopback ports nobody listens on right now. Drawn at random below Linux's ephemeral range (32768 and up):
/// a port the kernel hands out for port 0 can meanwhile become the local end of some outgoing connection (a
/// database pool, an HTTP client) before the process that was given it binds it.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 20000;
    private const int AboveHighest = 32768;

    public static IReadOnlyList<int> Take(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            while (listeners.Count < count)
            {
                var listener = new TcpListener(IPAddress.Loopback, Random.Shared.Next(Lowest, AboveHighest));
                try
                {
                    listener.Start();
                    listeners.Add(listener);
                }
                catch (SocketException)
                {
                    // Taken (or held by one of ours already): draw another.
                }
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
