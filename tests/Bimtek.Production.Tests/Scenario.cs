using Bimtek.Common.V1;
using Bimtek.Data.Outbox;
using Bimtek.Production.Tests.Fakes;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.Production.Tests;

/// <summary>A person with a login: id in participants, subject in tokens.</summary>
public sealed record Person(string Id, string Subject)
{
    public static Person New(string prefix) => new(Guid.NewGuid().ToString(), $"{prefix}-{Guid.NewGuid():N}");
}

/// <summary>A programme set up in the fakes, with its trainees and staff.</summary>
public sealed record ProgrammeSetup(FakeProgramme Programme, string ProductCode, IReadOnlyList<Person> Trainees, Person Instructor, Person HealthExpert)
{
    public string Id => Programme.ProgrammeId;
}

/// <summary>The two 2020 programmes (masks; PPE sets) on the fakes, and production hosts for them.</summary>
public static class Scenario
{
    public const string Mask = "MASK-SASIRANGAN-3L";
    public const string Ppe = "APD-SET";
    public const string Fabric = "FAB-SASIRANGAN-110";
    public const string Elastic = "ELASTIC-LOOP";
    public const string Spunbond = "SPUNBOND-75";

    public static readonly DateOnly Day1 = new(2020, 5, 18);

    /// <summary>The mask programme: 18–20 May 2020, each trainee's home stocked for <paramref name="masksPerTrainee"/> masks.</summary>
    public static ProgrammeSetup MaskProgramme(FakeSuite fakes, int trainees = 5, int masksPerTrainee = 100)
    {
        var product = fakes.Materials.AddProduct(Mask, medical: false, (Fabric, 40), (Elastic, 2));
        var setup = Programme(fakes, product.Code, trainees, Day1, Day1.AddDays(2));
        foreach (var trainee in setup.Trainees)
        {
            fakes.Materials.Stock(trainee.Id, Fabric, 40L * masksPerTrainee);
            fakes.Materials.Stock(trainee.Id, Elastic, 2L * masksPerTrainee);
        }
        return setup;
    }

    /// <summary>The PPE programme: a medical product, 7 trainees stocked for 9 sets each.</summary>
    public static ProgrammeSetup PpeProgramme(FakeSuite fakes)
    {
        var product = fakes.Materials.AddProduct(Ppe, medical: true, (Spunbond, 25_000));
        var setup = Programme(fakes, product.Code, 7, new DateOnly(2020, 6, 2), new DateOnly(2020, 6, 6));
        foreach (var trainee in setup.Trainees)
        {
            fakes.Materials.Stock(trainee.Id, Spunbond, 25_000L * 9);
        }
        return setup;
    }

    private static ProgrammeSetup Programme(FakeSuite fakes, string productCode, int trainees, DateOnly start, DateOnly end)
    {
        var programme = new FakeProgramme { ProductCode = productCode, StartDay = start, EndDay = end };
        fakes.Participants.Programmes[programme.ProgrammeId] = programme;
        var people = Enumerable.Range(1, trainees).Select(_ => Person.New("trainee")).ToList();
        foreach (var trainee in people)
        {
            programme.Trainees[trainee.Id] = true;
            fakes.Participants.Subjects[trainee.Subject] = trainee.Id;
        }
        var instructor = Person.New("instructor");
        var expert = Person.New("expert");
        programme.Staff[instructor.Id] = Role.Instructor;
        programme.Staff[expert.Id] = Role.HealthExpert;
        fakes.Participants.Subjects[instructor.Subject] = instructor.Id;
        fakes.Participants.Subjects[expert.Subject] = expert.Id;
        return new ProgrammeSetup(programme, productCode, people, instructor, expert);
    }

    public static ServiceHost<Program> StartProduction(TestDatabase database, FakeSuite fakes, TimeSpan? reconcilerPeriod = null,
        IReadOnlyDictionary<string, string?>? configuration = null) =>
        new(database, fakes.Downstream(), new Dictionary<string, string?>(configuration ?? new Dictionary<string, string?>())
        {
            ["Production:ReconcilerPeriod"] = (reconcilerPeriod ?? TimeSpan.FromMilliseconds(200)).ToString(),
            ["Production:ReportLease"] = "00:00:05",
            ["Production:RetryBackoff"] = "00:00:00.100",
            ["Production:MaxRetryBackoff"] = "00:00:00.500",
            ["Outbox:InitialBackoff"] = "00:00:00.100",
            ["Outbox:MaxBackoff"] = "00:00:00.500",
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Outbox:ClaimLease"] = "00:00:03",
            ["Clients:DefaultDeadline"] = "00:00:05",
        });

    public static ProductionService.ProductionServiceClient As(this TestHost host, Person person, string role) =>
        host.Client<ProductionService.ProductionServiceClient>(TestTokens.Mint(person.Subject, role));

    public static ProductionService.ProductionServiceClient AsTrainee(this TestHost host, Person trainee) => host.As(trainee, Roles.Trainee);

    public static ProductionService.ProductionServiceClient AsInstructor(this TestHost host, ProgrammeSetup p) => host.As(p.Instructor, Roles.Instructor);

    public static ProductionService.ProductionServiceClient AsHealthExpert(this TestHost host, ProgrammeSetup p) => host.As(p.HealthExpert, Roles.HealthExpert);

    public static ProductionService.ProductionServiceClient AsOperator(this TestHost host) =>
        host.Client<ProductionService.ProductionServiceClient>(TestTokens.Operator());

    public static ReportOutputRequest Report(ProgrammeSetup p, Person trainee, DateOnly day, int units, string? requestId = null) => new()
    {
        RequestId = requestId ?? Guid.NewGuid().ToString(),
        ProgrammeId = p.Id,
        TraineeId = trainee.Id,
        ProductCode = p.ProductCode,
        Day = new Google.Type.Date { Year = day.Year, Month = day.Month, Day = day.Day },
        Units = units,
        Note = "dijahit di rumah",
        PhotoUrl = "https://example.org/photos/masks.jpg",
    };

    public static Google.Type.Date Date(DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    /// <summary>Waits until the host's outbox has nothing pending (every effect acknowledged).</summary>
    public static Task OutboxDrainedAsync(TestHost host) =>
        WaitUntilAsync(async () => (await host.Services.GetRequiredService<OutboxStatus>().ReadAsync()).Pending == 0, "outbox drained");

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not reached within {seconds} s: {what}");
            }
            await Task.Delay(50);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 30) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, seconds);
}
