using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Mail;
using Omnichat.Core.Operators;
using Omnichat.Server.Hosting;

namespace Omnichat.Server.Api;

/// <summary>Staff conversation API: lists, history, replies, close, read marks, own status.</summary>
public static class ConversationsApi
{
    public static IEndpointRouteBuilder MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        var me = api.MapGroup("/operators/me").RequirePermission(Permissions.HandleConversations);

        me.MapPut("/status", async (SetOperatorStatus.Request request, SetOperatorStatus.Handler h, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(StaffAuthentication.OperatorIdOf(http.User), request, ct)))
            .Validate<SetOperatorStatus.Request>()
            .WithTags("Operators").WithSummary("Set my status: ready, not-ready (with a reason) or offline.");

        me.MapGet("/notifications", async (SetNotificationSettings.Handler h, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await h.GetAsync(StaffAuthentication.OperatorIdOf(http.User), ct)))
            .WithTags("Operators").WithSummary("My workstation notifications: sound, browser notifications.");

        me.MapPut("/notifications", async (SetNotificationSettings.Request request, SetNotificationSettings.Handler h, HttpContext http,
                CancellationToken ct) => TypedResults.Ok(await h.HandleAsync(StaffAuthentication.OperatorIdOf(http.User), request, ct)))
            .WithTags("Operators").WithSummary("Change my workstation notifications (what is given; the rest stays).");

        var conversations = api.MapGroup("/conversations").WithTags("Conversations");
        // Reading: operators (their own and their queues), supervisors and analysts (their scope), API keys with conversations:read.
        var read = conversations.MapGroup("").RequirePermission(Permissions.HandleConversations, Permissions.ViewConversations, Permissions.SuperviseConversations);
        // Changing: the handling operator, or a supervisor.
        var write = conversations.MapGroup("").RequirePermission(Permissions.HandleConversations, Permissions.SuperviseConversations);

