using System.Text.Json.Nodes;
using Bimtek.Gateway.Errors;
using Bimtek.Gateway.Security;
using Bimtek.ServiceDefaults.Errors;
using static Bimtek.Gateway.OpenApi.DocumentJson;

namespace Bimtek.Gateway.OpenApi;

/// <summary>
/// Production's two photo routes, which are plain HTTP (raw image bytes, not transcoded JSON) and so have no http rule
/// in protos/: <c>POST /api/v1/programmes/{programme_id}/photos</c> and <c>GET /api/v1/photos/{photo_id}</c>. The
/// gateway routes them (<c>production-photo-upload</c>, <c>production-photos</c> in appsettings.json, policy
/// <c>production-api</c>); what they answer is production's <c>Api/PhotoEndpoints.cs</c> and its README. Each
/// operation carries <c>x-plain-http: true</c>, so tools that pair operations with http rules can tell them apart.
/// </summary>
public static class PhotoOperations
{
    public const string UploadPath = "/api/v1/programmes/{programme_id}/photos";
    public const string ReadPath = "/api/v1/photos/{photo_id}";
    public const string PlainHttpExtension = "x-plain-http";
    public const string UploadedPhotoSchema = "bimtek.production.photos.UploadedPhoto";

    /// <summary>What the upload accepts (sniffed from the bytes too: the declared type must match them).</summary>
    public static readonly string[] ImageTypes = ["image/jpeg", "image/png", "image/webp"];

    /// <summary>How many operations this adds to the document.</summary>
    public const int Count = 2;

    private const string Service = "production";
    private const string Policy = GatewayPolicies.Production;

    public static void AddTo(JsonObject paths, SchemaCatalog schemas)
    {
        paths[UploadPath] = new JsonObject { ["post"] = Upload() };
        paths[ReadPath] = new JsonObject { ["get"] = Read() };
        schemas.Add(UploadedPhotoSchema, UploadedPhoto());
    }

