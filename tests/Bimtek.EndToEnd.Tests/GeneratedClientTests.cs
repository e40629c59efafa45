using System.Diagnostics;
using Bimtek.EndToEnd.Tests.Generated;
using Bimtek.Suite;
using Xunit.Abstractions;
using Date = Bimtek.EndToEnd.Tests.Generated.Date;

namespace Bimtek.EndToEnd.Tests;

/// <summary>
/// The whole mask-2020 programme of the seed through the gateway with the REST client NSwag generates from the
/// gateway's OpenAPI document at build time — no hand-written DTOs, no JSON by hand: what an integrator gets from
/// <c>/openapi/v1.json</c> alone is enough to run a programme, and every answer parses into the documented types.
/// </summary>
public sealed class GeneratedClientTests(SqliteSuiteFixture fixture, ITestOutputHelper output) : IClassFixture<SqliteSuiteFixture>
{
    private const string ProductCode = "MASK-SASIRANGAN-3PLY";
    private const int Target = 500;
    private const string District = "Hulu Sungai Utara";
    private static readonly TimeSpan _waitTimeout = TimeSpan.FromSeconds(60);

    private static readonly (string Name, int BirthYear, string Village, string Guardian)[] _trainees =
    [
        ("Ahmad Rizky", 2004, "Sungai Karias", "Hj. Siti Aminah"),
        ("Nur Aulia", 2005, "Paliwara", "Rahmat Hidayat"),
        ("Muhammad Fauzan", 2003, "Murung Sari", "Hasanah"),
        ("Siti Rahmah", 2004, "Kebun Sari", "Abdul Gani"),
        ("Dinda Lestari", 2006, "Antasari", "Masliani"),
    ];

    private static readonly DateOnly[] _days = [new(2020, 5, 18), new(2020, 5, 19), new(2020, 5, 20)];

