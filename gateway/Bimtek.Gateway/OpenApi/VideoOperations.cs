using System.Text.Json.Nodes;
using Bimtek.Gateway.Errors;
using Bimtek.ServiceDefaults.Errors;
using static Bimtek.Gateway.OpenApi.DocumentJson;

namespace Bimtek.Gateway.OpenApi;

/// <summary>
/// Production's two lesson video routes, plain HTTP like the photos' (raw video bytes; a player reads them by byte
/// range): <c>POST /api/v1/programmes/{programme_id}/videos</c> and <c>GET /api/v1/videos/{video_id}</c>. The gateway
/// routes them (<c>production-video-upload</c>, <c>production-videos</c> in appsettings.json, policy
/// <c>production-api</c>); what they answer is production's <c>Api/VideoEndpoints.cs</c> and its README. Each operation
/// carries <c>x-plain-http: true</c>.
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

    private static JsonObject Binary(IEnumerable<string> types)
    {
        var content = new JsonObject();
        foreach (var type in types)
        {
            content[type] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } };
        }
        return content;
    }

    private static JsonObject Upload()
    {
        var responses = new JsonObject
        {
            ["201"] = new JsonObject
            {
                ["description"] = "Stored as sent: its type, length and url, which a lesson names as its videoUrl. The same requestId with "
                    + "the same upload again gets the same answer (201), without storing anything twice.",
                ["headers"] = new JsonObject
                {
                    ["Location"] = new JsonObject
                    {
                        ["description"] = "The video's URL (/api/v1/videos/{video_id}).",
                        ["schema"] = new JsonObject { ["type"] = "string" },
                    },
                },
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(UploadedVideoSchema) } },
            },
            ["400"] = ErrorResponses.Response("The query is invalid (a reason per field violation in google.rpc.BadRequest), the requestId "
                + "was used for another upload, or the body is empty.",
                [ErrorReasons.InvalidFields, ErrorReasons.MalformedRequestId, ErrorReasons.MalformedId, ErrorReasons.InvalidValue,
                    ErrorReasons.RequestIdReused, "VIDEO_UNREADABLE"]),
        };
        PhotoOperations.AddCommon(responses, "The caller may not upload lesson videos for this programme (operators of its office and its "
            + "instructors may; trainees, health experts and integrators may not).", "The programme does not exist (operators).");
        responses["413"] = ErrorResponses.Response("The video is larger than production's Videos:MaxUploadBytes (200 MiB unless configured) "
            + "or the gateway's route limit.", [GatewayErrors.RequestTooLarge, "VIDEO_TOO_LARGE"]);
        responses["415"] = ErrorResponses.Response("The Content-Type is not video/mp4 or video/webm, or the bytes are not what it says.",
            ["VIDEO_TYPE_NOT_SUPPORTED", "VIDEO_CONTENT_TYPE_MISMATCH"]);
        return PhotoOperations.Operation("UploadLessonVideo",
            "Uploads a lesson video for a programme: the raw MP4 or WebM file as the body",
            "Uploads a lesson video for a programme: the raw MP4 or WebM file as the body, not JSON. It is kept as sent (not re-encoded: "
            + "make it small for phones first). A lesson then names the answer's url as its videoUrl (AddLesson); the programme's people "
            + "watch it from the suite, and the field app can keep it for offline viewing. Nothing is stored for a refused upload.",
            [
                PhotoOperations.PathId("programme_id", "The programme the video belongs to."),
                PhotoOperations.Query("requestId", "Idempotency key: client-chosen UUID (the same upload with the same id answers the same).",
                    required: true, new JsonObject { ["type"] = "string", ["format"] = "uuid" }),
            ],
            new JsonObject
            {
                ["required"] = true,
                ["description"] = "The video file's bytes.",
                ["content"] = Binary(VideoTypes),
            },
            responses, Bytes);
    }

    private static JsonObject Read()
    {
        static JsonObject Header(string description) => new()
        {
            ["description"] = description,
            ["schema"] = new JsonObject { ["type"] = "string" },
        };
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
            ["400"] = ErrorResponses.Response("The video id is not a UUID, or the URL has a query.",
                [ErrorReasons.InvalidFields, ErrorReasons.MalformedId, ErrorReasons.InvalidValue]),
            ["416"] = ErrorResponses.Response("The Range starts at or past the video's end (Content-Range: bytes */{length}).",
                ["RANGE_NOT_SATISFIABLE"]),
        };
        PhotoOperations.AddCommon(responses, "The caller is not one of the programme's people (its active trainees, instructors and health "
            + "experts, operators of its office); a trainee asking for an unknown id gets 403 too.", "The video does not exist (operators).");
        return PhotoOperations.Operation("GetLessonVideo",
            "Returns a lesson video, whole or the byte range asked for",
            "Returns a lesson video, whole or the byte range asked for (HTTP range requests, as players make them). Readable by the "
            + "programme's people.",
            [
                PhotoOperations.PathId("video_id", "The video (videoId of the upload's answer)."),
                new JsonObject
                {
                    ["name"] = "Range",
                    ["in"] = "header",
                    ["required"] = false,
                    ["description"] = "One byte range: bytes=first-last, bytes=first- or bytes=-suffix.",
                    ["schema"] = new JsonObject { ["type"] = "string" },
                },
                new JsonObject
                {
                    ["name"] = "If-None-Match",
                    ["in"] = "header",
                    ["required"] = false,
                    ["description"] = "The ETag of a copy the caller holds.",
                    ["schema"] = new JsonObject { ["type"] = "string" },
                },
            ],
            requestBody: null,
            responses, Bytes);
    }

    private static JsonObject UploadedVideo()
    {
        static JsonObject Text(string description, string? format = null) => new()
        {
            ["type"] = "string",
            ["format"] = format,
            ["description"] = description,
            ["readOnly"] = true,
        };
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "A stored lesson video (the answer to an upload): a lesson names its url as videoUrl.",
            ["required"] = new JsonArray { "videoId", "programmeId", "contentType", "bytes", "url" },
            ["properties"] = new JsonObject
            {
                ["videoId"] = Text("The video's id.", "uuid"),
                ["programmeId"] = Text("The programme.", "uuid"),
                ["contentType"] = new JsonObject
                {
                    ["type"] = "string",
                    ["enum"] = new JsonArray([.. VideoTypes.Select(t => (JsonNode)t)]),
                    ["description"] = "The video's type.",
                    ["readOnly"] = true,
                },
                ["bytes"] = new JsonObject
                {
                    ["type"] = "integer",
                    ["format"] = "int64",
                    ["description"] = "The video's length in bytes.",
                    ["readOnly"] = true,
                },
                ["url"] = Text("Where the video is read (/api/v1/videos/{video_id}): the lesson's videoUrl."),
            },
            ["additionalProperties"] = false,
        };
    }
}
