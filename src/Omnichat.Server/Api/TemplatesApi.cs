using Omnichat.Server.Hosting;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Core.Templates;

namespace Omnichat.Server.Api;

/// <summary>Reply templates (W2): list and search, manage, favourites, fill in for a conversation.</summary>
public static class TemplatesApi
{
    public sealed record UseRequest(Guid ConversationId);

    public static IEndpointRouteBuilder MapTemplatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/templates").WithTags("Reply templates")
            .RequirePermission(Permissions.HandleConversations, Permissions.ManageTemplates)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/", async (HttpContext http, OmnichatDbContext db, ListReplyTemplates.Handler h, CancellationToken ct,
                string? search = null, string? category = null, int? limit = null) =>
                TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), search, category, limit, ct)))
            .WithSummary("Templates I can use: favourites first, then the most used; search over title, category and text.");

        api.MapPost("/", async (SaveReplyTemplate.Request request, HttpContext http, OmnichatDbContext db, SaveReplyTemplate.Handler h, CancellationToken ct) =>
            {
                var created = await h.CreateAsync(await StaffScope.ForAsync(db, http.User, ct), request, ct);
                return TypedResults.Created($"/api/v1/templates/{created.Id}", created);
            })
            .Validate<SaveReplyTemplate.Request>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Create a template: personal (anyone), global or group (supervisors and administrators).");

        api.MapPut("/{id:guid}", async (Guid id, SaveReplyTemplate.Request request, HttpContext http, OmnichatDbContext db, SaveReplyTemplate.Handler h,
                CancellationToken ct) => TypedResults.Ok(await h.UpdateAsync(await StaffScope.ForAsync(db, http.User, ct), id, request, ct)))
            .Validate<SaveReplyTemplate.Request>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Change a template's title, category and text.");

        api.MapDelete("/{id:guid}", async (Guid id, HttpContext http, OmnichatDbContext db, SaveReplyTemplate.Handler h, CancellationToken ct) =>
            {
                await h.DeleteAsync(await StaffScope.ForAsync(db, http.User, ct), id, ct);
                return TypedResults.NoContent();
            })
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Delete a template.");

        api.MapPut("/{id:guid}/favourite", async (Guid id, HttpContext http, OmnichatDbContext db, SetTemplateFavourite.Handler h, CancellationToken ct) =>
            {
                await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, favourite: true, ct);
                return TypedResults.NoContent();
            })
            .ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Pin a template to the top of my list.");

        api.MapDelete("/{id:guid}/favourite", async (Guid id, HttpContext http, OmnichatDbContext db, SetTemplateFavourite.Handler h, CancellationToken ct) =>
            {
                await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, favourite: false, ct);
                return TypedResults.NoContent();
            })
            .ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Unpin a template.");

        api.MapPost("/{id:guid}/use", async (Guid id, UseRequest request, HttpContext http, OmnichatDbContext db, UseReplyTemplate.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, request.ConversationId, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Fill a template in for a conversation ({client.name}, {operator.name}, {conversation.id}…) and count the use.");
        return app;
    }
}