    [Fact]
    public async Task Mask_2020_runs_through_the_gateway_with_the_generated_client_only()
    {
        using var http = fixture.Suite.CreateGatewayClient();
        var api = new BimtekRestClient(http);
        var ct = new CancellationTokenSource(TimeSpan.FromMinutes(4)).Token;
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

        // Materials arrive from the province.
        var product = Assert.Single((await api.ListProductsAsync(null, null, ProductCode, ct)).Products!);
        var productId = Guid.Parse(product.ProductId!);
        var bom = product.CurrentBom!.Lines!.ToList();
        Assert.NotEmpty(bom);
        var warehouse = (await api.ListLocationsAsync(200, null, LocationKind.LOCATION_KIND_PROVINCIAL_WAREHOUSE, null, ct)).Locations!.First();
        var warehouseId = Guid.Parse(warehouse.LocationId!);
        var quotas = Enumerable.Repeat(Target / _trainees.Length, _trainees.Length).ToList();
        var receipt = await api.ReceiveStockAsync(new ReceiveStockRequest
        {
            RequestId = Guid.NewGuid(),
            LocationId = warehouseId,
            SupplierDocumentNumber = $"SPB/{suffix}/DISPERIN-KALSEL/2020",
            LotCode = $"LOT-{suffix}",
            Lines = [.. bom.Select(l => new MaterialQuantity { MaterialId = l.MaterialId, Quantity = quotas.Sum(q => KitQuantity(l, q)) })],
            Note = "Bahan baku dari Dinas Perindustrian Provinsi Kalsel",
        }, ct);
        Assert.Equal(MovementKind.MOVEMENT_KIND_RECEIPT, receipt.Kind);

        // The programme is created, staffed and given its video lessons.
        var programme = await api.CreateProgrammeAsync(new CreateProgrammeRequest
        {
            RequestId = Guid.NewGuid(),
            Code = $"BIMTEK-MASKER-2020-{suffix}",
            Title = "Bimtek pembuatan masker kain 3 lapis berbasis sasirangan",
            ProductCode = ProductCode,
            Organisers = ["Disperindagkop-UKM HSU", "Dinas Perindustrian Provinsi Kalsel"],
            District = District,
            Province = "Kalimantan Selatan",
            Mode = ProgrammeMode.PROGRAMME_MODE_ONLINE_HOME_BASED,
            StartDay = Day(_days[0]),
            EndDay = Day(_days[^1]),
            TimeZone = "Asia/Makassar",
            Capacity = _trainees.Length,
            TargetQuantity = Target,
        }, ct);
        Assert.Equal(ProgrammeStatus.PROGRAMME_STATUS_DRAFT, programme.Status);
        var programmeId = Guid.Parse(programme.ProgrammeId!);
        var instructor = await api.RegisterStaffAsync(new RegisterStaffRequest
        {
            RequestId = Guid.NewGuid(),
            Kind = StaffKind.STAFF_KIND_INSTRUCTOR,
            Name = $"Instruktur Jahit Hj. Rusmilawati ({suffix})",
            District = District,
            Organisation = "Disperindagkop-UKM HSU",
        }, ct);
        var instructorId = Guid.Parse(instructor.PersonId!);
        var staffed = await api.AssignStaffAsync(new AssignStaffRequest
        {
            RequestId = Guid.NewGuid(),
            PersonId = instructorId,
            Role = StaffRole.STAFF_ROLE_INSTRUCTOR,
        }, programmeId, ct);
        Assert.Contains(staffed.Staff!, s => s.PersonId == instructor.PersonId);
        var lessons = new List<Guid>();
        foreach (var (title, step) in new[] { ("Memotong pola kain sasirangan", "cutting"), ("Menjahit tiga lapis", "sewing layers"), ("Memasang tali telinga", "ear loops") })
        {
            var lesson = await api.AddLessonAsync(new AddLessonRequest
            {
                RequestId = Guid.NewGuid(),
                Position = lessons.Count + 1,
                Title = title,
                VideoUrl = $"https://video.bimtek.example/{programmeId}/{lessons.Count + 1}",
                DurationSeconds = 600,
                ProductStep = step,
            }, programmeId, ct);
            lessons.Add(Guid.Parse(lesson.LessonId!));
        }

        // Five teenage trainees register with their guardians' consent and enrol; the programme starts.
        var traineeIds = new List<Guid>();
        foreach (var trainee in _trainees)
        {
            var person = await api.RegisterTraineeAsync(new RegisterTraineeRequest
            {
                RequestId = Guid.NewGuid(),
                Name = $"{trainee.Name} ({suffix})",
                BirthYear = trainee.BirthYear,
                Village = trainee.Village,
                District = District,
                GuardianName = trainee.Guardian,
                GuardianConsent = true,
            }, ct);
            var traineeId = Guid.Parse(person.PersonId!);
            var enrolment = await api.EnrolAsync(new EnrolRequest { RequestId = Guid.NewGuid(), TraineeId = traineeId }, programmeId, ct);
            Assert.Equal(EnrolmentStatus.ENROLMENT_STATUS_ACTIVE, enrolment.Status);
            Assert.Equal(traineeIds.Count + 1, enrolment.Sequence);
            traineeIds.Add(traineeId);
        }
        var active = await api.ActivateProgrammeAsync(new ActivateProgrammeRequest { RequestId = Guid.NewGuid() }, programmeId, ct);
        Assert.Equal(ProgrammeStatus.PROGRAMME_STATUS_ACTIVE, active.Status);
        var progress = await WaitAsync("coordinator allocates quotas", () => api.GetProgrammeProgressAsync(programmeId, 200, null, null, null, null, ct),
            p => p.Summary?.Phase == ProgrammePhase.PROGRAMME_PHASE_ACTIVE && p.Trainees?.Sum(t => t.Quota) == Target
                && p.Trainees.Count(t => t.Status == TraineeStatus.TRAINEE_STATUS_ENROLLED) == _trainees.Length, ct);
        var quotaByTrainee = progress.Trainees!.ToDictionary(t => Guid.Parse(t.TraineeId!), t => t.Quota ?? 0);
        Assert.Equal(quotas, traineeIds.Select(id => quotaByTrainee[id]));

        // Kits are planned from the quotas and sent to the trainees' homes.
        var plan = await api.PlanKitsAsync(new PlanKitsRequest
        {
            RequestId = Guid.NewGuid(),
            ProgrammeId = programmeId,
            ProductId = productId,
            SourceLocationId = warehouseId,
            Quotas = [.. traineeIds.Select(id => new TraineeQuota { TraineeId = id, Quota = quotaByTrainee[id] })],
        }, ct);
        if (plan.Shortages is { Count: > 0 } shortages)
        {
            // Stock other programmes hold: top the warehouse up, as the office would.
            await api.ReceiveStockAsync(new ReceiveStockRequest
            {
                RequestId = Guid.NewGuid(),
                LocationId = warehouseId,
                SupplierDocumentNumber = $"SPB/{suffix}/TOPUP/2020",
                LotCode = $"LOT-{suffix}-TOPUP",
                Lines = [.. shortages.Select(s => new MaterialQuantity { MaterialId = Guid.Parse(s.MaterialId!), Quantity = s.Shortfall ?? 0 })],
                Note = "Kekurangan bahan",
            }, ct);
        }
        var dispatched = await api.DispatchKitPlanAsync(new DispatchKitPlanRequest { RequestId = Guid.NewGuid() }, Guid.Parse(plan.KitPlanId!), ct);
        Assert.Equal(_trainees.Length, dispatched.Kits!.Count);
        Assert.All(dispatched.Kits, k => Assert.Equal(KitStatus.KIT_STATUS_DISPATCHED, k.Status));

        // One trainee asks for help with a lesson and gets a home visit; everyone watches every video.
        var help = await api.OpenAssistanceRequestAsync(new OpenAssistanceRequestRequest
        {
            RequestId = Guid.NewGuid(),
            ProgrammeId = programmeId,
            TraineeId = traineeIds[2],
            LessonId = lessons[1].ToString(),
            ProductStep = "sewing layers",
            Description = "Tidak bisa mengikuti video pada langkah ini; mohon dibimbing di rumah.",
        }, ct);
        Assert.Equal(AssistanceStatus.ASSISTANCE_STATUS_OPEN, help.Status);
        var visit = await api.ScheduleHomeVisitAsync(new ScheduleHomeVisitRequest
        {
            RequestId = Guid.NewGuid(),
            InstructorId = instructorId,
            Day = Day(Bimtek.Scenarios.Scenarios.Steps.TodayInProgrammeZone()),
            WindowStart = new TimeOfDay { Hours = 9 },
            WindowEnd = new TimeOfDay { Hours = 11 },
            Address = "Desa Murung Sari RT 03, Amuntai Tengah, Hulu Sungai Utara",
        }, Guid.Parse(help.AssistanceRequestId!), ct);
        var logged = await api.LogHomeVisitOutcomeAsync(new LogHomeVisitOutcomeRequest
        {
            RequestId = Guid.NewGuid(),
            Outcome = VisitOutcome.VISIT_OUTCOME_RESOLVED,
            Notes = "Dibimbing langsung; peserta sudah bisa melanjutkan.",
        }, Guid.Parse(visit.HomeVisitId!), ct);
        Assert.Equal(VisitOutcome.VISIT_OUTCOME_RESOLVED, logged.Outcome);
        Assert.Equal(AssistanceStatus.ASSISTANCE_STATUS_RESOLVED, (await api.GetAssistanceRequestAsync(Guid.Parse(help.AssistanceRequestId!), ct)).Status);
        foreach (var trainee in traineeIds)
        {
            foreach (var lesson in lessons)
            {
                await api.RecordLessonProgressAsync(new RecordLessonProgressRequest
                {
                    RequestId = Guid.NewGuid(),
                    TraineeId = trainee,
                    FurthestPositionSeconds = 600,
                    Percent = 100,
                    ReportedAt = DateTimeOffset.UtcNow.AddSeconds(-2),
                }, lesson, ct);
            }
        }
        var watched = await api.GetProgrammeLessonProgressAsync(programmeId, 200, null, ct);
        Assert.Equal(_trainees.Length, watched.TraineesCompletedAll);

        // Output is reported day by day (30 % / 35 % / 35 % of each quota), then inspected and accepted.
        for (var d = 0; d < _days.Length; d++)
        {
            for (var t = 0; t < traineeIds.Count; t++)
            {
                var report = await api.ReportOutputAsync(new ReportOutputRequest
                {
                    RequestId = Guid.NewGuid(),
                    ProgrammeId = programmeId,
                    TraineeId = traineeIds[t],
                    ProductCode = ProductCode,
                    Day = Day(_days[d]),
                    Units = DailyUnits(quotas[t], d),
                }, ct);
                Assert.Contains(report.Status, new OutputReportStatus?[] { OutputReportStatus.OUTPUT_REPORT_STATUS_PENDING, OutputReportStatus.OUTPUT_REPORT_STATUS_RECORDED });
            }
        }
        await WaitAsync("production records output", () => api.GetProgrammeTotalsAsync(programmeId, ct),
            totals => totals.RefusedUnits == 0 && totals.ReportedUnits == Target && totals.PendingReports == 0, ct);
        for (var t = 0; t < traineeIds.Count; t++)
        {
            for (var d = 0; d < _days.Length; d++)
            {
                var inspection = await api.InspectOutputAsync(new InspectOutputRequest
                {
                    RequestId = Guid.NewGuid(),
                    ProgrammeId = programmeId,
                    TraineeId = traineeIds[t],
                    Day = Day(_days[d]),
                    AcceptedUnits = DailyUnits(quotas[t], d),
                    InspectorId = instructorId.ToString(),
                    Note = "Kualitas cukup baik",
                }, ct);
                Assert.Equal(InspectionStatus.INSPECTION_STATUS_COMPLETED, inspection.Status);
                Assert.Equal(DailyUnits(quotas[t], d), inspection.AcceptedUnits);
            }
        }
        await WaitAsync("coordinator counts accepted masks", () => api.GetProgrammeProgressAsync(programmeId, 200, null, null, null, null, ct),
            p => p.Summary?.Accepted == Target, ct);
        await WaitAsync("distribution receives accepted goods", () => api.ListFinishedGoodsAsync(200, null, programmeId.ToString(), ProductCode, null, ct),
            g => g.FinishedGoods?.SingleOrDefault() is { AvailableUnits: Target, ReceivedUnits: Target }, ct);

        // 500 masks are handed over to BPBD for the public, with the berita acara as a PDF.
        const string recipientName = "BPBD Kabupaten Hulu Sungai Utara";
        var recipients = await api.ListRecipientsAsync(200, null, RecipientKind.RECIPIENT_KIND_DISASTER_MANAGEMENT_AGENCY, null, ct);
        var recipient = recipients.Recipients?.FirstOrDefault(r => r.Name == recipientName)
            ?? await api.CreateRecipientAsync(new CreateRecipientRequest
            {
                RequestId = Guid.NewGuid(),
                Kind = RecipientKind.RECIPIENT_KIND_DISASTER_MANAGEMENT_AGENCY,
                Name = recipientName,
                District = District,
                ContactPerson = "Kepala Pelaksana",
            }, ct);
        var handover = await api.CreateHandoverAsync(new CreateHandoverRequest
        {
            RequestId = Guid.NewGuid(),
            ProgrammeId = programmeId,
            ProductCode = ProductCode,
            Units = Target,
            RecipientId = Guid.Parse(recipient.RecipientId!),
            Day = Day(new DateOnly(2020, 5, 28)),
            Place = "Kantor Disperindagkop-UKM HSU, Amuntai",
            Giver = new Signatory { Name = "Kepala Dinas Disperindagkop-UKM HSU", Position = "Kepala Dinas" },
            Receiver = new Signatory { Name = $"Kepala Pelaksana {recipientName}", Position = "Kepala Pelaksana" },
            Note = "Untuk dibagikan kepada masyarakat.",
            ProgrammeTitle = programme.Title,
            ProductName = product.Name,
        }, ct);
        Assert.Equal(HandoverStatus.HANDOVER_STATUS_ISSUED, handover.Status);
        Assert.Equal(Target, handover.Units);
        Assert.False(string.IsNullOrWhiteSpace(handover.DocumentNumber));
        using (var document = await api.GetHandoverDocumentAsync(Guid.Parse(handover.HandoverId!), ct))
        {
            using var bytes = new MemoryStream();
            await document.Stream.CopyToAsync(bytes, ct);
            Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(bytes.ToArray(), 0, 4), StringComparison.Ordinal);
            Assert.Equal("application/pdf", document.Headers["Content-Type"].Single().Split(';')[0]);
        }
        var goods = Assert.Single((await api.ListFinishedGoodsAsync(200, null, programmeId.ToString(), ProductCode, null, ct)).FinishedGoods!);
        Assert.Equal(Target, goods.HandedOverUnits);
        Assert.Equal(0, goods.AvailableUnits);

