using Omnichat.Server.Hosting;
using Omnichat.Core.Access;
using Omnichat.Core.Audit;
using Omnichat.Core.Clients;
using Omnichat.Core.Kernel;

namespace Omnichat.Server.Api;

/// <summary>Omnichannel identity (C4): clients that may be one person, merge, split, and their audit trail.</summary>
public static class ClientsApi
{
    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Clients")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/conversations/{id:guid}/client/matches", async (Guid id, HttpContext http, OmnichatDbContext db, FindClientMatches.Handler h,
                CancellationToken ct) => TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequirePermission(Permissions.HandleConversations, Permissions.SuperviseConversations, Permissions.MergeClients)
            .WithSummary("Other clients with the same phone or e-mail as this conversation's client: candidates to merge.");

        api.MapPost("/conversations/{id:guid}/client/merge", async (Guid id, MergeClients.Request request, HttpContext http, OmnichatDbContext db,
                MergeClients.Handler h, CancellationToken ct) => TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, request, ct)))
            .Validate<MergeClients.Request>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .RequirePermission(Permissions.HandleConversations, Permissions.SuperviseConversations, Permissions.MergeClients)
            .WithSummary("Merge another client (clientId) into this conversation's client: its conversations and identities move here; audited. " +
                         "Operators: only a match with the same phone or e-mail.");

        api.MapPost("/conversations/{id:guid}/client/split", async (Guid id, SplitClient.Request request, HttpContext http, OmnichatDbContext db,
                SplitClient.Handler h, CancellationToken ct) => TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, request, ct)))
            .Validate<SplitClient.Request>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .RequirePermission(Permissions.HandleConversations, Permissions.SuperviseConversations, Permissions.MergeClients)
            .WithSummary("Split this conversation's client: the chosen conversations (conversationIds) and identities (identityIds) become a new client; audited.");

        api.MapGet("/clients/{id:guid}/audit", async (Guid id, HttpContext http, OmnichatDbContext db, ListAuditRecords.Handler h, CancellationToken ct,
                int? limit = null) =>
                TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), "client", id, limit, ct)))
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequirePermission(Permissions.MergeClients, Permissions.ViewAudit)
            .WithSummary("Merges and splits that touched the client, newest first, with the values before and after (supervisors and administrators).");

        return app;
    }
}
