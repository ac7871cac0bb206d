using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;
using Omnichat.Core.Routing;
using Omnichat.Server.Hosting;

namespace Omnichat.Server.Api;

/// <summary>
/// Routing API: offers (accept/decline), manual pick, transfer and take-over, wrap-up, queue views and
/// transfer targets for staff; routing rules and not-ready reasons for administrators.
/// </summary>
public static class RoutingApi
{
    public static IEndpointRouteBuilder MapRoutingApi(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/v1").WithTags("Routing")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        var conversations = staff.MapGroup("/conversations/{id:guid}")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        conversations.MapPost("/accept", async (Guid id, HttpContext http, OmnichatDbContext db, AcceptOffer.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, ct)))
            .RequirePermission(Permissions.HandleConversations)
            .WithSummary("Accept the offer of this conversation (before it expires).");

        conversations.MapPost("/decline", async (Guid id, HttpContext http, OmnichatDbContext db, DeclineOffer.Handler h, CancellationToken ct) =>
            {
                await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, ct);
                return TypedResults.NoContent();
            })
            .RequirePermission(Permissions.HandleConversations)
            .WithSummary("Decline the offer: the conversation goes to the next operator (a missed offer).");

        conversations.MapPost("/pick", async (Guid id, HttpContext http, OmnichatDbContext db, PickConversation.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, ct)))
            .RequirePermission(Permissions.HandleConversations)
            .WithSummary("Take a waiting conversation from the queue of a manual-pick group I belong to.");

        conversations.MapPost("/transfer", async (Guid id, TransferConversation.Request request, HttpContext http, OmnichatDbContext db,
                TransferConversation.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, request, ct)))
            .Validate<TransferConversation.Request>()
            .RequirePermission(Permissions.HandleConversations, Permissions.Reassign, Permissions.SuperviseConversations)
            .WithSummary("Transfer to an operator (operatorId) or a group's queue (skillGroupId), with a comment; supervisors may force.");

        conversations.MapPost("/take-over", async (Guid id, HttpContext http, OmnichatDbContext db, TransferConversation.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.TakeOverAsync(await StaffScope.ForAsync(db, http.User, ct), id, ct)))
            .RequirePermission(Permissions.SuperviseConversations)
            .WithSummary("Supervisors: take the conversation over (assigned to me, over capacity if need be).");

        staff.MapPost("/operators/me/wrap-up/end", async (HttpContext http, EndWrapUp.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(StaffAuthentication.OperatorIdOf(http.User), ct)))
            .RequirePermission(Permissions.HandleConversations)
            .WithSummary("End my wrap-up early and take new work.");

        staff.MapGet("/skill-groups/{id:guid}/queue", async (Guid id, HttpContext http, OmnichatDbContext db, GetQueue.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequirePermission(Permissions.HandleConversations, Permissions.ViewConversations, Permissions.SuperviseConversations)
            .WithSummary("A group's queue in order with waiting times (members and supervisors).");

        staff.MapGet("/routing/targets", async (ListTransferTargets.Handler h, CancellationToken ct) => TypedResults.Ok(await h.HandleAsync(ct)))
            .RequirePermission(Permissions.HandleConversations, Permissions.Reassign, Permissions.SuperviseConversations)
            .WithSummary("Transfer targets: operators with state and load, groups with waiting conversations and ready operators.");

        staff.MapGet("/status-reasons", async (ListStatusReasons.Handler h, CancellationToken ct, bool all = false) =>
                TypedResults.Ok(await h.HandleAsync(enabledOnly: !all, ct)))
            .RequirePermission(Permissions.HandleConversations, Permissions.ManageRouting)
            .WithSummary("The configured not-ready reasons (enabled ones; all=true for the full list).");

        var admin = app.MapGroup("/api/v1").RequirePermission(Permissions.ManageRouting).WithTags("Routing")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        admin.MapPut("/status-reasons/{code}", async (string code, SaveStatusReason.Request request, SaveStatusReason.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(code, request, ct)))
            .Validate<SaveStatusReason.Request>()
            .WithSummary("Create or replace a not-ready reason (disable it with enabled=false).");

        var rules = admin.MapGroup("/routing-rules");
        rules.MapGet("/", async (ListRoutingRules.Handler h, CancellationToken ct) => TypedResults.Ok(await h.HandleAsync(ct)))
            .WithSummary("Routing rules in evaluation order (first match selects the group).");
        rules.MapPost("/", async (SaveRoutingRule.Request request, SaveRoutingRule.Handler h, CancellationToken ct) =>
            {
                var rule = await h.CreateAsync(request, ct);
                return TypedResults.Created($"/api/v1/routing-rules/{rule.Id}", rule);
            })
            .Validate<SaveRoutingRule.Request>().ProducesProblem(StatusCodes.Status400BadRequest);
        rules.MapPut("/{id:guid}", async (Guid id, SaveRoutingRule.Request request, SaveRoutingRule.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.UpdateAsync(id, request, ct)))
            .Validate<SaveRoutingRule.Request>().ProducesProblem(StatusCodes.Status404NotFound);
        rules.MapDelete("/{id:guid}", async (Guid id, SaveRoutingRule.Handler h, CancellationToken ct) =>
            {
                await h.DeleteAsync(id, ct);
                return TypedResults.NoContent();
            })
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
