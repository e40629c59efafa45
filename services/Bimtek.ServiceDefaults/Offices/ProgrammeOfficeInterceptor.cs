using Bimtek.ServiceDefaults.Security;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Bimtek.ServiceDefaults.Offices;

/// <summary>The office each programme belongs to, as the service knows it.</summary>
public interface IProgrammeOffices
{
    /// <summary>The programme's office (empty: the default office); null when the programme is unknown.</summary>
    ValueTask<string?> OfficeOfAsync(string programmeId, CancellationToken cancellationToken);

    /// <summary>
    /// True when the service checks unknown programmes itself before acting (production): an unknown programme is then
    /// left to the handler. False for participants, which owns programmes, and for the services that only learn
    /// programmes' offices (materials, distribution, the coordinator): an unknown programme is refused to an
    /// office-scoped caller with the same answer as another office's, so the refusal tells nothing about which
    /// programmes exist.
    /// </summary>
    bool AnswersForUnknownProgrammes => true;
}

/// <summary>
/// The office check of every RPC that names a programme: when the request has a <c>programme_id</c> (or
/// <c>programme_ids</c>) field and the caller is office-scoped (<see cref="Caller.IsOfficeScoped"/>), each named
/// programme must belong to an office the caller's office covers (<see cref="OfficeScope"/>), else PERMISSION_DENIED
/// before the handler runs (<see cref="ProgrammeOfficeCheck"/>). An id that is not a UUID names no programme: it is left
/// to the handler's validation, which answers INVALID_ARGUMENT with every violation (the bad-input sweep holds every
/// route to that).
/// RPCs that name a record by its own id check its programme in the service's Access.
/// </summary>
public sealed class ProgrammeOfficeInterceptor(ProgrammeOfficeCheck check) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await CheckAsync(request, context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await CheckAsync(request, context);
        await continuation(request, responseStream, context);
    }

    private async Task CheckAsync(object request, ServerCallContext context)
    {
        if (request is not IMessage message || ProgrammeIds(message) is not { Count: > 0 } ids)
        {
            return;
        }
        var caller = context.GetCaller();
        if (!caller.IsOfficeScoped)
        {
            return;
        }
        // An id that is not a UUID names no programme: the handler's validation answers it, with every other violation
        // of the request (an office refusal here would hide them, and say nothing true about the office).
        foreach (var id in ids.Select(i => i.Id).Where(id => Guid.TryParse(id, out _)).Distinct(StringComparer.Ordinal))
        {
            await check.RequireAsync(caller, id, context.CancellationToken);
        }
    }

    /// <summary>The non-empty programme ids the request names, each with its field path.</summary>
    private static List<(string Field, string Id)>? ProgrammeIds(IMessage message)
    {
        var fields = message.Descriptor.Fields;
        if (fields.InDeclarationOrder().FirstOrDefault(f => f.Name is "programme_id" or "programme_ids" && f.FieldType == FieldType.String) is not { } field)
        {
            return null;
        }
        var value = field.Accessor.GetValue(message);
        return field.IsRepeated
            ? [.. ((IEnumerable<string>)value).Select((id, i) => ($"{field.Name}[{i}]", id)).Where(p => p.id.Length > 0)]
            : value is string { Length: > 0 } one ? [(field.Name, one)] : null;
    }
}
