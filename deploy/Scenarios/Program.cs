using Bimtek.Scenarios;

// dotnet run --project deploy/Scenarios -- <mask-2020|ppe-2020|all> [--gateway http://127.0.0.1:8080] [--api-key KEY] [--timeout SECONDS]
//   [--trainees-sign-in]   trainees report output with their own tokens (one-time code sign-in at the identity service)
var names = new List<string>();
var gateway = Environment.GetEnvironmentVariable("BIMTEK_GATEWAY") ?? "http://127.0.0.1:8080";
var apiKey = Environment.GetEnvironmentVariable("BIMTEK_API_KEY") ?? "bimtek-dev-operator-key";
var timeout = ScenarioOptions.Default.WaitTimeout;
var traineesSignIn = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--gateway" when i + 1 < args.Length:
            gateway = args[++i];
            break;
        case "--api-key" when i + 1 < args.Length:
            apiKey = args[++i];
            break;
        case "--timeout" when i + 1 < args.Length && int.TryParse(args[i + 1], out var seconds):
            timeout = TimeSpan.FromSeconds(seconds);
            i++;
            break;
        case "--trainees-sign-in":
            traineesSignIn = true;
            break;
        case "all":
            names.AddRange(ScenarioRunner.Names);
            break;
        case var name when ScenarioRunner.Names.Contains(name):
            names.Add(name);
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'.");
            Console.Error.WriteLine($"Usage: Bimtek.Scenarios <{string.Join("|", ScenarioRunner.Names)}|all> [--gateway URL] [--api-key KEY] [--timeout SECONDS] [--trainees-sign-in]");
            return 2;
    }
}
if (names.Count == 0)
{
    Console.Error.WriteLine($"Name a scenario: {string.Join(", ", ScenarioRunner.Names)} or all.");
    return 2;
}

using var http = ScenarioRunner.CreateGatewayClient(new Uri(gateway), apiKey);
var runner = new ScenarioRunner(http, Console.Out, new ScenarioOptions(timeout) { TraineesSignIn = traineesSignIn });
foreach (var name in names)
{
    try
    {
        await runner.RunAsync(name);
        Console.WriteLine($"{name}: OK, matches the seed.");
    }
    catch (ScenarioFailure failure)
    {
        Console.Error.WriteLine($"{name}: FAILED. {failure.Message}");
        return 1;
    }
}
return 0;
