using System.Collections.Concurrent;
using Bimtek.Coordinator.V1;
using Bimtek.Data.Outbox;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.Participants.Tests;

/// <summary>
/// The participants service on a fresh test database, with its coordinator client routed to a
/// fake QuotaInternalService that records what it receives, and helpers to set up programmes and people.
/// </summary>
public sealed class ParticipantsHarness : IAsyncDisposable
{
    public const string InstructorSubject = "instructor-subject";

    private readonly TestDatabase _database;
    private readonly CoordinatorLink _link;
    private readonly Func<ServiceHost<Program>> _newHost;
    private readonly List<ServiceHost<Program>> _replicas = [];

    private ParticipantsHarness(TestDatabase database, WebTestHost coordinator, Func<ServiceHost<Program>> newHost, FakeCoordinator fake, CoordinatorLink link)
    {
        _database = database;
        _link = link;
        _newHost = newHost;
        CoordinatorHost = coordinator;
        var host = newHost();
        Host = host;
        Coordinator = fake;
        Operator = host.Client<ParticipantsService.ParticipantsServiceClient>(TestTokens.Operator());
    }

    public ServiceHost<Program> Host { get; }

    /// <summary>The test database's connection string when it is PostgreSQL.</summary>
    public string? PostgresConnectionString => _database.PostgresConnectionString;

    /// <summary>While true, every call to the coordinator fails as a refused connection would.</summary>
    public bool CoordinatorDown
    {
        get => _link.Down;
        set => _link.Down = value;
    }

    public WebTestHost CoordinatorHost { get; }

    /// <summary>What the fake coordinator received.</summary>
    public FakeCoordinator Coordinator { get; }

    /// <summary>A client calling as an operator.</summary>
    public ParticipantsService.ParticipantsServiceClient Operator { get; }

    public static async Task<ParticipantsHarness> StartAsync(DatabaseKind kind, IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var database = await TestDatabase.CreateAsync(kind, "participants");
        var fake = new FakeCoordinator();
        var coordinator = await WebTestHost.StartAsync(
            builder =>
            {
                builder.Services.AddGrpc();
                builder.Services.AddSingleton(fake);
            },
            app => app.MapGrpcService<FakeQuotaService>());
        var settings = new Dictionary<string, string?>
        {
            ["Outbox:InitialBackoff"] = "00:00:00.100",
            ["Outbox:MaxBackoff"] = "00:00:00.500",
            ["Outbox:PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in configuration ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var link = new CoordinatorLink();
        return new ParticipantsHarness(database, coordinator,
            () => new ServiceHost<Program>(database, new Downstream().Route("coordinator", () => new SwitchableHandler(link, coordinator.CreateHandler())), settings),
            fake, link);
    }

    /// <summary>Another instance of the service on the same database (as a deployment runs two or more).</summary>
    public ServiceHost<Program> StartReplica()
    {
        var replica = _newHost();
        _replicas.Add(replica);
        return replica;
    }

    public ParticipantsService.ParticipantsServiceClient As(string subject, params string[] roles) =>
        Host.Client<ParticipantsService.ParticipantsServiceClient>(TestTokens.Mint(subject, roles));

    /// <summary>ParticipantsInternalService (CheckEnrolment, OpenBehindScheduleRequest) as the token's holder.</summary>
    public ParticipantsInternalService.ParticipantsInternalServiceClient Internal(string token) =>
        Host.Client<ParticipantsInternalService.ParticipantsInternalServiceClient>(token);

    public static string NewId() => Guid.NewGuid().ToString();

    public static Google.Type.Date Day(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    public static Google.Type.Date Day(DateOnly day) => Day(day.Year, day.Month, day.Day);

    public static DateOnly TodayInMakassar() => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    public CreateProgrammeRequest ProgrammeRequest(string? code = null, int capacity = 7, int target = 60, Google.Type.Date? start = null, Google.Type.Date? end = null) => new()
    {
        RequestId = NewId(),
        Code = code ?? "BIMTEK-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(),
        Title = "Bimtek pembuatan APD",
        ProductCode = "APD-SET",
        Organisers = { "Disperindagkop-UKM HSU", "Dinas Perindustrian Provinsi Kalsel" },
        District = "Hulu Sungai Utara",
        Province = "Kalimantan Selatan",
        Mode = ProgrammeMode.OnlineHomeBased,
        StartDay = start ?? Day(TodayInMakassar().AddDays(-1)),
        EndDay = end ?? Day(TodayInMakassar().AddDays(10)),
        TimeZone = "Asia/Makassar",
        Capacity = capacity,
        TargetQuantity = target,
    };

    public async Task<Programme> CreateProgrammeAsync(int capacity = 7, int target = 60) =>
        await Operator.CreateProgrammeAsync(ProgrammeRequest(capacity: capacity, target: target));

    public async Task<Person> RegisterTraineeAsync(string name = "Siti", int birthYear = 1990, string? subject = null, string district = "Hulu Sungai Utara") =>
        await Operator.RegisterTraineeAsync(new RegisterTraineeRequest
        {
            RequestId = NewId(),
            Name = name,
            BirthYear = birthYear,
            Village = "Paliwara",
            District = district,
            Phone = "+6281200000000",
            Subject = subject ?? "",
        });

    public async Task<Person> RegisterStaffAsync(StaffKind kind = StaffKind.Instructor, string? subject = null, string name = "Ibu Rahmah") =>
        await Operator.RegisterStaffAsync(new RegisterStaffRequest
        {
            RequestId = NewId(),
            Kind = kind,
            Name = name,
            District = "Hulu Sungai Utara",
            Organisation = "Disperindagkop-UKM HSU",
            Subject = subject ?? "",
        });

    public async Task AssignAsync(string programmeId, string personId, StaffRole role = StaffRole.Instructor) =>
        await Operator.AssignStaffAsync(new AssignStaffRequest { RequestId = NewId(), ProgrammeId = programmeId, PersonId = personId, Role = role });

    public async Task<Enrolment> EnrolAsync(string programmeId, string traineeId) =>
        await Operator.EnrolAsync(new EnrolRequest { RequestId = NewId(), ProgrammeId = programmeId, TraineeId = traineeId });

    /// <summary>An active programme with an instructor (who logs in as <see cref="InstructorSubject"/>-suffixed subject).</summary>
    public async Task<(Programme Programme, Person Instructor, ParticipantsService.ParticipantsServiceClient InstructorClient)> ActiveProgrammeAsync(int capacity = 7)
    {
        var programme = await CreateProgrammeAsync(capacity);
        var subject = InstructorSubject + "-" + NewId();
        var instructor = await RegisterStaffAsync(subject: subject);
        await AssignAsync(programme.ProgrammeId, instructor.PersonId);
        programme = await Operator.ActivateProgrammeAsync(new ActivateProgrammeRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId });
        return (programme, instructor, As(subject, Roles.Instructor));
    }

    /// <summary>Waits until the outbox has nothing pending (the relay delivered everything).</summary>
    public async Task DrainOutboxAsync()
    {
        var status = Host.Services.GetRequiredService<OutboxStatus>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await status.ReadAsync()).Pending > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The outbox did not drain within 20 s.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
        await Host.DisposeAsync();
        await CoordinatorHost.DisposeAsync();
        _database.Dispose();
    }
}

/// <summary>Whether the coordinator is reachable (tests take it down and bring it back).</summary>
public sealed class CoordinatorLink
{
    private volatile bool _down;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }
}

