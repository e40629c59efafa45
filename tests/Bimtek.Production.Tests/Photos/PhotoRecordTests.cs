using System.Net.Http.Headers;
using System.Text.Json;
using Bimtek.Production.Tests.Fakes;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Google.Rpc;
using Grpc.Core;
using static Bimtek.Production.Tests.Scenario;

namespace Bimtek.Production.Tests.Photos;

/// <summary>Reports, inspections and sign-offs hold photo ids: checked against the programme and trainee, stored, shown.</summary>
public sealed class PhotoRecordTests
{
    [Theory, BothDatabases]
    public async Task Reports_inspections_and_sign_offs_hold_only_photos_of_their_programme_and_trainee(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-photo-records");
        await using var fakes = await FakeSuite.StartAsync();
        var p = PpeProgramme(fakes);
        var other = MaskProgramme(fakes, trainees: 1);
        var media = Path.Combine(Path.GetTempPath(), "bimtek-tests", $"media-{Guid.NewGuid():N}");
        await using var host = StartProduction(db, fakes, configuration: new Dictionary<string, string?> { ["Photos:Directory"] = media });
        var (siti, rahmat) = (p.Trainees[0], p.Trainees[1]);
        var day = new DateOnly(2020, 6, 3);

        var sitiPhoto = await UploadAsync(host, siti, Roles.Trainee, p.Id);
        var rahmatPhoto = await UploadAsync(host, rahmat, Roles.Trainee, p.Id);
        var strangerPhoto = await UploadAsync(host, other.Trainees[0], Roles.Trainee, other.Id);
        var staffPhoto = await UploadAsync(host, p.Instructor, Roles.Instructor, p.Id);
        var visitPhoto = await UploadAsync(host, p.Instructor, Roles.Instructor, p.Id, traineeId: siti.Id);
        var signOffPhoto = await UploadAsync(host, p.HealthExpert, Roles.HealthExpert, p.Id, traineeId: siti.Id);

        // A trainee's report takes their own photos only.
        foreach (var (photo, reason) in new[]
        {
            (rahmatPhoto, "PHOTO_NOT_OF_TRAINEE"),
            (staffPhoto, "PHOTO_NOT_OF_TRAINEE"),
            (strangerPhoto, "PHOTO_NOT_OF_PROGRAMME"),
            (Guid.NewGuid().ToString(), "PHOTO_NOT_OF_PROGRAMME"),
        })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() =>
                host.AsTrainee(siti).ReportOutputAsync(WithPhotos(Report(p, siti, day, 9), photo)).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            Assert.Equal(reason, refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
            Assert.Equal("photo_ids[0]", Assert.Single(refused.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
        }
        var request = WithPhotos(Report(p, siti, day, 9), sitiPhoto, visitPhoto);
        var report = await host.AsTrainee(siti).ReportOutputAsync(request);
        Assert.Equal([sitiPhoto, visitPhoto], report.PhotoIds);
        Assert.Equal(report, await host.AsTrainee(siti).ReportOutputAsync(request));
        Assert.Equal([sitiPhoto, visitPhoto], (await host.AsInstructor(p).GetOutputReportAsync(new GetOutputReportRequest { ReportId = report.ReportId })).PhotoIds);
        var listed = await host.AsTrainee(siti).ListOutputReportsAsync(new ListOutputReportsRequest { ProgrammeId = p.Id, TraineeId = siti.Id });
        Assert.Equal([sitiPhoto, visitPhoto], Assert.Single(listed.OutputReports).PhotoIds);
        var twice = await Assert.ThrowsAsync<RpcException>(() =>
            host.AsTrainee(siti).ReportOutputAsync(WithPhotos(Report(p, siti, day, 1), sitiPhoto, sitiPhoto)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, twice.StatusCode);

        // The inspection at the home: the instructor's photos of this trainee's work or of no trainee, not another trainee's.
        var inspect = new InspectOutputRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProgrammeId = p.Id,
            TraineeId = siti.Id,
            ReportIds = { report.ReportId },
            AcceptedUnits = 9,
        };
        inspect.PhotoIds.Add(rahmatPhoto);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => host.AsInstructor(p).InspectOutputAsync(inspect).ResponseAsync);
        Assert.Equal("PHOTO_NOT_OF_TRAINEE", wrong.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        inspect.RequestId = Guid.NewGuid().ToString();
        inspect.PhotoIds.Clear();
        inspect.PhotoIds.Add([visitPhoto, staffPhoto]);
        var inspection = await host.AsInstructor(p).InspectOutputAsync(inspect);
        Assert.Equal([visitPhoto, staffPhoto], inspection.PhotoIds);

        // The health expert's sign-off keeps its own photos beside the inspection's.
        var signOff = new SignOffInspectionRequest { RequestId = Guid.NewGuid().ToString(), InspectionId = inspection.InspectionId, AcceptedUnits = 9 };
        signOff.PhotoIds.Add(signOffPhoto);
        var signed = await host.AsHealthExpert(p).SignOffInspectionAsync(signOff);
        Assert.Equal([signOffPhoto], signed.SignOff.PhotoIds);
        var read = await host.AsTrainee(siti).GetInspectionAsync(new GetInspectionRequest { InspectionId = inspection.InspectionId });
        Assert.Equal([visitPhoto, staffPhoto], read.PhotoIds);
        Assert.Equal([signOffPhoto], read.SignOff.PhotoIds);
        if (Directory.Exists(media))
        {
            Directory.Delete(media, recursive: true);
        }
    }

    private static ReportOutputRequest WithPhotos(ReportOutputRequest request, params string[] photoIds)
    {
        request.PhotoUrl = "";
        request.PhotoIds.Add(photoIds);
        return request;
    }

    private static async Task<string> UploadAsync(TestHost host, Person person, string role, string programmeId, string? traineeId = null)
    {
        using var client = host.CreateHttpClient(TestTokens.Mint(person.Subject, role));
        var content = new ByteArrayContent(TestImages.WithGps("image/jpeg"));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var response = await client.PostAsync(
            $"/api/v1/programmes/{programmeId}/photos?requestId={Guid.NewGuid()}" + (traineeId is null ? "" : $"&traineeId={traineeId}"), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("photoId").GetString()!;
    }
}
