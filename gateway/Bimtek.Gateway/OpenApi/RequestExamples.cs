using System.Text.Json.Nodes;
using Google.Api;
using Google.Protobuf.Reflection;

namespace Bimtek.Gateway.OpenApi;

/// <summary>
/// An example for every request body, filled from the seed's first programme (3-layer sasirangan cloth masks,
/// 18–20 May 2020, five teenage trainees, 500 masks handed over to BPBD Hulu Sungai Utara): known fields get the
/// seed's words and figures, the rest a valid value of their type. Output-only fields and fields bound to the path
/// are left out; of a oneof only the first member is set.
/// </summary>
public static class RequestExamples
{
    private static readonly Dictionary<string, JsonNode> _text = new(StringComparer.Ordinal)
    {
        ["title"] = "Bimtek pembuatan masker kain 3 lapis berbasis sasirangan",
        ["programme_title"] = "Bimtek pembuatan masker kain 3 lapis berbasis sasirangan",
        ["code"] = "BIMTEK-MASKER-2020",
        ["product_code"] = "MASK-SASIRANGAN-3PLY",
        ["product_name"] = "Masker kain 3 lapis sasirangan",
        ["material_code"] = "KAIN-SASIRANGAN",
        ["name"] = "Ahmad Rizky",
        ["trainee_name"] = "Ahmad Rizky",
        ["guardian_name"] = "Hj. Siti Aminah",
        ["village"] = "Sungai Karias",
        ["district"] = "Hulu Sungai Utara",
        ["province"] = "Kalimantan Selatan",
        ["address"] = "Jl. Basuki Rahmat, Amuntai",
        ["organisation"] = "Disperindagkop-UKM HSU",
        ["recipient_name"] = "BPBD Kabupaten Hulu Sungai Utara",
        ["contact_person"] = "Kepala Pelaksana BPBD",
        ["position"] = "Kepala Dinas",
        ["place"] = "Amuntai",
        ["note"] = "Kualitas cukup baik",
        ["notes"] = "Kualitas cukup baik",
        ["outcome_notes"] = "Menjahit tiga lapis sudah benar setelah kunjungan",
        ["reason"] = "Peserta belum bisa menjahit tiga lapis",
        ["description"] = "Menjahit tiga lapis",
        ["label"] = "Jahitan terbuka",
        ["label_en"] = "Open seam",
        ["defect_code"] = "SEAM_OPEN",
        ["unit_name"] = "lembar",
        ["video_url"] = "https://video.bimtek.example/masker/menjahit-tiga-lapis.mp4",
        ["photo_url"] = "https://video.bimtek.example/masker/hasil.jpg",
        ["phone"] = "+62 812 5000 2020",
        ["time_zone"] = "Asia/Makassar",
        ["subject"] = "ahmad.rizky",
        ["lot_code"] = "KALSEL-2020-05",
        ["supplier_document_number"] = "BAST/DISPERIN-KALSEL/2020/05/018",
    };

    private static readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal)
    {
        ["capacity"] = 5,
        ["target_quantity"] = 500,
        ["birth_year"] = 2004,
        ["units"] = 100,
        ["quota"] = 100,
        ["quantity"] = 500,
        ["quantity_per_unit"] = 1,
        ["quantity_delta"] = 10,
        ["duration_seconds"] = 600,
        ["furthest_position_seconds"] = 600,
        ["percent"] = 100,
        ["page_size"] = 50,
        ["version"] = 1,
        ["revision"] = 1,
        ["position"] = 1,
        ["enrolment_sequence"] = 1,
        ["waste_per_mille"] = 50,
    };

    private static readonly string[] _organisers = ["Disperindagkop-UKM HSU", "Dinas Perindustrian Provinsi Kalsel"];

    /// <summary>The request body's example: the whole message without path fields, or the named field's value.</summary>
    public static JsonNode For(MessageDescriptor input, string body, IReadOnlySet<string> pathFields)
    {
        if (body != "*")
        {
            return input.FindFieldByName(body) is { } field ? Value(field, 0) : new JsonObject();
        }
        return Message(input, 0, pathFields);
    }

    private static JsonObject Message(MessageDescriptor message, int depth, IReadOnlySet<string>? skip = null)
    {
        var result = new JsonObject();
        var oneofsSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            if (skip?.Contains(field.Name) == true || SchemaCatalog.Has(field, FieldBehavior.OutputOnly)
                || field.Name is "page_token" or "update_mask" || depth > 3)
            {
                continue;
            }
            if (field.RealContainingOneof is { } oneof && !oneofsSeen.Add(oneof.Name))
            {
                continue;
            }
            result[field.JsonName] = Value(field, depth);
        }
        return result;
    }

    private static JsonNode Value(FieldDescriptor field, int depth)
    {
        if (field.IsMap)
        {
            return new JsonObject();
        }
        if (field.IsRepeated)
        {
            return field.Name == "organisers"
                ? new JsonArray([.. _organisers.Select(o => (JsonNode)o)])
                : new JsonArray(Single(field, depth));
        }
        return Single(field, depth);
    }

    private static JsonNode Single(FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.String when field.Name.EndsWith("_id", StringComparison.Ordinal) => Uuid(field.Name),
        FieldType.String => _text.GetValueOrDefault(field.Name)?.DeepClone() ?? "Disperindagkop-UKM HSU",
        FieldType.Bool => true,
        FieldType.Double or FieldType.Float => 1.0,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 or FieldType.UInt32 or FieldType.Fixed32
            or FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.UInt64 or FieldType.Fixed64 =>
            _numbers.GetValueOrDefault(field.Name, 1),
        FieldType.Bytes => "AA==",
        FieldType.Enum => (field.EnumType.Values.FirstOrDefault(v => v.Number != 0) ?? field.EnumType.Values[0]).Name,
        _ => WellKnown(field) ?? Message(field.MessageType, depth + 1),
    };

    private static JsonNode? WellKnown(FieldDescriptor field) => field.MessageType.FullName switch
    {
        "google.type.Date" => new JsonObject
        {
            ["year"] = 2020,
            ["month"] = 5,
            ["day"] = field.Name.StartsWith("end", StringComparison.Ordinal) ? 20 : field.Name.Contains("handover", StringComparison.Ordinal) ? 28 : 18,
        },
        "google.type.TimeOfDay" => new JsonObject { ["hours"] = 9, ["minutes"] = 0 },
        "google.protobuf.Timestamp" => "2020-05-18T01:00:00Z",
        "google.protobuf.Duration" => "600s",
        "google.protobuf.FieldMask" => "title",
        "google.protobuf.StringValue" => "Kualitas cukup baik",
        "google.protobuf.Int32Value" or "google.protobuf.Int64Value" or "google.protobuf.UInt32Value" => 1,
        "google.protobuf.BoolValue" => true,
        _ => null,
    };

    /// <summary>A stable UUID per field name, so the document is the same on every build.</summary>
    private static string Uuid(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("bimtek-example:" + name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
