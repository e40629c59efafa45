// The local run: `dotnet run --project deploy/AppHost`. Starts every service of the suite as its own
// process on the embedded SQLite default (data under ./data), waits for every /readyz, prints the
// gateway and dashboard addresses, and stops everything on Ctrl+C.
var builder = DistributedApplication.CreateBuilder(args);
builder.AddBimtekSuite();
builder.Build().Run();
