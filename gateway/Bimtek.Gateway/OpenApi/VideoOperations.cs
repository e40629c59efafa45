using System.Text.Json.Nodes;
using Bimtek.Gateway.Errors;
using static Bimtek.Gateway.OpenApi.BinaryRoutes;

namespace Bimtek.Gateway.OpenApi;

/// <summary>
/// Production's two lesson video routes, plain HTTP like the photos' (raw video bytes; a player reads them by byte
/// range): <c>POST /api/v1/programmes/{programme_id}/videos</c> and <c>GET /api/v1/videos/{video_id}</c>. The gateway
/// routes them (<c>production-video-upload</c>, <c>production-videos</c> in appsettings.json, policy
/// <c>production-api</c>); what they answer is production's <c>Api/VideoEndpoints.cs</c> and its README. Each operation
/// carries <c>x-plain-http: true</c> (the shape the photo and video routes share is <see cref="BinaryRoutes"/>).
/// </summary>
public static class VideoOperations
{
    public const string UploadPath = "/api/v1/programmes/{programme_id}/videos";
    public const string ReadPath = "/api/v1/videos/{video_id}";
    public const string UploadedVideoSchema = "bimtek.production.videos.UploadedVideo";

    /// <summary>What the upload accepts (sniffed from the bytes too).</summary>
    public static readonly string[] VideoTypes = ["video/mp4", "video/webm"];

    /// <summary>How many operations this adds to the document.</summary>
    public const int Count = 2;

    private const string Bytes = "raw video bytes";

    public static void AddTo(JsonObject paths, SchemaCatalog schemas)
    {
        paths[UploadPath] = new JsonObject { ["post"] = Upload() };
        paths[ReadPath] = new JsonObject { ["get"] = Read() };
        schemas.Add(UploadedVideoSchema, UploadedVideo());
    }

    private static JsonObject Upload()
    {
        var responses = new JsonObject
        {
            ["201"] = Created("Stored as sent: its type, length and url, which a lesson names as its videoUrl. The same requestId with "
                + "the same upload again gets the same answer (201), without storing anything twice.",
                "The video's URL (/api/v1/videos/{video_id}).", UploadedVideoSchema),
            ["400"] = UploadInvalid("The query is invalid (a reason per field violation in google.rpc.BadRequest), the requestId "
                + "was used for another upload, or the body is empty.", "VIDEO_UNREADABLE"),
        };
        AddCommon(responses, "The caller may not upload lesson videos for this programme (operators of its office and its "
            + "instructors may; trainees, health experts and integrators may not).", "The programme does not exist (operators).");
        responses["413"] = ErrorResponses.Response("The video is larger than production's Videos:MaxUploadBytes (200 MiB unless configured) "
            + "or the gateway's route limit.", [GatewayErrors.RequestTooLarge, "VIDEO_TOO_LARGE"]);
        responses["415"] = ErrorResponses.Response("The Content-Type is not video/mp4 or video/webm, or the bytes are not what it says.",
            ["VIDEO_TYPE_NOT_SUPPORTED", "VIDEO_CONTENT_TYPE_MISMATCH"]);
        return Operation("UploadLessonVideo",
            "Uploads a lesson video for a programme: the raw MP4 or WebM file as the body",
            "Uploads a lesson video for a programme: the raw MP4 or WebM file as the body, not JSON. It is kept as sent (not re-encoded: "
            + "make it small for phones first). A lesson then names the answer's url as its videoUrl (AddLesson); the programme's people "
            + "watch it from the suite, and the field app can keep it for offline viewing. Nothing is stored for a refused upload.",
            [
                PathId("programme_id", "The programme the video belongs to."),
                RequestId(),
            ],
            BinaryBody("The video file's bytes.", VideoTypes),
            responses, Bytes);
    }

    private static JsonObject Read()
    {
        var responses = new JsonObject
        {
            ["200"] = new JsonObject
            {
                ["description"] = "The whole video (no Range, an unsupported or multi-part Range, or an If-Range that does not match).",
                ["headers"] = new JsonObject
                {
                    ["ETag"] = Header("The video's tag (its bytes never change); send it as If-None-Match to get 304."),
                    ["Accept-Ranges"] = Header("bytes"),
                },
                ["content"] = Binary(VideoTypes),
            },
            ["206"] = new JsonObject
            {
                ["description"] = "The part the Range asked for.",
                ["headers"] = new JsonObject
                {
                    ["Content-Range"] = Header("bytes {first}-{last}/{length}"),
                    ["ETag"] = Header("The video's tag."),
                },
                ["content"] = Binary(VideoTypes),
            },
            ["304"] = new JsonObject { ["description"] = "Not modified: the If-None-Match tag is this video's." },
            ["400"] = ReadInvalid("The video id is not a UUID, or the URL has a query."),
            ["416"] = ErrorResponses.Response("The Range starts at or past the video's end (Content-Range: bytes */{length}).",
                ["RANGE_NOT_SATISFIABLE"]),
        };
        AddCommon(responses, "The caller is not one of the programme's people (its active trainees, instructors and health "
            + "experts, operators of its office); a trainee asking for an unknown id gets 403 too.", "The video does not exist (operators).");
        return Operation("GetLessonVideo",
            "Returns a lesson video, whole or the byte range asked for",
            "Returns a lesson video, whole or the byte range asked for (HTTP range requests, as players make them). Readable by the "
            + "programme's people.",
            [
                PathId("video_id", "The video (videoId of the upload's answer)."),
                HeaderParameter("Range", "One byte range: bytes=first-last, bytes=first- or bytes=-suffix."),
                IfNoneMatch(),
            ],
            requestBody: null,
            responses, Bytes);
    }

    private static JsonObject UploadedVideo() => new()
    {
        ["type"] = "object",
        ["description"] = "A stored lesson video (the answer to an upload): a lesson names its url as videoUrl.",
        ["required"] = new JsonArray { "videoId", "programmeId", "contentType", "bytes", "url" },
        ["properties"] = new JsonObject
        {
            ["videoId"] = ReadOnlyText("The video's id.", "uuid"),
            ["programmeId"] = ReadOnlyText("The programme.", "uuid"),
            ["contentType"] = ReadOnlyContentType(VideoTypes, "The video's type."),
            ["bytes"] = ReadOnlyInt64("The video's length in bytes."),
            ["url"] = ReadOnlyText("Where the video is read (/api/v1/videos/{video_id}): the lesson's videoUrl."),
        },
        ["additionalProperties"] = false,
    };
}
