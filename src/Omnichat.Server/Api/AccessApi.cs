using Omnichat.Core.Access;
using Omnichat.Core.Audit;
using Omnichat.Core.Kernel;
using Omnichat.Server.Hosting;

namespace Omnichat.Server.Api;

/// <summary>Access control: roles and permissions, API keys, the audit log, and my own account (sessions, two-factor).</summary>
public static class AccessApi
{
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        var roles = api.MapGroup("/roles").WithTags("Access control").RequirePermission(Permissions.ManageRoles, Permissions.ManageUsers);
        roles.MapGet("/", async (ManageRoles.Handler h, CancellationToken ct) => TypedResults.Ok(await h.ListAsync(ct)))
            .WithSummary("Built-in and custom roles with their permissions and number of members.");
        roles.MapGet("/{id:guid}", async (Guid id, ManageRoles.Handler h, CancellationToken ct) => TypedResults.Ok(await h.GetAsync(id, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound);
        var manageRoles = api.MapGroup("/roles").WithTags("Access control").RequirePermission(Permissions.ManageRoles);
        manageRoles.MapPost("/", async (ManageRoles.Request request, ManageRoles.Handler h, HttpContext http, OmnichatDbContext db, CancellationToken ct) =>
            {
                var role = await h.CreateAsync(await StaffScope.ForAsync(db, http.User, ct), request, ct);
                return TypedResults.Created($"/api/v1/roles/{role.Id}", role);
            })
            .Validate<ManageRoles.Request>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Create a custom role from named permissions (only permissions you have yourself).");
        manageRoles.MapPut("/{id:guid}", async (Guid id, ManageRoles.Request request, ManageRoles.Handler h, HttpContext http, OmnichatDbContext db,
                CancellationToken ct) => TypedResults.Ok(await h.UpdateAsync(await StaffScope.ForAsync(db, http.User, ct), id, request, ct)))
            .Validate<ManageRoles.Request>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Rename a custom role or change its permissions (applies to its members at once).");
        manageRoles.MapDelete("/{id:guid}", async (Guid id, ManageRoles.Handler h, CancellationToken ct) =>
            {
                await h.DeleteAsync(id, ct);
                return TypedResults.NoContent();
            })
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Delete a custom role nobody holds.");

        api.MapGet("/permissions", () => TypedResults.Ok(ManageRoles.Handler.Catalogue()))
            .WithTags("Access control").RequirePermission(Permissions.ManageRoles, Permissions.ManageUsers)
            .WithSummary("Every permission a role can be composed of.");

        var keys = api.MapGroup("/api-keys").WithTags("Access control").RequirePermission(Permissions.ManageIntegrations);
        keys.MapGet("/", async (ManageApiKeys.Handler h, CancellationToken ct) => TypedResults.Ok(await h.ListAsync(ct)))
            .WithSummary("API keys (never their secrets) with scopes, visibility, last use and revocation.");
        keys.MapPost("/", async (ManageApiKeys.Request request, ManageApiKeys.Handler h, HttpContext http, OmnichatDbContext db, CancellationToken ct) =>
            {
                var created = await h.CreateAsync(await StaffScope.ForAsync(db, http.User, ct), request, ct);
                return TypedResults.Created($"/api/v1/api-keys/{created.Key.Id}", created);
            })
            .Validate<ManageApiKeys.Request>()
            .WithSummary("Create an API key: scopes (" + string.Join(", ", ApiKeyScopes.All) + "), visibility scope, optional expiry. " +
                         "The secret is in this answer only; send it as 'X-Api-Key'.");
        keys.MapDelete("/{id:guid}", async (Guid id, ManageApiKeys.Handler h, CancellationToken ct) => TypedResults.Ok(await h.RevokeAsync(id, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Revoke a key (it stops working at once; the row stays for the audit).");

        api.MapGet("/audit", async (SearchAuditLog.Handler h, CancellationToken ct, string? action = null, string? actorId = null, string? subjectType = null,
                string? subjectId = null, DateTimeOffset? from = null, DateTimeOffset? to = null, string? text = null, int page = 1, int pageSize = 50) =>
                TypedResults.Ok(await h.HandleAsync(new SearchAuditLog.Filter(action, actorId, subjectType, subjectId, from, to, text, page, pageSize), ct)))
            .WithTags("Access control").RequirePermission(Permissions.ViewAudit)
            .WithSummary("Search the audit log (sign-ins, admin changes with before/after, supervisors opening conversations, exports), newest first.");

        var account = api.MapGroup("/account").WithTags("My account").RequireAuthorization(PermissionPolicies.Account);
        account.MapGet("/sessions", async (HttpContext http, ManageSessions.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.ListAsync(StaffAuthentication.OperatorIdOf(http.User), CurrentSession(http), ct)))
            .WithSummary("Where I am signed in (browsers and tokens), the current one marked.");
        account.MapDelete("/sessions/{id:guid}", async (Guid id, HttpContext http, ManageSessions.Handler h, CancellationToken ct) =>
            {
                await h.EndAsync(StaffAuthentication.OperatorIdOf(http.User), id, ct);
                return TypedResults.NoContent();
            })
            .ProducesProblem(StatusCodes.Status404NotFound).WithSummary("End one of my sessions.");
        account.MapPost("/sessions/sign-out-everywhere", async (HttpContext http, ManageSessions.Handler h, CancellationToken ct) =>
                TypedResults.Ok(new EndedSessions(await h.EndAllAsync(StaffAuthentication.OperatorIdOf(http.User), ct))))
            .WithSummary("End every session of mine, this one included.");
        account.MapGet("/two-factor", async (HttpContext http, TwoFactor.Handler h, CancellationToken ct) =>
            TypedResults.Ok(await h.StatusAsync(StaffAuthentication.OperatorIdOf(http.User), ct)));
        account.MapPost("/two-factor/enrol", async (HttpContext http, TwoFactor.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.BeginAsync(StaffAuthentication.OperatorIdOf(http.User), ct)))
            .WithSummary("Start enrolling an authenticator app: a secret, its otpauth:// URI and a QR code (SVG).");
        account.MapPost("/two-factor/confirm", async (TwoFactor.CodeRequest request, HttpContext http, TwoFactor.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.ConfirmAsync(StaffAuthentication.OperatorIdOf(http.User), request, ct)))
            .Validate<TwoFactor.CodeRequest>().WithSummary("Turn two-factor on with a first code; the answer lists ten one-time recovery codes.");
        account.MapPost("/two-factor/recovery-codes", async (TwoFactor.CodeRequest request, HttpContext http, TwoFactor.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.NewRecoveryCodesAsync(StaffAuthentication.OperatorIdOf(http.User), request, ct)))
            .Validate<TwoFactor.CodeRequest>().WithSummary("New recovery codes (the old ones stop working).");
        account.MapPost("/two-factor/disable", async (TwoFactor.CodeRequest request, HttpContext http, TwoFactor.Handler h, CancellationToken ct) =>
            {
                await h.DisableAsync(StaffAuthentication.OperatorIdOf(http.User), request, ct);
                return TypedResults.NoContent();
            })
            .Validate<TwoFactor.CodeRequest>().WithSummary("Turn two-factor off (needs a current code).");
        return app;
    }

    /// <summary>How many sessions were ended.</summary>
    public sealed record EndedSessions(int Ended);

    private static Guid? CurrentSession(HttpContext http) => Guid.TryParse(http.User.FindFirst(StaffSession.Claim)?.Value, out var id) ? id : null;
}
