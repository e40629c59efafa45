using Bimtek.Identity.Application;
using Bimtek.Identity.Domain;
using Bimtek.Identity.Hosting;
using Bimtek.Identity.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Bimtek.Identity.Api;

/// <summary>Thin handlers: validate, check the caller, hand over to the application layer.</summary>
internal sealed class IdentityGrpcService(
    OneTimeSecretService secrets,
    IOptions<IdentityServiceOptions> options) : IdentityService.IdentityServiceBase
{
    public override async Task<SignInCode> IssueSignInCode(IssueSignInCodeRequest request, ServerCallContext context)
    {
        new RequestValidator().RequestId(request.RequestId).Required("subject", request.Subject, 200).ThrowIfInvalid();
        string Link(string subject, string code) => Links.Absolute(options.Value, context.GetHttpContext(),
            $"/account/code?u={Uri.EscapeDataString(subject)}&c={Uri.EscapeDataString(code)}");
        var (account, code, expiresAt) = await secrets.IssueCodeAsync(context.GetCaller(), request.RequestId, request.Subject, request.Send, context.CancellationToken, Link);
        var url = Link(account.Subject, code);
        return ProtoMapping.ToSignInCode(account.Subject, code, expiresAt, url);
    }

    public override async Task<Invitation> IssueInvitation(IssueInvitationRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator().RequestId(request.RequestId).Required("subject", request.Subject, 200)
            .Defined("role", request.Role, allowUnspecified: true)
            .Optional("email", request.Email, 200)
            .Optional("phone", request.Phone, 32)
            .Optional("office", request.Office, 100);
        if (request.Role != AccountRole.Unspecified)
        {
            validator.Required("name", request.Name, 200)
                .When(request.Role is not (AccountRole.Operator or AccountRole.Instructor or AccountRole.HealthExpert), "role",
                    "must be operator, instructor or health expert: trainees' and recipients' users' accounts come from participants and distribution")
                .When(string.IsNullOrWhiteSpace(request.Email) && string.IsNullOrWhiteSpace(request.Phone), "email", "or phone is required to sign in with");
        }
        validator.ThrowIfInvalid();
        string Link(string subject, string token) => Links.Absolute(options.Value, context.GetHttpContext(),
            $"/account/invitation?u={Uri.EscapeDataString(subject)}&t={Uri.EscapeDataString(token)}");
        var newAccount = request.Role == AccountRole.Unspecified ? null
            : new NewStaffAccount(AccountRoles.ToRole(request.Role)!, request.Name, request.Email, request.Phone, request.Office);
        var (account, token, expiresAt) = await secrets.IssueInvitationAsync(
            context.GetCaller(), request.RequestId, request.Subject, context.CancellationToken, Link, newAccount);
        var url = Link(account.Subject, token);
        return ProtoMapping.ToInvitation(account.Subject, url, expiresAt);
    }
}

/// <summary>Absolute links to this service's pages, based on the configured issuer (as browsers reach it).</summary>
internal static class Links
{
    public static string Absolute(IdentityServiceOptions options, HttpContext http, string pathAndQuery)
    {
        var root = string.IsNullOrWhiteSpace(options.Issuer) ? $"{http.Request.Scheme}://{http.Request.Host}/" : options.Issuer;
        return root.TrimEnd('/') + pathAndQuery;
    }
}
