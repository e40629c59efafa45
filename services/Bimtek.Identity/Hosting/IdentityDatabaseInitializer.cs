using Bimtek.Identity.Data;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bimtek.Identity.Hosting;

/// <summary>
/// Before the first request: migrates the schema (<see cref="IdentitySchema"/>), registers the clients from configuration (the dashboard
/// with its exact redirect URIs; systems with client credentials) and the development operator when configured.
/// </summary>
public sealed partial class IdentityDatabaseInitializer(
    IServiceProvider services, IOptions<IdentityServiceOptions> options, OfficeScope offices, IConfiguration configuration, ILogger<IdentityDatabaseInitializer> logger)
    : IHostedService
{
    public static bool Ready { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.DefaultOffice))
        {
            LogDeprecatedDefaultOffice(logger, offices.DefaultOffice, IdentityHosting.DeprecatedDefaultOffice(configuration) is null ? "Offices:Default" : "Identity:DefaultOffice");
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await IdentitySchema.MigrateAsync(db, cancellationToken);
                break;
            }
            catch (Exception ex) when (attempt < 30 && ex is not OperationCanceledException)
            {
                // PostgreSQL may still be starting (compose): try again shortly.
                LogDatabaseWait(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
        var settings = options.Value;
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var dashboard = new OpenIddictApplicationDescriptor
        {
            ClientId = settings.Dashboard.ClientId,
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = settings.Dashboard.DisplayName,
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in settings.Dashboard.RedirectUris)
        {
            dashboard.RedirectUris.Add(new Uri(uri));
        }
        foreach (var uri in settings.Dashboard.PostLogoutRedirectUris)
        {
            dashboard.PostLogoutRedirectUris.Add(new Uri(uri));
        }
        await UpsertAsync(applications, dashboard, cancellationToken);
        foreach (var (clientId, system) in settings.Systems)
        {
            await UpsertAsync(applications, new OpenIddictApplicationDescriptor
            {
                ClientId = clientId,
                ClientSecret = system.Secret,
                ClientType = ClientTypes.Confidential,
                DisplayName = clientId,
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
            }, cancellationToken);
        }
        if (settings.DevelopmentOperator is { Email.Length: > 0, Password.Length: > 0 } developer)
        {
            await SeedOperatorAsync(scope.ServiceProvider.GetRequiredService<UserManager<Account>>(), developer, offices.DefaultOffice);
        }
        Ready = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task UpsertAsync(IOpenIddictApplicationManager applications, OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken)
    {
        var existing = await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }

    private async Task SeedOperatorAsync(UserManager<Account> users, DevelopmentAccountOptions developer, string office)
    {
        var account = await users.Users.SingleOrDefaultAsync(a => a.Subject == developer.Subject);
        if (account is null)
        {
            account = new Account
            {
                Subject = developer.Subject,
                UserName = developer.Subject,
                Email = developer.Email,
                Role = Roles.Operator,
                DisplayName = "Development operator",
                Office = office,
            };
            var created = await users.CreateAsync(account, developer.Password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException("The development operator could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
            }
        }
        LogDevelopmentOperator(logger, developer.Email, developer.Password);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Identity:DefaultOffice is deprecated and will be removed: set Offices:Default, the default office of every service. The default office is {Office} (from {Key}).")]
    private static partial void LogDeprecatedDefaultOffice(ILogger logger, string office, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for the database: {Error}")]
    private static partial void LogDatabaseWait(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Development operator account: sign in with {Email} / {Password}. Never configure it outside a local run.")]
    private static partial void LogDevelopmentOperator(ILogger logger, string email, string password);
}

/// <summary>Ready once the schema and clients exist and the database answers.</summary>
public sealed class IdentityDatabaseHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!IdentityDatabaseInitializer.Ready)
        {
            return HealthCheckResult.Unhealthy("The database is being prepared.");
        }
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDb>().Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database does not answer.");
    }
}
