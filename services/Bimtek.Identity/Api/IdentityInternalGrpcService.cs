using Bimtek.Identity.Application;
using Bimtek.Identity.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Identity.Api;

/// <summary>
/// <c>IdentityInternalService</c> (identity_internal.proto): accounts that follow the people of participants and
/// distribution, sent by their outboxes; never routed by the gateway. Thin like <see cref="IdentityGrpcService"/>:
/// check the caller (the service role, as before), validate, hand over to <see cref="AccountChanges"/>.
/// </summary>
internal sealed class IdentityInternalGrpcService(AccountChanges changes) : IdentityInternalService.IdentityInternalServiceBase
{
    public override async Task<ApplyAccountChangeResponse> ApplyAccountChange(ApplyAccountChangeRequest request, ServerCallContext context)
    {
        Access.RequireService(context.GetCaller());
        new RequestValidator()
            .RequestId(request.RequestId)
            .Required("subject", request.Subject, 200)
            .Defined("role", request.Role)
            .Optional("name", request.Name, 200)
            .Optional("phone", request.Phone, 32)
            .Optional("email", request.Email, 200)
            .Optional("office", request.Office, 100)
            .ThrowIfInvalid();
        return ProtoMapping.ToProto(await changes.ApplyAsync(request, context.CancellationToken));
    }
}
