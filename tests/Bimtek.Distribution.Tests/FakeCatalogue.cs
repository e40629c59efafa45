using System.Collections.Concurrent;
using Bimtek.Materials.V1;
using Bimtek.Participants.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.Distribution.Tests;

/// <summary>
/// Participants' GetProgramme and materials' ListProducts as distribution asks them for names: NOT_FOUND for an
/// unknown programme, an empty page for an unknown product code, UNAVAILABLE while <see cref="Down"/>.
/// </summary>
public sealed class FakeCatalogue : IAsyncDisposable
{
    private WebTestHost? _host;

    public ConcurrentDictionary<string, Programme> Programmes { get; } = new();

    public ConcurrentDictionary<string, string> Products { get; } = new();

    public bool Down { get; set; }

    public int Calls;

    public static async Task<FakeCatalogue> StartAsync()
    {
        var catalogue = new FakeCatalogue();
        catalogue._host = await WebTestHost.StartAsync(
            builder =>
            {
                builder.Services.AddGrpc();
                builder.Services.AddSingleton(catalogue);
            },
            app =>
            {
                app.MapGrpcService<FakeParticipantsService>();
                app.MapGrpcService<FakeParticipantsInternalService>();
                app.MapGrpcService<FakeMaterialsService>();
            });
        return catalogue;
    }

    public Downstream Downstream() => new Downstream().Route("participants", _host!).Route("materials", _host!);

    public Programme AddProgramme(string programmeId, string code, string title)
    {
        var programme = new Programme { ProgrammeId = programmeId, Code = code, Title = title };
        Programmes[programmeId] = programme;
        return programme;
    }

    private void Answer()
    {
        Interlocked.Increment(ref Calls);
        if (Down)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "down for the test"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private sealed class FakeParticipantsService(FakeCatalogue catalogue) : ParticipantsService.ParticipantsServiceBase
    {
        public override Task<Programme> GetProgramme(GetProgrammeRequest request, ServerCallContext context)
        {
            catalogue.Answer();
            return catalogue.Programmes.TryGetValue(request.ProgrammeId, out var programme)
                ? Task.FromResult(programme)
                : throw new RpcException(new Status(StatusCode.NotFound, $"programme '{request.ProgrammeId}' was not found"));
        }
    }

    private sealed class FakeParticipantsInternalService : ParticipantsInternalService.ParticipantsInternalServiceBase
    {
        /// <summary>The office check's question: every programme is the deployment's default office's (not counted in <see cref="Calls"/>, never down).</summary>
        public override Task<CheckEnrolmentResponse> CheckEnrolment(CheckEnrolmentRequest request, ServerCallContext context) =>
            Task.FromResult(new CheckEnrolmentResponse { ProgrammeId = request.ProgrammeId, Office = new Bimtek.ServiceDefaults.Offices.OfficeOptions().Default });
    }

    private sealed class FakeMaterialsService(FakeCatalogue catalogue) : MaterialsService.MaterialsServiceBase
    {
        public override Task<ListProductsResponse> ListProducts(ListProductsRequest request, ServerCallContext context)
        {
            catalogue.Answer();
            var response = new ListProductsResponse();
            if (catalogue.Products.TryGetValue(request.Code, out var name))
            {
                response.Products.Add(new Product { ProductId = Guid.NewGuid().ToString(), Code = request.Code, Name = name, UnitName = "unit" });
            }
            return Task.FromResult(response);
        }
    }
}
