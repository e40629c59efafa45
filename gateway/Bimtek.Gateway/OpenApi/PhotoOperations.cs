using System.Text.Json.Nodes;
using Bimtek.Gateway.Errors;
using static Bimtek.Gateway.OpenApi.BinaryRoutes;

namespace Bimtek.Gateway.OpenApi;

/// <summary>
/// Production's two photo routes, which are plain HTTP (raw image bytes, not transcoded JSON) and so have no http rule
/// in protos/: <c>POST /api/v1/programmes/{programme_id}/photos</c> and <c>GET /api/v1/photos/{photo_id}</c>. The
/// gateway routes them (<c>production-photo-upload</c>, <c>production-photos</c> in appsettings.json, policy
/// <c>production-api</c>); what they answer is production's <c>Api/PhotoEndpoints.cs</c> and its README. Each
/// operation carries <c>x-plain-http: true</c>, so tools that pair operations with http rules can tell them apart
/// (the shape the photo and video routes share is <see cref="BinaryRoutes"/>).
/// </summary>
public static class PhotoOperations
{
    public const string UploadPath = "/api/v1/programmes/{programme_id}/photos";
    public const string ReadPath = "/api/v1/photos/{photo_id}";
    public const string PlainHttpExtension = BinaryRoutes.PlainHttpExtension;
    public const string UploadedPhotoSchema = "bimtek.production.photos.UploadedPhoto";

    /// <summary>What the upload accepts (sniffed from the bytes too: the declared type must match them).</summary>
    public static readonly string[] ImageTypes = ["image/jpeg", "image/png", "image/webp"];

    /// <summary>How many operations this adds to the document.</summary>
    public const int Count = 2;

    private const string Bytes = "raw image bytes";
    private const string NotFound = "The programme or photo does not exist (staff; a trainee gets 403).";

    public static void AddTo(JsonObject paths, SchemaCatalog schemas)
    {
        paths[UploadPath] = new JsonObject { ["post"] = Upload() };
        paths[ReadPath] = new JsonObject { ["get"] = Read() };
        schemas.Add(UploadedPhotoSchema, UploadedPhoto());
    }

    private static JsonObject Upload()
    {
        var responses = new JsonObject
        {
            ["201"] = Created("Stored: the display version's type, size and length, and where to read both versions. The same requestId "
                + "with the same upload again gets the same answer (201), without storing anything twice.",
                "The photo's URL (/api/v1/photos/{photo_id}).", UploadedPhotoSchema),
            ["400"] = UploadInvalid("The query is invalid (a reason per field violation in google.rpc.BadRequest), the requestId "
                + "was used for another upload, or the image cannot be decoded.", "PHOTO_UNREADABLE"),
        };
        AddCommon(responses, "The caller may not upload for this programme or trainee (a trainee only for themselves; an integrator never).",
            NotFound);
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
                RequestId(),
                Query("traineeId", "The trainee whose work it shows; a trainee's own upload is theirs without it, staff name the trainee "
                    + "(omitted: a staff photo of the programme, readable by staff only).", required: false,
                    new JsonObject { ["type"] = "string", ["format"] = "uuid" }),
            ],
            BinaryBody("The image bytes as the camera or the app made them (at most 10 MiB).", ImageTypes),
            responses, Bytes);
    }

    private static JsonObject Read()
    {
        var responses = new JsonObject
        {
            ["200"] = new JsonObject
            {
                ["description"] = "The image (Cache-Control: private; X-Content-Type-Options: nosniff; an ETag).",
                ["headers"] = new JsonObject { ["ETag"] = Header("The version's tag; send it as If-None-Match to get 304.") },
                ["content"] = Binary(ImageTypes),
            },
            ["304"] = new JsonObject { ["description"] = "Not modified: the If-None-Match tag is this version's." },
            ["400"] = ReadInvalid("The photo id is not a UUID or the query has something other than size=display|thumb."),
        };
        AddCommon(responses, "The caller may not read the reports of the photo's trainee (a trainee asking for any photo not theirs, "
            + "known or not, gets 403).", NotFound);
        return Operation("GetPhoto",
            "Returns a photo: its display version, or its thumbnail with size=thumb",
            "Returns a photo: its display version, or its thumbnail with size=thumb. Readable by whoever may read the reports of the "
            + "photo's trainee (the trainee, the programme's staff, operators); a staff photo without a trainee by staff only.",
            [
                PathId("photo_id", "The photo (photoId of the upload's answer)."),
                Query("size", "display (default) or thumb.", required: false,
                    new JsonObject { ["type"] = "string", ["enum"] = new JsonArray { "display", "thumb" } }),
                IfNoneMatch(),
            ],
            requestBody: null,
            responses, Bytes);
    }

    private static JsonObject UploadedPhoto() => new()
    {
        ["type"] = "object",
        ["description"] = "A stored photo (the answer to an upload): what reports and inspections name in photoIds.",
        ["required"] = new JsonArray { "photoId", "programmeId", "contentType", "width", "height", "bytes", "url", "thumbnailUrl" },
        ["properties"] = new JsonObject
        {
            ["photoId"] = ReadOnlyText("The photo's id.", "uuid"),
            ["programmeId"] = ReadOnlyText("The programme.", "uuid"),
            ["traineeId"] = ReadOnlyText("The trainee whose work it shows; empty for a staff photo of the programme."),
            ["contentType"] = ReadOnlyContentType(ImageTypes, "The display version's type."),
            ["width"] = ReadOnlyInt64("The display version's width in pixels."),
            ["height"] = ReadOnlyInt64("The display version's height in pixels."),
            ["bytes"] = ReadOnlyInt64("The display version's length in bytes."),
            ["url"] = ReadOnlyText("Where to read the display version (/api/v1/photos/{photo_id})."),
            ["thumbnailUrl"] = ReadOnlyText("Where to read the thumbnail (/api/v1/photos/{photo_id}?size=thumb)."),
        },
        ["additionalProperties"] = false,
    };
}
