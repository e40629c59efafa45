using System.Security.Claims;
using Bimtek.Identity.Application;
using Bimtek.Identity.Data;
using Bimtek.Identity.Domain;
using Bimtek.Identity.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Bimtek.Identity.Api;

/// <summary>
/// The pages people sign in on: password (staff, recipients), one-time code (trainees), first password
/// from an invitation, sign out. Each form carries an antiforgery token (checked by the middleware on every
/// form post); after signing in the browser goes back only to a local path (the pending authorization
/// request) or the configured start page.
/// </summary>
internal static class SignInPages
{
    public static IEndpointRouteBuilder MapSignInPages(this IEndpointRouteBuilder endpoints)
    {
        var pages = endpoints.MapGroup("/account").AllowAnonymous();
        pages.MapGet("/signin", (HttpContext http, IAntiforgery af, string? returnUrl) => SignInForm(http, af, returnUrl, null, null));
        pages.MapPost("/signin", SignInAsync);
        pages.MapGet("/code", (HttpContext http, IAntiforgery af, string? returnUrl, string? u, string? c) => CodeForm(http, af, returnUrl, u, c, null));
        pages.MapPost("/code", CodeAsync);
        pages.MapGet("/invitation", InvitationFormAsync);
        pages.MapPost("/invitation", AcceptInvitationAsync);
        pages.MapGet("/signout", (HttpContext http, IAntiforgery af) => SignOutForm(http, af));
        pages.MapPost("/signout", SignOutAsync);
        pages.MapGet("/signed-in", (Delegate)SignedInAsync);
        return endpoints;
    }

    public sealed record SignInInput(string? Name, string? Password, string? ReturnUrl);

    public sealed record CodeInput(string? Name, string? Code, string? ReturnUrl);

    public sealed record InvitationInput(string? U, string? T, string? Password, string? Confirm);

    private static IResult SignInForm(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? name, string? error,
        int status = StatusCodes.Status200OK, TimeSpan? retryAfter = null)
    {
        var text = PageText.For(http);
        var codeLink = "/account/code" + (ReturnUrls.IsLocal(returnUrl) ? "?returnUrl=" + Uri.EscapeDataString(returnUrl!) : "");
        var body = Html.Error(error)
            + "<form method=\"post\" action=\"/account/signin\">" + Html.Antiforgery(antiforgery, http)
            + Html.Hidden("ReturnUrl", ReturnUrls.IsLocal(returnUrl) ? returnUrl : null)
            + Html.Field("Name", text["signin.name"], "text", name, "username", error is not null, "inputmode=\"email\" autocapitalize=\"none\"")
            + Html.Field("Password", text["signin.password"], "password", null, "current-password", error is not null)
            + $"<button type=\"submit\">{Html.Encode(text["signin.submit"])}</button></form>"
            + $"<nav><a href=\"{Html.Encode(codeLink)}\">{Html.Encode(text["signin.use-code"])}</a></nav>";
        return Html.Page(text, text["signin.title"], body, status, retryAfter);
    }

    private static async Task<IResult> SignInAsync(
        HttpContext http, IAntiforgery antiforgery, [FromForm] SignInInput form, IdentityDb db, SignInManager<Account> signIn,
        AttemptLimiter limiter, IOptions<IdentityServiceOptions> options)
    {
        var text = PageText.For(http);
        var limits = options.Value.Limits;
        if (limiter.TryAcquire("address:" + Address(http), limits.AttemptsPerAddress, limits.Window) is { } wait)
        {
            return SignInForm(http, antiforgery, form.ReturnUrl, form.Name, text.Format("limited", Minutes(wait)), StatusCodes.Status429TooManyRequests, wait);
        }
        var (kind, name) = SignInNames.Parse(form.Name);
        var account = (await AccountLookup.ByNameAsync(db, kind, name, http.RequestAborted))
            .FirstOrDefault(a => AccountRoles.SignsInWithPassword(a.Role));
        if (account is null || string.IsNullOrEmpty(form.Password))
        {
            return SignInForm(http, antiforgery, form.ReturnUrl, form.Name, text["signin.wrong"], StatusCodes.Status401Unauthorized);
        }
        if (account.PasswordHash is null)
        {
            return SignInForm(http, antiforgery, form.ReturnUrl, form.Name, text["signin.no-password"], StatusCodes.Status401Unauthorized);
        }
        var result = await signIn.CheckPasswordSignInAsync(account, form.Password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            var until = await signIn.UserManager.GetLockoutEndDateAsync(account) ?? DateTimeOffset.UtcNow;
            var left = until - DateTimeOffset.UtcNow;
            return SignInForm(http, antiforgery, form.ReturnUrl, form.Name, text.Format("signin.locked", Minutes(left)),
                StatusCodes.Status429TooManyRequests, left);
        }
        if (!result.Succeeded)
        {
            return SignInForm(http, antiforgery, form.ReturnUrl, form.Name, text["signin.wrong"], StatusCodes.Status401Unauthorized);
        }
        if (account.Disabled)
        {
            return SignInForm(http, antiforgery, form.ReturnUrl, form.Name, text["signin.disabled"], StatusCodes.Status403Forbidden);
        }
        await signIn.SignInAsync(account, isPersistent: false);
        return Results.Redirect(ReturnUrls.OrDefault(form.ReturnUrl, options.Value.DefaultReturnUrl));
    }

