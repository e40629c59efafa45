using Bimtek.Identity.Application;
using Bimtek.Identity.V1;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;

namespace Bimtek.Identity.Api;

internal static class ProtoMapping
{
    public static SignInCode ToSignInCode(string subject, string code, DateTimeOffset expiresAt, string url) => new()
    {
        Subject = subject,
        Code = code,
        ExpiresAt = Instants.ToTimestamp(expiresAt),
        SignInUrl = url,
        QrPng = ByteString.CopyFrom(QrCards.Png(url)),
    };

    public static Invitation ToInvitation(string subject, string url, DateTimeOffset expiresAt) => new()
    {
        Subject = subject,
        Url = url,
        ExpiresAt = Instants.ToTimestamp(expiresAt),
    };

    public static ApplyAccountChangeResponse ToProto(AccountState account) => new() { Subject = account.Subject, Active = account.Active };
}
