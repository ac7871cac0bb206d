using Omnichat.Core.Access;
using Omnichat.Core.Channels;
using Omnichat.Core.Channels.Messengers;
using Omnichat.Core.Kernel;
using Omnichat.Core.Mail;
using Omnichat.Core.Operators;
using Omnichat.Core.Organisation;
using Omnichat.Core.Routing;
using Omnichat.Server.Hosting;

namespace Omnichat.Server.Api;

/// <summary>Minimal administration API (administrators only); the admin console builds on it.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        MapChannels(api.MapGroup("/channels").WithTags("Channels").RequirePermission(Permissions.ManageChannels));
        MapSkillGroups(api.MapGroup("/skill-groups").WithTags("Skill groups").RequirePermission(Permissions.ManageGroups));
        MapOperators(api.MapGroup("/operators").WithTags("Operators").RequirePermission(Permissions.ManageUsers));
        MapBranches(api.MapGroup("/branches").WithTags("Branches and regions").RequirePermission(Permissions.ManageGroups));
        MapRegions(api.MapGroup("/regions").WithTags("Branches and regions").RequirePermission(Permissions.ManageGroups));
        MapMail(api.MapGroup("/mail").WithTags("Mail").RequirePermission(Permissions.ManageIntegrations));
        return app;
    }

    private static void MapChannels(RouteGroupBuilder g)
    {
        g.MapGet("/", async (ListChannels.Handler h, CancellationToken ct) => TypedResults.Ok(await h.HandleAsync(ct)));
        g.MapGet("/{id:guid}", async (Guid id, ListChannels.Handler h, CancellationToken ct) => TypedResults.Ok(await h.GetAsync(id, ct)))
            .ProducesProblem(404);
        g.MapPost("/", async (CreateChannel.Request request, CreateChannel.Handler h, CancellationToken ct) =>
            {
                var channel = await h.HandleAsync(request, ct);
                return TypedResults.Created($"/api/v1/channels/{channel.Id}", channel);
            })
            .Validate<CreateChannel.Request>().WithSummary("Create a channel; the response carries its public key and its secret (shown only here).");
        g.MapPut("/{id:guid}", async (Guid id, UpdateChannel.Request request, UpdateChannel.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(id, request, ct)))
            .Validate<UpdateChannel.Request>().ProducesProblem(404).ProducesProblem(409);
        g.MapPost("/{id:guid}/webhook", async (Guid id, MessengerSetup.WebhookRequest? request, MessengerSetup.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.RegisterWebhookAsync(id, request ?? new MessengerSetup.WebhookRequest(null), ct)))
            .WithSummary("Points the messenger's webhook at this server: {url or Omnichat:Messengers:PublicUrl}/webhooks/{kind}/{id} (Telegram setWebhook, Viber set_webhook; VK and the API channel explain what to paste where).");
        g.MapPost("/{id:guid}/test", async (Guid id, MessengerSetup.Handler h, CancellationToken ct) => TypedResults.Ok(await h.TestAsync(id, ct)))
            .WithSummary("Checks the messenger credentials against the vendor (who the bot is).");
        g.MapPost("/{id:guid}/rotate-secret", async (Guid id, RotateChannelSecret.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(id, ct)))
            .ProducesProblem(404).WithSummary("Replace the channel's secret; the response shows the new one, once.");
    }

    private static void MapSkillGroups(RouteGroupBuilder g)
    {
        g.MapGet("/", async (ListSkillGroups.Handler h, CancellationToken ct) => TypedResults.Ok(await h.HandleAsync(ct)));
        g.MapGet("/{id:guid}", async (Guid id, ListSkillGroups.Handler h, CancellationToken ct) => TypedResults.Ok(await h.GetAsync(id, ct)))
            .ProducesProblem(404);
        g.MapPost("/", async (SaveSkillGroup.Request request, SaveSkillGroup.Handler h, CancellationToken ct) =>
            {
                var group = await h.CreateAsync(request, ct);
                return TypedResults.Created($"/api/v1/skill-groups/{group.Id}", group);
            })
            .Validate<SaveSkillGroup.Request>().ProducesProblem(409);
        g.MapPut("/{id:guid}", async (Guid id, SaveSkillGroup.Request request, SaveSkillGroup.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.UpdateAsync(id, request, ct)))
            .Validate<SaveSkillGroup.Request>().ProducesProblem(404).ProducesProblem(409);
    }

    private static void MapOperators(RouteGroupBuilder g)
    {
        g.MapGet("/", async (ListOperators.Handler h, HttpContext http, OmnichatDbContext db, CancellationToken ct) =>
            TypedResults.Ok(await h.HandleAsync(ct, await StaffScope.ForAsync(db, http.User, ct))));
        g.MapGet("/{id:guid}", async (Guid id, ListOperators.Handler h, HttpContext http, OmnichatDbContext db, CancellationToken ct) =>
                TypedResults.Ok(await h.GetAsync(id, ct, await StaffScope.ForAsync(db, http.User, ct))))
            .ProducesProblem(404);
        g.MapPost("/", async (CreateOperator.Request request, CreateOperator.Handler h, HttpContext http, OmnichatDbContext db, CancellationToken ct) =>
            {
                var op = await h.HandleAsync(request, ct, await StaffScope.ForAsync(db, http.User, ct));
                return TypedResults.Created($"/api/v1/operators/{op.Id}", op);
            })
            .Validate<CreateOperator.Request>().ProducesProblem(409)
            .WithSummary("Create a staff account with its operator profile (default role: operator), its roles and visibility scope " +
                         "(scope: {all} or skillGroupIds/branchIds/regionIds; default: own conversations and member groups only).");
        g.MapPut("/{id:guid}", async (Guid id, UpdateOperator.Request request, UpdateOperator.Handler h, ListOperators.Handler list, HttpContext http,
                OmnichatDbContext db, CancellationToken ct) =>
            {
                var actor = await StaffScope.ForAsync(db, http.User, ct);
                await list.GetAsync(id, ct, actor); // 404 outside the actor's scope
                return TypedResults.Ok(await h.HandleAsync(id, request, actor, ct));
            })
            .Validate<UpdateOperator.Request>().ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Change a staff account: profile, groups, roles, scope, enabled; a new password (or disabling) ends all its sessions.");
        g.MapPost("/{id:guid}/sign-out", async (Guid id, ListOperators.Handler list, ManageSessions.Handler h, HttpContext http, OmnichatDbContext db,
                CancellationToken ct) =>
            {
                await list.GetAsync(id, ct, await StaffScope.ForAsync(db, http.User, ct));
                return TypedResults.Ok(new AccessApi.EndedSessions(await h.EndAllAsync(OperatorId.From(id), ct)));
            })
            .ProducesProblem(404).WithSummary("Sign the account out everywhere (every session and token ends).");
        g.MapDelete("/{id:guid}/two-factor", async (Guid id, ListOperators.Handler list, TwoFactor.Handler h, HttpContext http, OmnichatDbContext db,
                CancellationToken ct) =>
            {
                await list.GetAsync(id, ct, await StaffScope.ForAsync(db, http.User, ct));
                await h.ResetAsync(id, ct);
                return TypedResults.NoContent();
            })
            .ProducesProblem(404).WithSummary("Turn two-factor sign-in off for someone who lost their device and recovery codes.");
    }

    private static void MapBranches(RouteGroupBuilder g)
    {
        g.MapGet("/", async (ListBranches.Handler h, CancellationToken ct) => TypedResults.Ok(await h.HandleAsync(ct)));
        g.MapGet("/{id:guid}", async (Guid id, ListBranches.Handler h, CancellationToken ct) => TypedResults.Ok(await h.GetAsync(id, ct)))
            .ProducesProblem(404);
        g.MapPost("/", async (SaveBranch.Request request, SaveBranch.Handler h, CancellationToken ct) =>
            {
                var branch = await h.CreateAsync(request, ct);
                return TypedResults.Created($"/api/v1/branches/{branch.Id}", branch);
            })
            .Validate<SaveBranch.Request>().ProducesProblem(409);
        g.MapPut("/{id:guid}", async (Guid id, SaveBranch.Request request, SaveBranch.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.UpdateAsync(id, request, ct)))
            .Validate<SaveBranch.Request>().ProducesProblem(404).ProducesProblem(409);
    }

    private static void MapMail(RouteGroupBuilder g)
    {
        g.MapGet("/settings", async (SaveMailSettings.Handler h, CancellationToken ct) => TypedResults.Ok(await h.GetAsync(ct)))
            .WithSummary("SMTP settings in force (the password is never shown).");
        g.MapPut("/settings", async (SaveMailSettings.Request request, SaveMailSettings.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.SaveAsync(request, ct)))
            .Validate<SaveMailSettings.Request>()
            .WithSummary("Save SMTP settings (override the configuration); password: omit to keep, empty to remove.");
        g.MapPost("/test", async (SendTestMail.Request request, SendTestMail.Handler h, CancellationToken ct) =>
            {
                await h.HandleAsync(request, ct);
                return TypedResults.NoContent();
            })
            .Validate<SendTestMail.Request>().ProducesProblem(StatusCodes.Status502BadGateway)
            .WithSummary("Send a test e-mail now; a failure returns 502 with the SMTP server's answer.");
        g.MapGet("/outgoing", async (ListOutgoingMail.Handler h, CancellationToken ct, string? status = null, int limit = 100) =>
                TypedResults.Ok(await h.HandleAsync(ParseMailStatus(status), limit, ct)))
            .WithSummary("The outgoing queue, newest first; failed mails carry the server's answer.");
        g.MapPost("/outgoing/{id:guid}/retry", async (Guid id, ListOutgoingMail.Handler h, CancellationToken ct) =>
            {
                await h.RetryAsync(id, ct);
                return TypedResults.NoContent();
            })
            .ProducesProblem(404).ProducesProblem(409);
    }

    private static MailStatus? ParseMailStatus(string? status) =>
        status is null ? null
        : Enum.TryParse<MailStatus>(status, ignoreCase: true, out var s) && Enum.IsDefined(s) && !int.TryParse(status, out _) ? s
        : throw new FieldValidationException("status", "'status' must be pending, sent or failed.");

    private static void MapRegions(RouteGroupBuilder g)
    {
        g.MapGet("/", async (ListRegions.Handler h, CancellationToken ct) => TypedResults.Ok(await h.HandleAsync(ct)));
        g.MapGet("/{id:guid}", async (Guid id, ListRegions.Handler h, CancellationToken ct) => TypedResults.Ok(await h.GetAsync(id, ct)))
            .ProducesProblem(404);
        g.MapPost("/", async (SaveRegion.Request request, SaveRegion.Handler h, CancellationToken ct) =>
            {
                var region = await h.CreateAsync(request, ct);
                return TypedResults.Created($"/api/v1/regions/{region.Id}", region);
            })
            .Validate<SaveRegion.Request>().ProducesProblem(409);
        g.MapPut("/{id:guid}", async (Guid id, SaveRegion.Request request, SaveRegion.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.UpdateAsync(id, request, ct)))
            .Validate<SaveRegion.Request>().ProducesProblem(404).ProducesProblem(409);
    }
}