        // An error answers with the documented body, which the generated client decodes.
        var refused = await Assert.ThrowsAsync<BimtekApiException<Status>>(() => api.CreateHandoverAsync(new CreateHandoverRequest
        {
            RequestId = Guid.NewGuid(),
            ProgrammeId = programmeId,
            ProductCode = ProductCode,
            Units = 1,
            RecipientId = Guid.Parse(recipient.RecipientId!),
            Day = Day(new DateOnly(2020, 5, 29)),
            Place = "Amuntai",
            Giver = new Signatory { Name = "Kepala Dinas", Position = "Kepala Dinas" },
            Receiver = new Signatory { Name = "Kepala Pelaksana", Position = "Kepala Pelaksana" },
        }, ct));
        Assert.Equal(400, refused.StatusCode);
        Assert.Equal(9, refused.Result.Code); // FAILED_PRECONDITION
        // The ErrorInfo detail: its fields beyond @type land in the generated class's additional properties.
        Assert.Contains("NOT_ENOUGH_GOODS", Newtonsoft.Json.JsonConvert.SerializeObject(refused.Result.Details), StringComparison.Ordinal);
        output.WriteLine($"mask-2020 via the generated client: programme {programmeId}, handover {handover.DocumentNumber}");
    }

    /// <summary>Polls until <paramref name="done"/> holds (answers in between may be errors while effects travel).</summary>
    private async Task<T> WaitAsync<T>(string step, Func<Task<T>> probe, Func<T, bool> done, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var last = "";
        while (true)
        {
            try
            {
                var value = await probe();
                if (done(value))
                {
                    output.WriteLine($"{step}: after {watch.Elapsed.TotalSeconds:0.0} s");
                    return value;
                }
                last = Newtonsoft.Json.JsonConvert.SerializeObject(value);
            }
            catch (BimtekApiException exception)
            {
                last = $"HTTP {exception.StatusCode}: {exception.Response}";
            }
            Assert.True(watch.Elapsed < _waitTimeout, $"{step}: not reached in {_waitTimeout.TotalSeconds} s; last seen {last}");
            await Task.Delay(300, ct);
        }
    }

    private static Date Day(DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    /// <summary>Kit quantity of one BOM line for one trainee: per unit × quota × (1 + waste), rounded up.</summary>
    private static long KitQuantity(BomLine line, int quota) => (line.QuantityPerUnit * quota * (1000 + (line.WastePerMille ?? 0)) + 999) / 1000;

    /// <summary>30 % of the quota on day 1, the rest split over days 2 and 3 (100 → 30, 35, 35).</summary>
    private static int DailyUnits(int quota, int day)
    {
        var first = quota * 30 / 100;
        var second = (quota - first) / 2;
        return day switch { 0 => first, 1 => second, _ => quota - first - second };
    }
}
