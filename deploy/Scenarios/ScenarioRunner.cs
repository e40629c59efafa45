using Bimtek.Scenarios.Rest;
using Bimtek.Scenarios.Scenarios;

namespace Bimtek.Scenarios;

/// <summary>
/// Runs a seed scenario against a running suite through the gateway's REST surface. The <see cref="HttpClient"/>
/// carries the base address (the gateway) and the caller's credentials (X-Api-Key of an operator+integrator).
/// </summary>
public sealed class ScenarioRunner(HttpClient gateway, TextWriter log, ScenarioOptions? options = null)
{
    public static IReadOnlyList<string> Names { get; } = [Mask2020.Name, Ppe2020.Name];

    /// <summary>An HttpClient for the gateway at <paramref name="baseAddress"/> authenticated with an API key.</summary>
    public static HttpClient CreateGatewayClient(Uri baseAddress, string apiKey)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>Runs the named scenario; throws <see cref="ScenarioFailure"/> when a step's result is not what the seed says.</summary>
    public async Task<ScenarioSummary> RunAsync(string name, CancellationToken cancellationToken = default)
    {
        var settings = options ?? ScenarioOptions.Default;
        using var signIn = settings.TraineesSignIn ? new TraineeSignIn(gateway, log) : null;
        var steps = new Steps(new SuiteApi(new RestClient(gateway, log)), settings) { TraineeSignIn = signIn };
        log.WriteLine($"### {name} (run suffix {steps.Suffix})");
        var summary = name switch
        {
            Mask2020.Name => await new Mask2020(steps).RunAsync(cancellationToken),
            Ppe2020.Name => await new Ppe2020(steps).RunAsync(cancellationToken),
            _ => throw new ArgumentException($"Unknown scenario '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
        };
        log.WriteLine(summary);
        return summary;
    }
}
