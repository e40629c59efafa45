using Bimtek.Participants.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;

namespace Bimtek.Testing.Offices;

/// <summary>
/// The real participants service on its own test database, telling the host under test each programme's office (the
/// host routes <c>participants</c> here through <see cref="Route"/>). The offices: two districts (HSU, the default
/// office, and HST) of one province (KALSEL). Compiled into each test project that checks offices (a linked file:
/// it uses the project's own public participants client).
/// </summary>
public sealed class OfficeWorld : IAsyncDisposable
{
    public const string Province = "DISPERIN-KALSEL";
    public const string Hsu = "DISPERINDAGKOP-HSU";
    public const string Hst = "DISPERINDAG-HST";

    private readonly TestDatabase _database;

    private OfficeWorld(TestDatabase database)
    {
        _database = database;
        Participants = new ServiceHost<Bimtek.Participants.Program>(database, configuration: Configuration);
    }

    /// <summary>The deployment's offices, the same for participants and the host under test.</summary>
    public static IReadOnlyDictionary<string, string?> Configuration { get; } = new Dictionary<string, string?>
    {
        ["Offices:Default"] = Hsu,
        ["Offices:Provinces:" + Province + ":0"] = Hsu,
        ["Offices:Provinces:" + Province + ":1"] = Hst,
    };

    public ServiceHost<Bimtek.Participants.Program> Participants { get; }

    public static async Task<OfficeWorld> StartAsync(DatabaseKind kind, string name) =>
        new(await TestDatabase.CreateAsync(kind, name + "-participants"));

    /// <summary>Routes the host under test's participants client here.</summary>
    public Downstream Route(Downstream? downstream = null) => (downstream ?? new Downstream()).Route("participants", Participants);

    /// <summary>An operator's token of <paramref name="office"/>.</summary>
    public static string OperatorOf(string office) => TestTokens.OperatorOf(office, "operator-" + office);

    /// <summary>A programme created by an operator of <paramref name="office"/> (so it is that office's); its id.</summary>
    public async Task<string> CreateProgrammeAsync(string office)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var programme = await Participants.Client<ParticipantsService.ParticipantsServiceClient>(OperatorOf(office)).CreateProgrammeAsync(new CreateProgrammeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Code = "BIMTEK-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(),
            Title = "Bimtek pembuatan masker kain 3 lapis",
            ProductCode = "MASK-SASIRANGAN-3PLY",
            Organisers = { "Disperindagkop-UKM HSU" },
            District = "Hulu Sungai Utara",
            Province = "Kalimantan Selatan",
            Mode = ProgrammeMode.OnlineHomeBased,
            StartDay = new Google.Type.Date { Year = today.Year, Month = today.Month, Day = today.Day },
            EndDay = new Google.Type.Date { Year = today.AddDays(2).Year, Month = today.AddDays(2).Month, Day = today.AddDays(2).Day },
            TimeZone = "Asia/Makassar",
            Capacity = 5,
            TargetQuantity = 500,
        });
        if (programme.Office != office)
        {
            throw new InvalidOperationException($"Participants stamped {programme.Office}, not {office}.");
        }
        return programme.ProgrammeId;
    }

    /// <summary>
    /// Another office's record and an unknown id get the same answer: the same status, the same reason and the same
    /// message once each id is taken out (nothing tells the caller that the first one exists).
    /// </summary>
    public static async Task AssertSameAnswerAsync(StatusCode expected, Func<string, Task> call, string foreignId, string unknownId)
    {
        var foreign = await Assert.ThrowsAsync<RpcException>(() => call(foreignId));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => call(unknownId));
        Assert.Equal(expected, foreign.StatusCode);
        Assert.Equal(expected, unknown.StatusCode);
        Assert.Equal(unknown.Status.Detail.Replace(unknownId, "{id}", StringComparison.Ordinal), foreign.Status.Detail.Replace(foreignId, "{id}", StringComparison.Ordinal));
        Assert.Equal(
            unknown.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason,
            foreign.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
    }

    public async ValueTask DisposeAsync()
    {
        await Participants.DisposeAsync();
        _database.Dispose();
    }
}

/// <summary>
/// What every office test of a service starts from: the service under test on its own database, its participants client
/// routed to a fresh <see cref="OfficeWorld"/>, one programme of each district, and an operator's client of each office.
/// Disposed host first, then its database, then the world.
/// </summary>
public sealed class OfficeRun<TProgram, TClient> : IAsyncDisposable
    where TProgram : class
    where TClient : ClientBase<TClient>
{
    private OfficeRun(OfficeWorld world, TestDatabase database, ServiceHost<TProgram> host)
    {
        World = world;
        Database = database;
        Host = host;
        Hsu = host.Client<TClient>(OfficeWorld.OperatorOf(OfficeWorld.Hsu));
        Hst = host.Client<TClient>(OfficeWorld.OperatorOf(OfficeWorld.Hst));
        Province = host.Client<TClient>(OfficeWorld.OperatorOf(OfficeWorld.Province));
    }

    public OfficeWorld World { get; }
    public TestDatabase Database { get; }
    public ServiceHost<TProgram> Host { get; }

    /// <summary>HSU's programme and HST's.</summary>
    public string OfHsu { get; private set; } = "";
    public string OfHst { get; private set; } = "";

    /// <summary>Operators of HSU, of HST and of their province.</summary>
    public TClient Hsu { get; }
    public TClient Hst { get; }
    public TClient Province { get; }

    public static async Task<OfficeRun<TProgram, TClient>> StartAsync(DatabaseKind kind, string name)
    {
        var world = await OfficeWorld.StartAsync(kind, name);
        var database = await TestDatabase.CreateAsync(kind, name);
        var run = new OfficeRun<TProgram, TClient>(world, database, new ServiceHost<TProgram>(database, world.Route(), OfficeWorld.Configuration));
        run.OfHsu = await world.CreateProgrammeAsync(OfficeWorld.Hsu);
        run.OfHst = await world.CreateProgrammeAsync(OfficeWorld.Hst);
        return run;
    }

    public void Deconstruct(out string ofHsu, out string ofHst, out TClient hsu, out TClient hst, out TClient province) =>
        (ofHsu, ofHst, hsu, hst, province) = (OfHsu, OfHst, Hsu, Hst, Province);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Database.Dispose();
        await World.DisposeAsync();
    }
}