    private static JsonObject Upload()
    {
        var body = new JsonObject();
        foreach (var type in ImageTypes)
        {
            body[type] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } };
        }
        var responses = new JsonObject
        {
            ["201"] = new JsonObject
            {
                ["description"] = "Stored: the display version's type, size and length, and where to read both versions. The same requestId "
                    + "with the same upload again gets the same answer (201), without storing anything twice.",
                ["headers"] = new JsonObject
                {
                    ["Location"] = new JsonObject
                    {
                        ["description"] = "The photo's URL (/api/v1/photos/{photo_id}).",
                        ["schema"] = new JsonObject { ["type"] = "string" },
                    },
                },
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(UploadedPhotoSchema) } },
            },
            ["400"] = ErrorResponses.Response("The query is invalid (a reason per field violation in google.rpc.BadRequest), the requestId "
                + "was used for another upload, or the image cannot be decoded.",
                [ErrorReasons.InvalidFields, ErrorReasons.MalformedRequestId, ErrorReasons.MalformedId, ErrorReasons.InvalidValue,
                    ErrorReasons.RequestIdReused, "PHOTO_UNREADABLE"]),
        };
        AddCommon(responses, "The caller may not upload for this programme or trainee (a trainee only for themselves; an integrator never).");
        responses["413"] = ErrorResponses.Response("The image is larger than 10 MiB (the gateway refuses the body before forwarding it) or "
            + "decodes into more than 50 megapixels.", [GatewayErrors.RequestTooLarge, "PHOTO_TOO_LARGE", "PHOTO_DIMENSIONS_TOO_LARGE"]);
        responses["415"] = ErrorResponses.Response("The Content-Type is not image/jpeg, image/png or image/webp, or the bytes are not what "
            + "it says.", ["PHOTO_TYPE_NOT_SUPPORTED", "PHOTO_CONTENT_TYPE_MISMATCH"]);
        return Operation("UploadPhoto",
            "Uploads a photo of a programme's work (a trainee's output, an inspection at the home): the raw image as the body",
            "Uploads a photo of a programme's work (a trainee's output, an inspection at the home): the raw image as the body, not JSON. "
            + "Only re-encoded pixels are kept — a display version (long edge ≤ 1280 px) and a thumbnail (≤ 320 px) — so no EXIF, GPS, "
            + "XMP or comment of the phone's file survives. Reports and inspections then name the photo by its photoId (photoIds). "
            + "Nothing is stored for a refused upload.",
            [
                PathId("programme_id", "The programme the photo belongs to."),
                Query("requestId", "Idempotency key: client-chosen UUID (the same upload with the same id answers the same).", required: true,
                    new JsonObject { ["type"] = "string", ["format"] = "uuid" }),
                Query("traineeId", "The trainee whose work it shows; a trainee's own upload is theirs without it, staff name the trainee "
                    + "(omitted: a staff photo of the programme, readable by staff only).", required: false,
                    new JsonObject { ["type"] = "string", ["format"] = "uuid" }),
            ],
            new JsonObject
            {
                ["required"] = true,
                ["description"] = "The image bytes as the camera or the app made them (at most 10 MiB).",
                ["content"] = body,
            },
            responses);
    }

    private static JsonObject Read()
    {
        var image = new JsonObject();
        foreach (var type in ImageTypes)
        {
            image[type] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } };
        }
        var responses = new JsonObject
        {
            ["200"] = new JsonObject
            {
                ["description"] = "The image (Cache-Control: private; X-Content-Type-Options: nosniff; an ETag).",
                ["headers"] = new JsonObject
                {
                    ["ETag"] = new JsonObject
                    {
                        ["description"] = "The version's tag; send it as If-None-Match to get 304.",
                        ["schema"] = new JsonObject { ["type"] = "string" },
                    },
                },
                ["content"] = image,
            },
            ["304"] = new JsonObject { ["description"] = "Not modified: the If-None-Match tag is this version's." },
            ["400"] = ErrorResponses.Response("The photo id is not a UUID or the query has something other than size=display|thumb.",
                [ErrorReasons.InvalidFields, ErrorReasons.MalformedId, ErrorReasons.InvalidValue]),
        };
        AddCommon(responses, "The caller may not read the reports of the photo's trainee (a trainee asking for any photo not theirs, "
            + "known or not, gets 403).");
        return Operation("GetPhoto",
            "Returns a photo: its display version, or its thumbnail with size=thumb",
            "Returns a photo: its display version, or its thumbnail with size=thumb. Readable by whoever may read the reports of the "
            + "photo's trainee (the trainee, the programme's staff, operators); a staff photo without a trainee by staff only.",
            [
                PathId("photo_id", "The photo (photoId of the upload's answer)."),
                Query("size", "display (default) or thumb.", required: false,
                    new JsonObject { ["type"] = "string", ["enum"] = new JsonArray { "display", "thumb" } }),
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
            responses);
    }

    internal static JsonObject Operation(string operationId, string summary, string description, JsonArray parameters, JsonObject? requestBody,
        JsonObject responses, string bytes = "raw image bytes")
    {
        var roles = new JsonArray([.. GatewayPolicies.RolesByPolicy[Policy].Select(r => (JsonNode)r)]);
        var operation = new JsonObject
        {
            ["tags"] = new JsonArray { Service },
            ["operationId"] = operationId,
            ["summary"] = summary,
            ["description"] = $"{description}\n\nCallers: {string.Join(", ", GatewayPolicies.RolesByPolicy[Policy])} "
                + $"(gateway policy `{Policy}`; the service narrows further per record).\n\nPlain HTTP (no gRPC method): {bytes}.",
            ["security"] = new JsonArray { new JsonObject { ["ApiKey"] = new JsonArray() }, new JsonObject { ["Bearer"] = new JsonArray() } },
            ["x-roles"] = roles,
            [PlainHttpExtension] = true,
            ["parameters"] = parameters,
        };
        if (requestBody is not null)
        {
            operation["requestBody"] = requestBody;
        }
        operation["responses"] = responses;
        return operation;
    }

    /// <summary>The statuses every route of the gateway can answer (as <see cref="ErrorResponses.AddTo"/> lists them).</summary>
    internal static void AddCommon(JsonObject responses, string forbidden, string notFound = "The programme or photo does not exist (staff; a trainee gets 403).")
    {
        responses["401"] = ErrorResponses.Response("No valid API key or bearer token.", [GatewayErrors.Unauthenticated]);
        responses["403"] = ErrorResponses.Response(forbidden, [GatewayErrors.PermissionDenied]);
        responses["404"] = ErrorResponses.Response(notFound, [GatewayErrors.NotFound]);
        responses["405"] = ErrorResponses.Response("The path exists but not with this HTTP method.", [GatewayErrors.MethodNotAllowed]);
        responses["429"] = ErrorResponses.Response("Too many requests from this client: wait for Retry-After (also in google.rpc.RetryInfo).",
            [GatewayErrors.RateLimited]);
        responses["500"] = ErrorResponses.Response("An unexpected failure; the request can be retried with the same requestId.", [ErrorReasons.Internal]);
        responses["503"] = ErrorResponses.Response("Production (or one it depends on) is unavailable: retry after Retry-After.", [GatewayErrors.Unavailable]);
        responses["504"] = ErrorResponses.Response("Production did not answer in time: retry with the same requestId.", [GatewayErrors.Timeout]);
    }

    internal static JsonObject PathId(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["required"] = true,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
    };

    internal static JsonObject Query(string name, string description, bool required, JsonObject schema) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = required,
        ["description"] = description,
        ["schema"] = schema,
    };

    private static JsonObject UploadedPhoto()
    {
        static JsonObject Text(string description, string? format = null) => new()
        {
            ["type"] = "string",
            ["format"] = format,
            ["description"] = description,
            ["readOnly"] = true,
        };
        static JsonObject Number(string description) => new()
        {
            ["type"] = "integer",
            ["format"] = "int64",
            ["description"] = description,
            ["readOnly"] = true,
        };
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "A stored photo (the answer to an upload): what reports and inspections name in photoIds.",
            ["required"] = new JsonArray { "photoId", "programmeId", "contentType", "width", "height", "bytes", "url", "thumbnailUrl" },
            ["properties"] = new JsonObject
            {
                ["photoId"] = Text("The photo's id.", "uuid"),
                ["programmeId"] = Text("The programme.", "uuid"),
                ["traineeId"] = Text("The trainee whose work it shows; empty for a staff photo of the programme."),
                ["contentType"] = new JsonObject
                {
                    ["type"] = "string",
                    ["enum"] = new JsonArray([.. ImageTypes.Select(t => (JsonNode)t)]),
                    ["description"] = "The display version's type.",
                    ["readOnly"] = true,
                },
                ["width"] = Number("The display version's width in pixels."),
                ["height"] = Number("The display version's height in pixels."),
                ["bytes"] = Number("The display version's length in bytes."),
                ["url"] = Text("Where to read the display version (/api/v1/photos/{photo_id})."),
                ["thumbnailUrl"] = Text("Where to read the thumbnail (/api/v1/photos/{photo_id}?size=thumb)."),
            },
            ["additionalProperties"] = false,
        };
    }
}
