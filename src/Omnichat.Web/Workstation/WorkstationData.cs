using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Mail;
using Omnichat.Core.Operators;
using Omnichat.Core.Routing;
using Omnichat.Web.Shared;

namespace Omnichat.Web.Workstation;

/// <summary>
/// The workstation's way into the use cases. A Blazor circuit lives long, so every call gets its own
/// DI scope (and DbContext); the signed-in user's scope decides what is visible, as in the REST API.
/// </summary>
public sealed class WorkstationData(IServiceScopeFactory scopes, AuthenticationStateProvider authentication)
{
    public async Task<OperatorId> MeAsync(CancellationToken cancellationToken) =>
        (await RunAsync((_, staff) => Task.FromResult(staff.OperatorId), cancellationToken));

    public Task<ConversationPage> MineAsync(CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<ListConversations.Handler>().HandleAsync(staff, ListConversations.Scope.Mine,
            [ConversationStatus.Assigned], 1, ListConversations.MaxPageSize, cancellationToken), cancellationToken);

    /// <summary>Everything visible to me that matches the filters (the find panel); a refusal comes back as the message.</summary>
    public Task<(ConversationPage? Page, string? Error)> FindAsync(IReadOnlyList<ConversationStatus>? statuses, ListConversations.Filter filter,
        CancellationToken cancellationToken) => RunAsync(async (sp, staff) =>
    {
        try
        {
            var page = await sp.GetRequiredService<ListConversations.Handler>().HandleAsync(staff, ListConversations.Scope.All, statuses, 1,
                ListConversations.MaxPageSize, cancellationToken, filter);
            return ((ConversationPage?)page, (string?)null);
        }
        catch (FieldValidationException ex)
        {
            return (null, ex.Message);
        }
    }, cancellationToken);

    public Task<int> QueueLengthAsync(CancellationToken cancellationToken) => RunAsync(async (sp, staff) =>
        (await sp.GetRequiredService<ListConversations.Handler>().HandleAsync(staff, ListConversations.Scope.Queue, null, 1, 1, cancellationToken)).Total,
        cancellationToken);

    public Task<ConversationView> ConversationAsync(Guid id, CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<GetConversation.Handler>().HandleAsync(staff, id, cancellationToken), cancellationToken);

    public Task<GetConversation.MessagesResponse> MessagesAsync(Guid id, long afterSeq, CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<GetConversation.Handler>().MessagesAsync(staff, id, afterSeq, MessagePage.MaxLimit, cancellationToken), cancellationToken);

    /// <summary>Why messages to a messenger failed: the vendor's last error per message.</summary>
    public Task<Dictionary<Guid, string>> DeliveryErrorsAsync(Guid id, CancellationToken cancellationToken) => RunAsync(async (sp, staff) =>
        (await sp.GetRequiredService<Core.Channels.Messengers.ListDeliveries.Handler>().HandleAsync(staff, id, cancellationToken))
            .Where(d => d is { MessageId: not null, LastError: not null, Status: Core.Channels.Messengers.MessengerDeliveryStatus.Failed })
            .GroupBy(d => d.MessageId!.Value).ToDictionary(g => g.Key, g => g.First().LastError!), cancellationToken);

    /// <summary>A reply, or with <paramref name="note"/> a private note only staff see.</summary>
    public Task<SentMessage> SendAsync(Guid id, string clientMessageId, string? text, CancellationToken cancellationToken, IReadOnlyList<Guid>? attachmentIds = null,
        bool note = false) =>
        RunAsync((sp, staff) => sp.GetRequiredService<SendOperatorMessage.Handler>().HandleAsync(staff, id,
            new SendOperatorMessage.Request(clientMessageId, text, note, attachmentIds), cancellationToken), cancellationToken);

