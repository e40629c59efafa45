using System.Text;

namespace Bimtek.BadInput.Tests.Sweep;

/// <summary>One bad request: which route, what is wrong with it, and the request itself.</summary>
public sealed record BadCase(Route Route, string Name, string Url, byte[]? Body)
{
    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(new HttpMethod(Route.Verb.ToUpperInvariant()), Url);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }
        return request;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
