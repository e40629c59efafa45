using Bimtek.Identity.Api;
using Bimtek.Identity.Application;
using Bimtek.Identity.Data;
using Bimtek.ServiceDefaults.Clients;
using Bimtek.ServiceDefaults.Health;
using Bimtek.ServiceDefaults.Hosting;
using Bimtek.ServiceDefaults.Offices;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bimtek.Identity.Hosting;

/// <summary>
/// The identity service's wiring: service defaults (telemetry, health, gateway-token authentication for its
/// gRPC API), its database, ASP.NET Core Identity (accounts, hashing, lockout, the sign-in cookie) and the
/// OpenIddict server (code + PKCE, refresh with rotation and reuse detection, client credentials).
/// </summary>
public static class IdentityHosting
{
    public const string ServiceName = "identity";

    /// <summary>The deprecated <c>Identity:DefaultOffice</c> when it is set and <c>Offices:Default</c> is not; else null.</summary>
    public static string? DeprecatedDefaultOffice(IConfiguration configuration) =>
        configuration[IdentityServiceOptions.Section + ":DefaultOffice"] is { } legacy && !string.IsNullOrWhiteSpace(legacy)
        && string.IsNullOrWhiteSpace(configuration[OfficeOptions.Section + ":Default"])
            ? legacy.Trim()
            : null;

    public static WebApplicationBuilder AddIdentityService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddGrpcDefaults();
        var services = builder.Services;
        var section = builder.Configuration.GetSection(IdentityServiceOptions.Section);
        services.AddOptions<IdentityServiceOptions>().Bind(section);
        // The deployment's offices (Offices:*): the office of accounts and systems that name none (Offices:Default), and
        // which operator may create and invite which operator accounts.
        services.AddOffices(builder.Configuration);
        // The deprecated Identity:DefaultOffice still counts for one release when Offices:Default is not set (read when the
        // options are first made, so a test's configuration counts).
        services.AddOptions<OfficeOptions>().PostConfigure<IConfiguration>((o, configuration) =>
            o.Default = DeprecatedDefaultOffice(configuration) ?? o.Default);

        // One context per provider, each with its own migrations; the connection string (read when the first context
        // is made, so a test's configuration counts) picks which one serves as IdentityDb.
        string? Postgres() => builder.Configuration.GetConnectionString("Postgres") is { Length: > 0 } postgres && !string.IsNullOrWhiteSpace(postgres) ? postgres : null;
        services.AddDbContext<SqliteIdentityDb>(options =>
        {
            var directory = builder.Configuration["Database:DataDirectory"] ?? "data";
            Directory.CreateDirectory(directory);
            options.UseSqlite($"Data Source={Path.Combine(directory, ServiceName + ".db")}").UseOpenIddict();
        });
        services.AddDbContext<PostgresIdentityDb>(options => options.UseNpgsql(Postgres()).UseOpenIddict());
        services.AddScoped<IdentityDb>(sp => Postgres() is null ? sp.GetRequiredService<SqliteIdentityDb>() : sp.GetRequiredService<PostgresIdentityDb>());

        services.AddIdentityCore<Account>()
            .AddEntityFrameworkStores<IdentityDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddOptions<IdentityOptions>().Configure<IOptions<IdentityServiceOptions>>((identity, settings) =>
        {
            identity.Password.RequiredLength = 10;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireLowercase = true;
            identity.Password.RequireDigit = true;
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = settings.Value.MaxFailedPasswordAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = settings.Value.LockoutDuration;
            identity.User.RequireUniqueEmail = false;
        });
        services.AddAuthentication().AddCookie(IdentityConstants.ApplicationScheme, cookie =>
        {
            cookie.LoginPath = "/account/signin";
            cookie.LogoutPath = "/account/signout";
            cookie.Cookie.Name = "bimtek-identity";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
        });
        services.AddAntiforgery(antiforgery => antiforgery.Cookie.Name = "bimtek-identity-af");

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDb>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/endsession");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow();
                server.RegisterScopes(Scopes.OpenId, Scopes.OfflineAccess, Scopes.Profile);
                server.SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(2));
                // Plain signed JWTs, so the gateway validates them with the published keys.
                server.DisableAccessTokenEncryption();
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // TLS ends at the deployment's reverse proxy; the local run is plain HTTP on loopback.
                    .DisableTransportSecurityRequirement();
            });
        // Issuer, lifetimes and keys come from Identity:* when the options are first needed (after all configuration is in).
        services.AddOptions<OpenIddictServerOptions>().Configure<IOptions<IdentityServiceOptions>>((server, options) =>
        {
            var settings = options.Value;
            if (!string.IsNullOrWhiteSpace(settings.Issuer))
            {
                server.Issuer = new Uri(settings.Issuer);
            }
            server.AccessTokenLifetime = settings.AccessTokenLifetime;
            server.RefreshTokenLifetime = settings.RefreshTokenLifetime;
            server.RefreshTokenReuseLeeway = settings.RefreshTokenReuseLeeway;
            var keys = KeyRing.Load(settings);
            foreach (var key in keys.SigningKeys)
            {
                server.SigningCredentials.Add(new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
            }
            server.EncryptionCredentials.Add(new EncryptingCredentials(keys.EncryptionKey, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
        });

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<IdentityServiceOptions>>((cors, options) => cors.AddDefaultPolicy(policy =>
            policy.WithOrigins([.. options.Value.Dashboard.RedirectUris.Select(u => new Uri(u).GetLeftPart(UriPartial.Authority)).Distinct()])
                .AllowAnyHeader()
                .WithMethods("GET", "POST")));

        services.AddSingleton<AttemptLimiter>();
        services.AddSingleton<DevInboxSender>();
        // Real channels through the notifications service (Identity:SendThroughNotifications); otherwise the dev inbox.
        services.AddSingleton<NotificationsSender>();
        services.AddServiceClient<Bimtek.Notifications.V1.NotificationsInternalService.NotificationsInternalServiceClient>("notifications", CallIdentity.Service);
        services.AddSingleton<ISignInCodeSender>(sp => sp.GetRequiredService<IOptions<IdentityServiceOptions>>().Value.SendThroughNotifications
            ? sp.GetRequiredService<NotificationsSender>()
            : sp.GetRequiredService<DevInboxSender>());
        services.AddScoped<AccountChanges>();
        services.AddScoped<OneTimeSecretService>();
        services.AddHostedService<IdentityDatabaseInitializer>();
        // Retention of tokens, one-time secrets and applied changes (Data/IdentityRetention.cs); after the initializer.
        services.AddIdentityRetention(builder.Configuration);
        services.AddHealthChecks().AddCheck<IdentityDatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    public static WebApplication MapIdentityService(this WebApplication app)
    {
        app.UseCors();
        app.MapServiceDefaults();
        app.UseAntiforgery();
        app.MapGrpcService<IdentityGrpcService>();
        app.MapGrpcService<IdentityInternalGrpcService>();
        app.MapAuthorizationEndpoints();
        app.MapSignInPages();
        if (app.Services.GetRequiredService<IOptions<IdentityServiceOptions>>().Value.DevInbox)
        {
            app.MapDevInbox();
        }
        return app;
    }
}