        read.MapGet("/", async (HttpContext http, OmnichatDbContext db, ListConversations.Handler h, CancellationToken ct,
                string scope = "mine", string? status = null, int page = 1, int pageSize = 50, Guid? channelId = null, Guid? skillGroupId = null,
                DateTimeOffset? from = null, DateTimeOffset? to = null, string? tag = null, int? rating = null, string? search = null, string? sort = null) =>
                TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), ParseScope(scope), ParseStatuses(status), page, pageSize, ct,
                    new ListConversations.Filter(channelId, skillGroupId, from, to, tag, rating, search, ParseSort(sort)))))
            .WithSummary("List conversations: scope mine | queue | all (visible to me); status (comma-separated), channelId, skillGroupId, " +
                         "from/to (created, ISO 8601), tag, rating, search (words in the messages, any case, parts of words too; one- and two-letter words " +
                         "count only alone); sort updated | waiting.");

        read.MapGet("/{id:guid}", async (Guid id, HttpContext http, OmnichatDbContext db, GetConversation.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound);

        read.MapGet("/{id:guid}/messages", async (Guid id, HttpContext http, OmnichatDbContext db, GetConversation.Handler h, CancellationToken ct,
                long afterSeq = 0, int? limit = null) =>
                TypedResults.Ok(await h.MessagesAsync(await StaffScope.ForAsync(db, http.User, ct), id, afterSeq, limit, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound);

        read.MapGet("/{id:guid}/messages/latest", async (Guid id, HttpContext http, OmnichatDbContext db, GetConversation.Handler h, CancellationToken ct,
                long? beforeSeq = null, int? limit = null) =>
                TypedResults.Ok(await h.LatestMessagesAsync(await StaffScope.ForAsync(db, http.User, ct), id, beforeSeq, limit, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The newest messages (before beforeSeq when given), oldest first: how a long conversation opens; hasMore = earlier ones exist.");

        read.MapGet("/{id:guid}/client", async (Guid id, HttpContext http, OmnichatDbContext db, Core.Clients.ClientCard.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.GetAsync(await StaffScope.ForAsync(db, http.User, ct), id, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The conversation's client: contacts, identities, earlier ratings, conversation count.");

        write.MapPut("/{id:guid}/client", async (Guid id, Core.Clients.ClientCard.UpdateRequest request, HttpContext http, OmnichatDbContext db,
                Core.Clients.ClientCard.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.UpdateAsync(await StaffScope.ForAsync(db, http.User, ct), id, request, ct)))
            .Validate<Core.Clients.ClientCard.UpdateRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Edit the client's name, e-mail and phone (empty clears).");

        read.MapGet("/{id:guid}/history", async (Guid id, HttpContext http, OmnichatDbContext db, Core.Clients.ClientCard.Handler h, CancellationToken ct,
                DateTimeOffset? before = null, int? limit = null) =>
                TypedResults.Ok(await h.HistoryAsync(await StaffScope.ForAsync(db, http.User, ct), id, before, limit, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The client's other conversations across channels (mine and my groups'), newest first.");

        read.MapGet("/{id:guid}/history/{earlierId:guid}/messages", async (Guid id, Guid earlierId, HttpContext http, OmnichatDbContext db,
                Core.Clients.ClientCard.Handler h, CancellationToken ct, long? beforeSeq = null, int? limit = null) =>
                TypedResults.Ok(await h.HistoryMessagesAsync(await StaffScope.ForAsync(db, http.User, ct), id, earlierId, beforeSeq, limit, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Messages of one of the client's earlier conversations (newest page, oldest first).");

        write.MapPost("/{id:guid}/messages", async Task<IResult> (Guid id, SendOperatorMessage.Request request, HttpContext http, OmnichatDbContext db,
                SendOperatorMessage.Handler h, CancellationToken ct) =>
            {
                var sent = await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, request, ct);
                return sent.Created
                    ? TypedResults.Created($"/api/v1/conversations/{id}/messages?afterSeq={sent.Message.Seq - 1}", sent.Message)
                    : TypedResults.Ok(sent.Message);
            })
            .Validate<SendOperatorMessage.Request>()
            .Produces<MessageView>(StatusCodes.Status201Created).Produces<MessageView>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Reply (or add a private note with note=true); idempotent by clientMessageId.");

        write.MapPost("/{id:guid}/close", async (Guid id, CloseConversation.Request? request, HttpContext http, OmnichatDbContext db,
                CloseConversation.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, request, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Close: resolution is one of the group's codes (required when the group says so).");

        read.MapGet("/{id:guid}/deliveries", async (Guid id, HttpContext http, OmnichatDbContext db,
                Core.Channels.Messengers.ListDeliveries.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Messenger deliveries of the conversation: each part (text, file, rating prompt) with its state, attempts and the vendor's last error.");

        write.MapPut("/{id:guid}/tags", async (Guid id, TagConversation.Request request, HttpContext http, OmnichatDbContext db,
                TagConversation.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, request, ct)))
            .Validate<TagConversation.Request>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Replace the conversation's tags (up to 20, each up to 50 characters).");

        write.MapPost("/{id:guid}/read", async (Guid id, MarkConversationRead.Request request, HttpContext http, OmnichatDbContext db,
                MarkConversationRead.Handler h, CancellationToken ct) =>
            {
                await h.HandleAsync(await StaffScope.ForAsync(db, http.User, ct), id, request.Seq, ct);
                return TypedResults.NoContent();
            })
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Mark the conversation read up to seq (clears the unread count).");

        write.MapPost("/{id:guid}/transcript", async (Guid id, SendTranscript.Request request, HttpContext http, OmnichatDbContext db,
                SendTranscript.Handler h, CancellationToken ct) =>
                TypedResults.Accepted((string?)null, await h.ForStaffAsync(await StaffScope.ForAsync(db, http.User, ct), id, request, ct)))
            .Validate<SendTranscript.Request>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("E-mail the transcript to the client (to the given address, else the client's own).");

        return app;
    }

    private static ListConversations.Scope ParseScope(string scope) =>
        Enum.TryParse<ListConversations.Scope>(scope, ignoreCase: true, out var s) && Enum.IsDefined(s)
            ? s
            : throw new FieldValidationException("scope", "'scope' must be mine, queue or all.");

    private static bool ParseSort(string? sort) => sort switch
    {
        null or "" or "updated" => false,
        "waiting" => true,
        _ => throw new FieldValidationException("sort", "'sort' must be updated or waiting."),
    };

    private static List<ConversationStatus>? ParseStatuses(string? status) =>
        string.IsNullOrWhiteSpace(status)
            ? null
            : status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => Enum.TryParse<ConversationStatus>(s, ignoreCase: true, out var v) && Enum.IsDefined(v) && !int.TryParse(s, out _)
                    ? v
                    : throw new FieldValidationException("status", $"Unknown status '{s}'. Known: new, bot, queued, assigned, closed, rated."))
                .ToList();
}
