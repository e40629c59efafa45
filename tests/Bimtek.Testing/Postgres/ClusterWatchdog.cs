using System.Diagnostics;

namespace Bimtek.Testing.Postgres;

/// <summary>
/// Cleans up a local cluster after the test process is gone. The ProcessExit handler is not enough on its own:
/// the test platform kills the test host shortly after the run, often before that handler has finished, which
/// would leave a running server and its directory behind. This detached shell outlives the test host, waits
/// for it to disappear, then stops the server and deletes the directory (a no-op if ProcessExit already did).
/// </summary>
internal static class ClusterWatchdog
{
    private const string Script = """
        exec </dev/null >/dev/null 2>&1
        owner=$1; root=$2; shift 2
        while kill -0 "$owner"; do sleep 1; done
        if [ -f "$root/data/postmaster.pid" ]; then "$@" stop -D "$root/data" -m fast -w -t 30; fi
        rm -rf "$root"
        """;

    /// <param name="pgCtlCommand">The pg_ctl command, with any user-switching prefix.</param>
    public static void Start(string rootDirectory, IEnumerable<string> pgCtlCommand)
    {
        // setsid: a Ctrl+C aimed at the test run's process group must not take the watchdog down too.
        var startInfo = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            // Redirected so the watchdog never holds the test host's own output pipes open.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["sh", "-c", Script, "bimtek-pg-watchdog", Environment.ProcessId.ToString(), rootDirectory, .. pgCtlCommand])
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(startInfo);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            // Without the watchdog only the ProcessExit handler is left; a leftover directory is not worth failing tests.
            Console.Error.WriteLine($"[Bimtek.Testing] Could not start the cleanup watchdog for {rootDirectory}: {exception.Message}");
        }
    }
}