/// <summary>Forwards to the coordinator host unless the link is down.</summary>
public sealed class SwitchableHandler(CoordinatorLink link, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        link.Down ? throw new HttpRequestException("Connection refused (test: coordinator is down)") : base.SendAsync(request, cancellationToken);
}

/// <summary>Records every call the fake coordinator receives.</summary>
public sealed class FakeCoordinator
{
    public ConcurrentQueue<ApplyProgrammeChangeRequest> ProgrammeChanges { get; } = new();

    public ConcurrentQueue<ApplyEnrolmentChangeRequest> EnrolmentChanges { get; } = new();
}

/// <summary>Stands in for the coordinator's QuotaInternalService: acknowledges and records.</summary>
public sealed class FakeQuotaService(FakeCoordinator recorder) : QuotaInternalService.QuotaInternalServiceBase
{
    public override Task<ApplyEffectResponse> ApplyProgrammeChange(ApplyProgrammeChangeRequest request, ServerCallContext context)
    {
        recorder.ProgrammeChanges.Enqueue(request);
        return Task.FromResult(new ApplyEffectResponse { RequestId = request.RequestId });
    }

    public override Task<ApplyEffectResponse> ApplyEnrolmentChange(ApplyEnrolmentChangeRequest request, ServerCallContext context)
    {
        recorder.EnrolmentChanges.Enqueue(request);
        return Task.FromResult(new ApplyEffectResponse { RequestId = request.RequestId });
    }
}

/// <summary>Assertions on the google.rpc details of a failed call.</summary>
public static class Errors
{
    public static async Task<RpcException> FailsAsync<T>(AsyncUnaryCall<T> call, StatusCode code)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(code, error.StatusCode);
        return error;
    }

    public static async Task<RpcException> PreconditionAsync<T>(AsyncUnaryCall<T> call, string reason)
    {
        var error = await FailsAsync(call, StatusCode.FailedPrecondition);
        Assert.Equal(reason, Reason(error));
        Assert.Contains(error.GetRpcStatus()!.GetDetail<PreconditionFailure>()!.Violations, v => v.Type == reason);
        return error;
    }

    public static async Task InvalidAsync<T>(AsyncUnaryCall<T> call, params string[] fields)
    {
        var error = await FailsAsync(call, StatusCode.InvalidArgument);
        var violations = error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field).ToHashSet();
        foreach (var field in fields)
        {
            Assert.Contains(field, violations);
        }
    }

    public static Task DeniedAsync<T>(AsyncUnaryCall<T> call) => FailsAsync(call, StatusCode.PermissionDenied);

    public static string? Reason(RpcException error) => error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
}
