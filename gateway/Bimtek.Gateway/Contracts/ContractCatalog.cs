using Google.Api;
using Google.Protobuf.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Bimtek.Gateway.Contracts;

/// <summary>
/// The services' public contracts as compiled into the gateway (<c>&lt;service&gt;.proto</c>, never the
/// <c>*_internal.proto</c> of the <c>…InternalService</c>s, which the gateway neither routes nor lists by reflection):
/// their gRPC methods, which of them have a REST binding and which have none (only services may call those).
/// </summary>
public static class ContractCatalog
{
    /// <summary>Every service the gateway fronts, with its name as used in configuration.</summary>
    public static readonly IReadOnlyList<(string Name, ServiceDescriptor Service)> Services =
    [
        ("participants", Participants.V1.ParticipantsReflection.Descriptor.Services[0]),
        ("materials", Materials.V1.MaterialsReflection.Descriptor.Services[0]),
        ("production", Production.V1.ProductionReflection.Descriptor.Services[0]),
        ("distribution", Distribution.V1.DistributionReflection.Descriptor.Services[0]),
        ("coordinator", Coordinator.V1.CoordinatorReflection.Descriptor.Services[0]),
        ("identity", Identity.V1.IdentityReflection.Descriptor.Services[0]),
        ("notifications", Notifications.V1.NotificationsReflection.Descriptor.Services[0]),
    ];

    /// <summary>
    /// Services the suite works without (messages wait in the senders' outboxes while they are down): their
    /// readiness is reported by <c>/readyz</c> as degraded, not unhealthy, so the front door stays ready.
    /// </summary>
    public static readonly IReadOnlySet<string> Optional = new HashSet<string>(StringComparer.Ordinal) { "notifications" };

    private static readonly Dictionary<string, MethodDescriptor> _methodsByPath = Services
        .SelectMany(s => s.Service.Methods)
        .ToDictionary(m => $"/{m.Service.FullName}/{m.Name}", StringComparer.Ordinal);

    /// <summary>The method a gRPC request path (<c>/package.Service/Method</c>) names, if any.</summary>
    public static MethodDescriptor? FindByPath(string path) => _methodsByPath.GetValueOrDefault(path);

    public static HttpRule? HttpRuleOf(MethodDescriptor method) => method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);

    /// <summary>A public RPC without a REST binding is for services only (through the gateway, the <c>service</c> role).</summary>
    public static bool IsInternal(MethodDescriptor method) => HttpRuleOf(method) is null;
}
