using System.Collections.Concurrent;
using Bimtek.ServiceDefaults.Offices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bimtek.Testing.Hosting;

/// <summary>
/// Participants' answer to "which office is this programme's", for a host under test that learns offices from
/// participants (<see cref="ParticipantsProgrammeOffices"/>) but runs without it: every programme is the default
/// office's (<c>""</c>) unless <see cref="Set"/> says otherwise. <see cref="ServiceHost{TProgram}"/> puts it in
/// place when no participants host is routed; tests of offices route the real participants service instead.
/// </summary>
public sealed class StandInProgrammeOffices : IProgrammeOffices
{
    private readonly ConcurrentDictionary<string, string> _offices = new(StringComparer.Ordinal);

    public bool AnswersForUnknownProgrammes => false;

    public StandInProgrammeOffices Set(string programmeId, string office)
    {
        _offices[programmeId] = office;
        return this;
    }

    public ValueTask<string?> OfficeOfAsync(string programmeId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(_offices.GetValueOrDefault(programmeId, ""));

    /// <summary>Replaces a participants-fed <see cref="IProgrammeOffices"/> of <paramref name="services"/> (if any) with a stand-in.</summary>
    public static void ReplaceLearnedOffices(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(IProgrammeOffices) && d.ImplementationType?.IsSubclassOf(typeof(ParticipantsProgrammeOffices)) == true))
        {
            services.Replace(ServiceDescriptor.Singleton<IProgrammeOffices>(new StandInProgrammeOffices()));
        }
    }
}
