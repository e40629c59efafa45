using Bimtek.Common.V1;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Bimtek.Distribution.Tests;

/// <summary>The distribution service on a fresh database, with clients for each kind of caller and scenario helpers.</summary>
public sealed class DistributionHarness : IAsyncDisposable
{
    public const string MaskProduct = "MASK-SASIRANGAN-3L";

    private readonly TestDatabase _database;
    private readonly IReadOnlyDictionary<string, string?>? _configuration;

    private readonly Downstream? _downstream;

    private DistributionHarness(TestDatabase database, IReadOnlyDictionary<string, string?>? configuration, FakeCatalogue? catalogue)
    {
        _database = database;
        _configuration = configuration;
        _downstream = catalogue?.Downstream();
        Host = new ServiceHost<Program>(database, _downstream, configuration);
    }

    public ServiceHost<Program> Host { get; private set; }

    public DatabaseKind Kind => _database.Kind;

    public DistributionService.DistributionServiceClient Operator => Host.Client<DistributionService.DistributionServiceClient>(TestTokens.Operator());

    /// <summary>DistributionInternalService (ReceiveAcceptedGoods) as production's outbox relay calls it.</summary>
    public DistributionInternalService.DistributionInternalServiceClient Service => InternalAs(TestTokens.Service("production"));

    public DistributionInternalService.DistributionInternalServiceClient InternalAs(string token) =>
        Host.Client<DistributionInternalService.DistributionInternalServiceClient>(token);

    public DistributionService.DistributionServiceClient Integrator =>
        Host.Client<DistributionService.DistributionServiceClient>(TestTokens.Mint("integrator-1", Roles.Integrator));

    public DistributionService.DistributionServiceClient RecipientUser(string subject) =>
        Host.Client<DistributionService.DistributionServiceClient>(TestTokens.Mint(subject, Roles.Recipient));

    /// <summary>The service on a fresh database; with <paramref name="catalogue"/> it asks that stand-in for programme and product names.</summary>
    public static async Task<DistributionHarness> StartAsync(DatabaseKind kind, string name, IReadOnlyDictionary<string, string?>? configuration = null,
        FakeCatalogue? catalogue = null) =>
        new(await TestDatabase.CreateAsync(kind, name), configuration, catalogue);

    /// <summary>Stops the host and starts another on the same database.</summary>
    public async Task RestartAsync()
    {
        await Host.DisposeAsync();
        Host = new ServiceHost<Program>(_database, _downstream, _configuration);
    }

    public static string NewId() => Guid.NewGuid().ToString();

    public static ReceiveAcceptedGoodsRequest Accepted(string programmeId, int units, string product = MaskProduct) => new()
    {
        RequestId = NewId(),
        InspectionId = NewId(),
        ProgrammeId = programmeId,
        TraineeId = NewId(),
        ProductCode = product,
        Units = units,
        AcceptedAt = Timestamp.FromDateTime(new DateTime(2020, 5, 20, 8, 0, 0, DateTimeKind.Utc)),
    };

    public async Task ReceiveAsync(string programmeId, int units, string product = MaskProduct) =>
        await Service.ReceiveAcceptedGoodsAsync(Accepted(programmeId, units, product));

    public async Task<Recipient> CreateBpbdAsync(params string[] userSubjects)
    {
        var request = new CreateRecipientRequest
        {
            RequestId = NewId(),
            Kind = RecipientKind.DisasterManagementAgency,
            Name = "BPBD Kabupaten Hulu Sungai Utara",
            District = "Hulu Sungai Utara",
            ContactPerson = "Rahmadi",
            Phone = "0527-61234",
        };
        request.UserSubjects.Add(userSubjects);
        return await Operator.CreateRecipientAsync(request);
    }

    public async Task<Recipient> CreateRecipientAsync(string name, RecipientKind kind, params string[] userSubjects)
    {
        var request = new CreateRecipientRequest { RequestId = NewId(), Kind = kind, Name = name, District = "Hulu Sungai Utara" };
        request.UserSubjects.Add(userSubjects);
        return await Operator.CreateRecipientAsync(request);
    }

    public static CreateHandoverRequest Handover(string programmeId, string recipientId, int units, string product = MaskProduct) => new()
    {
        RequestId = NewId(),
        ProgrammeId = programmeId,
        ProductCode = product,
        ProductName = "Masker kain 3 lapis sasirangan",
        ProgrammeTitle = "Bimtek pembuatan masker kain 3 lapis berbasis sasirangan",
        Units = units,
        RecipientId = recipientId,
        Day = new Google.Type.Date { Year = 2020, Month = 5, Day = 28 },
        Place = "Kantor Disperindagkop-UKM HSU, Amuntai",
        Giver = new Signatory { Name = "Drs. H. Ahmad Fauzi", Position = "Kepala Dinas" },
        Receiver = new Signatory { Name = "Budi Santoso", Position = "Kepala Pelaksana BPBD" },
    };

    public static RecordOnwardDeliveryRequest Onward(string recipientId, string programmeId, int units, string product = MaskProduct) => new()
    {
        RequestId = NewId(),
        RecipientId = recipientId,
        ProgrammeId = programmeId,
        ProductCode = product,
        Place = "Desa Sungai Karias",
        Day = new Google.Type.Date { Year = 2020, Month = 5, Day = 29 },
        Units = units,
        Households = units / 2,
    };

    public async Task<FinishedGoods?> GoodsAsync(string programmeId, string product = MaskProduct)
    {
        var list = await Operator.ListFinishedGoodsAsync(new ListFinishedGoodsRequest { ProgrammeId = programmeId, ProductCode = product });
        return list.FinishedGoods.SingleOrDefault();
    }

    public static async Task<RpcException> FailsAsync(StatusCode code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == error.StatusCode, $"Expected {code} but got {error.StatusCode}: {error.Status.Detail}");
        return error;
    }

    public static string Reason(RpcException error) => error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason ?? "";

    public static IReadOnlySet<string> Fields(RpcException error) =>
        error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToHashSet() ?? [];

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _database.Dispose();
    }
}
