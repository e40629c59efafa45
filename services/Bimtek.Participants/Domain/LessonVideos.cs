namespace Bimtek.Participants.Domain;

/// <summary>
/// Where a lesson's video may be (AddLesson's <c>video_url</c>), one of two kinds:
/// <list type="bullet">
/// <item>a video served by the suite: the same-origin path <c>/api/v1/videos/{video_id}</c> that production's upload
/// answers (exactly that: no host, query or fragment, a UUID id). Only such a video can be kept for offline viewing in
/// the field app, and only the programme's people can watch it (production checks each request);</item>
/// <item>an absolute <c>https</c> URL of a video elsewhere (checked by the request validator).</item>
/// </list>
/// </summary>
public static class LessonVideos
{
    public const string SuitePathPrefix = "/api/v1/videos/";

    /// <summary>Whether the URL is meant as a suite-served video (a path, not an absolute URL).</summary>
    public static bool IsPath(string videoUrl) => videoUrl.StartsWith('/');

    /// <summary>Whether the path is a suite-served video's: <c>/api/v1/videos/{uuid}</c> and nothing more.</summary>
    public static bool IsSuiteVideoPath(string videoUrl) =>
        videoUrl.StartsWith(SuitePathPrefix, StringComparison.Ordinal)
        && videoUrl.Length == SuitePathPrefix.Length + 36
        && Guid.TryParseExact(videoUrl[SuitePathPrefix.Length..], "D", out _);
}
