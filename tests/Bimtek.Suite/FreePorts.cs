using System.Net;
using System.Net.Sockets;

namespace Bimtek.Suite;

/// <summary>Loopback ports nobody listens on right now (bound to port 0, then released).</summary>
public static class FreePorts
{
    public static IReadOnlyList<int> Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ =>
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return listener;
        }).ToList();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