    private static IResult CodeForm(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? name, string? code, string? error,
        int status = StatusCodes.Status200OK, TimeSpan? retryAfter = null)
    {
        var text = PageText.For(http);
        var body = Html.Error(error)
            + "<form method=\"post\" action=\"/account/code\">" + Html.Antiforgery(antiforgery, http)
            + Html.Hidden("ReturnUrl", ReturnUrls.IsLocal(returnUrl) ? returnUrl : null)
            + Html.Field("Name", text["code.name"], "text", name, "username", error is not null, "autocapitalize=\"none\"")
            + Html.Field("Code", text["code.code"], "text", error is null ? code : null, "one-time-code", error is not null,
                "inputmode=\"numeric\" pattern=\"[0-9 \\-]{8,10}\" maxlength=\"10\"")
            + $"<button type=\"submit\">{Html.Encode(text["signin.submit"])}</button></form>"
            + $"<nav><a href=\"/account/signin\">{Html.Encode(text["code.use-password"])}</a></nav>";
        return Html.Page(text, text["code.title"], body, status, retryAfter);
    }

    private static async Task<IResult> CodeAsync(
        HttpContext http, IAntiforgery antiforgery, [FromForm] CodeInput form, OneTimeSecretService secrets, SignInManager<Account> signIn,
        IOptions<IdentityServiceOptions> options)
    {
        var text = PageText.For(http);
        var check = await secrets.RedeemCodeAsync(form.Name ?? "", form.Code ?? "", Address(http), http.RequestAborted);
        if (check.RetryAfter is { } wait)
        {
            return CodeForm(http, antiforgery, form.ReturnUrl, form.Name, null, text.Format("limited", Minutes(wait)), StatusCodes.Status429TooManyRequests, wait);
        }
        if (!check.Succeeded)
        {
            return CodeForm(http, antiforgery, form.ReturnUrl, form.Name, null, text["code.refused"], StatusCodes.Status401Unauthorized);
        }
        await signIn.SignInAsync(check.Account!, isPersistent: false);
        return Results.Redirect(ReturnUrls.OrDefault(form.ReturnUrl, options.Value.DefaultReturnUrl));
    }

    private static async Task<IResult> InvitationFormAsync(HttpContext http, IAntiforgery antiforgery, OneTimeSecretService secrets, string? u, string? t)
    {
        var text = PageText.For(http);
        var account = string.IsNullOrEmpty(u) || string.IsNullOrEmpty(t) ? null : await secrets.PeekInvitationAsync(u, t, http.RequestAborted);
        return account is null
            ? Html.Page(text, text["invite.title"], Html.Error(text["invite.invalid"]), StatusCodes.Status404NotFound)
            : InvitationForm(http, antiforgery, u!, t!, null);
    }

