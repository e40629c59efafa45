using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bimtek.ServiceDefaults.Offices;

public static class OfficeExtensions
{
    /// <summary>The deployment's offices (<c>Offices:*</c>) as an <see cref="OfficeScope"/>.</summary>
    public static IServiceCollection AddOffices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OfficeOptions>().Bind(configuration.GetSection(OfficeOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Default), "Offices:Default must name an office.")
            .Validate(o => WellFormed(o), "Offices:ProvinceDistricts must read PROVINCE=DISTRICT,DISTRICT (provinces separated by ';').")
            .ValidateOnStart();
        services.TryAddSingleton(sp => new OfficeScope(sp.GetRequiredService<IOptions<OfficeOptions>>().Value));
        return services;
    }

    private static bool WellFormed(OfficeOptions options)
    {
        try
        {
            options.AllProvinces();
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Offices, plus the office check of every RPC that names a programme (<see cref="ProgrammeOfficeInterceptor"/>,
    /// after the error interceptor: call it after <c>AddGrpcDefaults</c>), with <typeparamref name="TDirectory"/>
    /// telling each programme's office.
    /// </summary>
    public static IServiceCollection AddProgrammeOffices<TDirectory>(this IServiceCollection services, IConfiguration configuration)
        where TDirectory : class, IProgrammeOffices
    {
        services.AddOffices(configuration);
        services.TryAddSingleton<IProgrammeOffices, TDirectory>();
        services.TryAddSingleton<ProgrammeOfficeCheck>();
        services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<ProgrammeOfficeInterceptor>());
        return services;
    }
}