    /// <summary>Uploads a file into the conversation (the same checks as the API); the caller sends it.</summary>
    public Task<AttachmentView> UploadAsync(Guid id, string fileName, Stream content, CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<Core.Files.UploadFile.Handler>().ForStaffAsync(staff, id, fileName, content, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Core.Templates.ReplyTemplateView>> TemplatesAsync(string search, CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<Core.Templates.ListReplyTemplates.Handler>().HandleAsync(staff, search, null, 8, cancellationToken), cancellationToken);

    /// <summary>Who I am for the templates page: my id, whether I manage shared templates, the groups I may address.</summary>
    public sealed record TemplateManager(Guid OperatorId, bool ManagesShared, IReadOnlyList<(Guid Id, string Name)> Groups);

    public Task<TemplateManager> TemplateManagerAsync(CancellationToken cancellationToken) => RunAsync(async (sp, staff) =>
    {
        var groups = staff.SeesEverything
            ? (await sp.GetRequiredService<ListSkillGroups.Handler>().HandleAsync(cancellationToken)).Select(g => (g.Id, g.Name)).ToList()
            : [];
        return new TemplateManager(staff.OperatorId.Value, staff.SeesEverything, groups);
    }, cancellationToken);

    /// <summary>Every template I can use (favourites first, then the most used), filtered by a search.</summary>
    public Task<IReadOnlyList<Core.Templates.ReplyTemplateView>> AllTemplatesAsync(string? search, CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<Core.Templates.ListReplyTemplates.Handler>().HandleAsync(staff, search, null, Core.Templates.ListReplyTemplates.MaxLimit,
            cancellationToken), cancellationToken);

    /// <summary>Creates (no id) or changes a template; returns the refusal's message, or null.</summary>
    public Task<string?> SaveTemplateAsync(Guid? id, Core.Templates.SaveReplyTemplate.Request request, CancellationToken cancellationToken) =>
        TryAsync(async (sp, staff) =>
        {
            await CheckAsync(sp, request, cancellationToken);
            var h = sp.GetRequiredService<Core.Templates.SaveReplyTemplate.Handler>();
            return id is { } existing ? await h.UpdateAsync(staff, existing, request, cancellationToken) : await h.CreateAsync(staff, request, cancellationToken);
        }, cancellationToken);

    public Task<string?> DeleteTemplateAsync(Guid id, CancellationToken cancellationToken) => TryAsync(async (sp, staff) =>
    {
        await sp.GetRequiredService<Core.Templates.SaveReplyTemplate.Handler>().DeleteAsync(staff, id, cancellationToken);
        return true;
    }, cancellationToken);

    public Task<string?> SetTemplateFavouriteAsync(Guid id, bool favourite, CancellationToken cancellationToken) => TryAsync(async (sp, staff) =>
    {
        await sp.GetRequiredService<Core.Templates.SetTemplateFavourite.Handler>().HandleAsync(staff, id, favourite, cancellationToken);
        return true;
    }, cancellationToken);

    /// <summary>The template filled in for the conversation (placeholders replaced); counts the use.</summary>
    public Task<string> UseTemplateAsync(Guid templateId, Guid conversationId, CancellationToken cancellationToken) => RunAsync(async (sp, staff) =>
        (await sp.GetRequiredService<Core.Templates.UseReplyTemplate.Handler>().HandleAsync(staff, templateId, conversationId, cancellationToken)).Text,
        cancellationToken);

    public Task<GetConversation.MessagesResponse> LatestMessagesAsync(Guid id, long? beforeSeq, CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<GetConversation.Handler>().LatestMessagesAsync(staff, id, beforeSeq, 100, cancellationToken), cancellationToken);

    public Task<Core.Clients.ClientCardView> ClientCardAsync(Guid id, CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<Core.Clients.ClientCard.Handler>().GetAsync(staff, id, cancellationToken), cancellationToken);

    /// <summary>Saves the client's contacts and their confirmation; returns the card (with the clients it joined), or the refusal's message.</summary>
    public async Task<(Core.Clients.ClientCardView? Card, string? Refused)> SaveClientAsync(Guid id, Core.Clients.ClientCard.UpdateRequest request,
        CancellationToken cancellationToken)
    {
        Core.Clients.ClientCardView? card = null;
        var refused = await TryAsync(async (sp, staff) =>
        {
            await CheckAsync(sp, request, cancellationToken);
            return card = await sp.GetRequiredService<Core.Clients.ClientCard.Handler>().UpdateAsync(staff, id, request, cancellationToken);
        }, cancellationToken);
        return (card, refused);
    }

    public Task<IReadOnlyList<Core.Clients.ClientMatchView>> ClientMatchesAsync(Guid id, CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<Core.Clients.FindClientMatches.Handler>().HandleAsync(staff, id, cancellationToken), cancellationToken);

    /// <summary>Merges another client into this conversation's client; returns the refusal's message, or null.</summary>
    public Task<string?> MergeClientAsync(Guid id, Guid otherClientId, string? reason, CancellationToken cancellationToken) => TryAsync(async (sp, staff) =>
    {
        var request = new Core.Clients.MergeClients.Request(otherClientId, reason);
        await CheckAsync(sp, request, cancellationToken);
        return await sp.GetRequiredService<Core.Clients.MergeClients.Handler>().HandleAsync(staff, id, request, cancellationToken);
    }, cancellationToken);

    /// <summary>Splits the chosen conversations and identities off into a new client; returns the refusal's message, or null.</summary>
    public Task<string?> SplitClientAsync(Guid id, IReadOnlyList<Guid> conversations, IReadOnlyList<Guid> identities, string? reason,
        CancellationToken cancellationToken) => TryAsync(async (sp, staff) =>
    {
        var request = new Core.Clients.SplitClient.Request(conversations, identities, null, null, null, reason);
        await CheckAsync(sp, request, cancellationToken);
        return await sp.GetRequiredService<Core.Clients.SplitClient.Handler>().HandleAsync(staff, id, request, cancellationToken);
    }, cancellationToken);

    public Task<IReadOnlyList<Core.Clients.ClientConversationSummary>> HistoryAsync(Guid id, CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<Core.Clients.ClientCard.Handler>().HistoryAsync(staff, id, null, 20, cancellationToken), cancellationToken);

    public Task<GetConversation.MessagesResponse> HistoryMessagesAsync(Guid id, Guid earlierId, CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<Core.Clients.ClientCard.Handler>().HistoryMessagesAsync(staff, id, earlierId, null, 50, cancellationToken), cancellationToken);

    public Task<SetNotificationSettings.Response> NotificationsAsync(CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<SetNotificationSettings.Handler>().GetAsync(staff.OperatorId, cancellationToken), cancellationToken);

    public Task<SetNotificationSettings.Response> SetNotificationsAsync(bool sound, bool desktop, CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<SetNotificationSettings.Handler>().HandleAsync(staff.OperatorId, new SetNotificationSettings.Request(sound, desktop), cancellationToken),
        cancellationToken);

    /// <summary>E-mails the transcript to the client's own address; null when the client has none.</summary>
    public Task<string?> SendTranscriptAsync(Guid id, CancellationToken cancellationToken) => RunAsync(async (sp, staff) =>
    {
        try
        {
            var sent = await sp.GetRequiredService<SendTranscript.Handler>().ForStaffAsync(staff, id,
                new SendTranscript.Request(null, null, UiText.IsEnglish ? "en" : "ru"), cancellationToken);
            return sent.Email;
        }
        catch (FieldValidationException)
        {
            return (string?)null;
        }
    }, cancellationToken);

    /// <summary>Closes with an optional resolution code; returns the refusal's message, or null when closed.</summary>
    public Task<string?> CloseAsync(Guid id, string? resolution, CancellationToken cancellationToken) => TryAsync((sp, staff) =>
        sp.GetRequiredService<CloseConversation.Handler>().HandleAsync(staff, id, new CloseConversation.Request(null, resolution), cancellationToken),
        cancellationToken);

    /// <summary>The resolution codes of a skill group and whether one is required on close.</summary>
    public Task<(IReadOnlyList<string> Codes, bool Required)> ResolutionCodesAsync(Guid? groupId, CancellationToken cancellationToken) => RunAsync(async (sp, _) =>
    {
        if (groupId is not { } g)
        {
            return ((IReadOnlyList<string>)[], false);
        }

        var db = sp.GetRequiredService<OmnichatDbContext>();
        var group = await db.SkillGroups.AsNoTracking().Where(x => x.Id == SkillGroupId.From(g))
            .Select(x => new { x.ResolutionCodes, x.ResolutionRequired }).FirstOrDefaultAsync(cancellationToken);
        return ((IReadOnlyList<string>)(group?.ResolutionCodes ?? []), group?.ResolutionRequired ?? false);
    }, cancellationToken);

    public Task<string?> TagAsync(Guid id, IReadOnlyList<string> tags, CancellationToken cancellationToken) => TryAsync((sp, staff) =>
        sp.GetRequiredService<TagConversation.Handler>().HandleAsync(staff, id, new TagConversation.Request(tags), cancellationToken), cancellationToken);

    public Task MarkReadAsync(Guid id, long seq, CancellationToken cancellationToken) => RunAsync(async (sp, staff) =>
    {
        await sp.GetRequiredService<MarkConversationRead.Handler>().HandleAsync(staff, id, seq, cancellationToken);
        return true;
    }, cancellationToken);

    public Task TypingAsync(Guid id, bool isTyping, CancellationToken cancellationToken) => RunAsync(async (sp, staff) =>
    {
        var db = sp.GetRequiredService<OmnichatDbContext>();
        if (await staff.Visible(db.Conversations).AnyAsync(c => c.Id == ConversationId.From(id) && c.OperatorId == staff.OperatorId, cancellationToken))
        {
            await sp.GetRequiredService<ITypingRelay>().OperatorTypingAsync(ConversationId.From(id), isTyping, cancellationToken);
        }

        return true;
    }, cancellationToken);

    public sealed record Profile(OperatorStatus Status, string? Reason, string DisplayName, string State, int Load, int Capacity, DateTimeOffset? WrapUpUntil,
        bool Supervisor);

    public Task<Profile> ProfileAsync(CancellationToken cancellationToken) => RunAsync(async (sp, staff) =>
    {
        var db = sp.GetRequiredService<OmnichatDbContext>();
        var op = await db.Operators.AsNoTracking().FirstAsync(o => o.Id == staff.OperatorId, cancellationToken);
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
        return new Profile(op.Status, op.StatusReason, op.DisplayName, op.StateAt(now), op.Load, op.Capacity, op.WrapUpUntil, staff.SeesEverything);
    }, cancellationToken);

    public Task<SetOperatorStatus.Response> SetStatusAsync(OperatorStatus status, CancellationToken cancellationToken, string? reason = null) => RunAsync((sp, staff) =>
        !staff.Has(Permissions.HandleConversations) ? throw new ForbiddenException("Only people who handle conversations take work.", "status") :
        sp.GetRequiredService<SetOperatorStatus.Handler>().HandleAsync(staff.OperatorId, new SetOperatorStatus.Request(status, reason), cancellationToken),
        cancellationToken);

    public Task<IReadOnlyList<StatusReasonView>> ReasonsAsync(CancellationToken cancellationToken) => RunAsync((sp, _) =>
        sp.GetRequiredService<ListStatusReasons.Handler>().HandleAsync(enabledOnly: true, cancellationToken), cancellationToken);

    public Task EndWrapUpAsync(CancellationToken cancellationToken) => RunAsync((sp, staff) =>
        sp.GetRequiredService<EndWrapUp.Handler>().HandleAsync(staff.OperatorId, cancellationToken), cancellationToken);

    /// <summary>A pending offer to me: the conversation, who wrote, and until when I can accept.</summary>
    public sealed record Offer(Guid ConversationId, string? ClientName, string ChannelName, DateTimeOffset ExpiresAt);

    public Task<List<Offer>> OffersAsync(CancellationToken cancellationToken) => RunAsync(async (sp, staff) =>
    {
        var db = sp.GetRequiredService<OmnichatDbContext>();
        return await (from c in db.Conversations.AsNoTracking()
                      where c.Status == ConversationStatus.Queued && c.OfferedOperatorId == staff.OperatorId
                      join ch in db.Channels on c.ChannelId equals ch.Id
                      join cl in db.Clients on c.ClientId equals cl.Id
                      orderby c.OfferExpiresAt
                      select new Offer(c.Id.Value, cl.DisplayName, ch.Name, c.OfferExpiresAt!.Value)).ToListAsync(cancellationToken);
    }, cancellationToken);

    /// <summary>The queues of my groups (manual-pick groups with their waiting conversations to take).</summary>
    public Task<List<GetQueue.Response>> QueuesAsync(CancellationToken cancellationToken) => RunAsync(async (sp, staff) =>
    {
        var list = new List<GetQueue.Response>();
        foreach (var group in staff.SkillGroups)
        {
            // The page lists at most 20 of a queue (manual pick); the count covers the rest.
            list.Add(await sp.GetRequiredService<GetQueue.Handler>().HandleAsync(staff, group.Value, cancellationToken, limit: 20));
        }

        return list.OrderBy(q => q.Name, StringComparer.CurrentCulture).ToList();
    }, cancellationToken);

    public Task<ListTransferTargets.Response> TransferTargetsAsync(CancellationToken cancellationToken) => RunAsync((sp, _) =>
        sp.GetRequiredService<ListTransferTargets.Handler>().HandleAsync(cancellationToken), cancellationToken);

    /// <summary>Runs a routing action; returns the refusal's message (4xx), or null when it was done.</summary>
    public Task<string?> AcceptAsync(Guid id, CancellationToken cancellationToken) => TryAsync((sp, staff) =>
        sp.GetRequiredService<AcceptOffer.Handler>().HandleAsync(staff, id, cancellationToken), cancellationToken);

    public Task<string?> DeclineAsync(Guid id, CancellationToken cancellationToken) => TryAsync(async (sp, staff) =>
    {
        await sp.GetRequiredService<DeclineOffer.Handler>().HandleAsync(staff, id, cancellationToken);
        return true;
    }, cancellationToken);

    public Task<string?> PickAsync(Guid id, CancellationToken cancellationToken) => TryAsync((sp, staff) =>
        sp.GetRequiredService<PickConversation.Handler>().HandleAsync(staff, id, cancellationToken), cancellationToken);

    public Task<string?> TransferAsync(Guid id, Guid? operatorId, Guid? groupId, string? comment, CancellationToken cancellationToken) => TryAsync((sp, staff) =>
        sp.GetRequiredService<TransferConversation.Handler>().HandleAsync(staff, id,
            new TransferConversation.Request(operatorId, groupId, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), null), cancellationToken),
        cancellationToken);

    private async Task<string?> TryAsync<T>(Func<IServiceProvider, StaffScope, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(action, cancellationToken);
            return null;
        }
        catch (OmnichatException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The same validation the API's endpoint filter applies, for requests made from the screen.</summary>
    private static async Task CheckAsync<T>(IServiceProvider sp, T request, CancellationToken cancellationToken)
    {
        var check = await sp.GetRequiredService<FluentValidation.IValidator<T>>().ValidateAsync(request, cancellationToken);
        if (!check.IsValid)
        {
            throw new FieldValidationException(check.Errors[0].PropertyName, check.Errors[0].ErrorMessage);
        }
    }

    private async Task<T> RunAsync<T>(Func<IServiceProvider, StaffScope, Task<T>> action, CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        // A circuit outlives its cookie check: an ended session or a disabled account stops the workstation at the next action.
        await StaffCircuit.ActiveAsync(scope.ServiceProvider, state.User, cancellationToken);

        var staff = await StaffScope.ForAsync(db, state.User, cancellationToken);
        return await action(scope.ServiceProvider, staff);
    }
}