    private static IResult InvitationForm(HttpContext http, IAntiforgery antiforgery, string subject, string token, string? error, int status = StatusCodes.Status200OK)
    {
        var text = PageText.For(http);
        var body = Html.Error(error)
            + "<form method=\"post\" action=\"/account/invitation\">" + Html.Antiforgery(antiforgery, http)
            + Html.Hidden("U", subject) + Html.Hidden("T", token)
            + Html.Field("Password", text["invite.password"], "password", null, "new-password", error is not null, "minlength=\"10\"")
            + Html.Field("Confirm", text["invite.confirm"], "password", null, "new-password", error is not null, "minlength=\"10\"")
            + $"<button type=\"submit\">{Html.Encode(text["invite.submit"])}</button></form>";
        return Html.Page(text, text["invite.title"], body, status);
    }

    private static async Task<IResult> AcceptInvitationAsync(
        HttpContext http, IAntiforgery antiforgery, [FromForm] InvitationInput form, OneTimeSecretService secrets, SignInManager<Account> signIn,
        IOptions<IdentityServiceOptions> options)
    {
        var text = PageText.For(http);
        if (string.IsNullOrEmpty(form.U) || string.IsNullOrEmpty(form.T))
        {
            return Html.Page(text, text["invite.title"], Html.Error(text["invite.invalid"]), StatusCodes.Status404NotFound);
        }
        if (form.Password != form.Confirm || string.IsNullOrEmpty(form.Password))
        {
            return InvitationForm(http, antiforgery, form.U, form.T, text["invite.mismatch"], StatusCodes.Status400BadRequest);
        }
        // The password rules first, so a rejected password does not use up the invitation.
        var candidate = await secrets.PeekInvitationAsync(form.U, form.T, http.RequestAborted);
        if (candidate is null)
        {
            return Html.Page(text, text["invite.title"], Html.Error(text["invite.invalid"]), StatusCodes.Status404NotFound);
        }
        var users = signIn.UserManager;
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var validation = await validator.ValidateAsync(users, candidate, form.Password);
            problems.AddRange(validation.Errors.Select(e => e.Description));
        }
        if (problems.Count > 0)
        {
            return InvitationForm(http, antiforgery, form.U, form.T, string.Join(" ", problems), StatusCodes.Status400BadRequest);
        }
        var check = await secrets.RedeemInvitationAsync(form.U, form.T, Address(http), http.RequestAborted);
        if (!check.Succeeded)
        {
            return Html.Page(text, text["invite.title"], Html.Error(text["invite.invalid"]), check.RetryAfter is null ? StatusCodes.Status404NotFound : StatusCodes.Status429TooManyRequests,
                check.RetryAfter);
        }
        var account = check.Account!;
        if (account.PasswordHash is not null)
        {
            await users.RemovePasswordAsync(account);
        }
        var added = await users.AddPasswordAsync(account, form.Password);
        if (!added.Succeeded)
        {
            return InvitationForm(http, antiforgery, form.U, form.T, string.Join(" ", added.Errors.Select(e => e.Description)), StatusCodes.Status400BadRequest);
        }
        await users.ResetAccessFailedCountAsync(account);
        await signIn.SignInAsync(account, isPersistent: false);
        return Results.Redirect(options.Value.DefaultReturnUrl);
    }

    private static IResult SignOutForm(HttpContext http, IAntiforgery antiforgery)
    {
        var text = PageText.For(http);
        var body = $"<p>{Html.Encode(text["signout.text"])}</p><form method=\"post\" action=\"/account/signout\">" + Html.Antiforgery(antiforgery, http)
            + $"<button type=\"submit\">{Html.Encode(text["signout.submit"])}</button></form>";
        return Html.Page(text, text["signout.title"], body);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, SignInManager<Account> signIn)
    {
        await signIn.SignOutAsync();
        var text = PageText.For(http);
        return Html.Page(text, text["signout.title"], $"<p class=\"note\" role=\"status\">{Html.Encode(text["signout.done"])}</p>");
    }

    private static async Task<IResult> SignedInAsync(HttpContext http)
    {
        var text = PageText.For(http);
        var result = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!result.Succeeded)
        {
            return Results.Redirect("/account/signin");
        }
        var name = result.Principal!.FindFirstValue(ClaimTypes.Name) ?? "";
        return Html.Page(text, text["signedin.title"], $"<p class=\"note\" role=\"status\">{Html.Encode(text.Format("signedin.text", name))}</p>"
            + $"<nav><a href=\"/account/signout\">{Html.Encode(text["signout.title"])}</a></nav>");
    }

    public static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static int Minutes(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
}
