using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Kernel.Outbox;
using Omnichat.Core.Operators;

namespace Omnichat.Server.Realtime;

/// <summary>
/// Realtime push as a listener on domain events: new messages and status changes go to the client's
/// hub group, the assigned operator's hub group and the in-process feed of staff screens.
/// Pushes are best-effort by design; clients that missed one catch up with <c>afterSeq</c>.
/// </summary>
public sealed class RealtimePush(
    OmnichatDbContext db, IHubContext<ClientHub> clients, IHubContext<StaffHub> staff, ConversationFeed feed)
    : IDomainEventListener<MessageAppended>, IDomainEventListener<ConversationQueued>, IDomainEventListener<ConversationAssigned>,
      IDomainEventListener<ConversationTransferred>, IDomainEventListener<ConversationClosed>,
      IDomainEventListener<ConversationOffered>, IDomainEventListener<ConversationOfferMissed>,
      IDomainEventListener<OperatorStatusChanged>, IDomainEventListener<OperatorCapacityFreed>, IDomainEventListener<ConversationReadByOperator>,
      IDomainEventListener<Core.Channels.Messengers.MessageDeliveryChanged>
{
    /// <summary>A messenger reported a message sent, delivered, read or failed: the staff see the mark move (hub "delivery", screens).</summary>
    public async Task HandleAsync(EventEnvelope envelope, Core.Channels.Messengers.MessageDeliveryChanged domainEvent, CancellationToken cancellationToken)
    {
        var c = await db.Conversations.AsNoTracking().Where(x => x.Id == domainEvent.ConversationId)
            .Select(x => new { x.OperatorId, x.SkillGroupId }).FirstOrDefaultAsync(cancellationToken);
        if (c is null)
        {
            return;
        }

        var delivery = new DeliveryEvent(domainEvent.ConversationId.Value, domainEvent.MessageId.Value, domainEvent.Status, domainEvent.Error);
        if (c.OperatorId is { } op)
        {
            await staff.Clients.Group(StaffHub.GroupOf(op)).SendAsync("delivery", delivery, cancellationToken);
        }

        feed.Publish(new ConversationChange(ConversationChangeKind.Delivery, domainEvent.ConversationId, c.OperatorId, c.SkillGroupId));
    }

    /// <summary>The client's messages up to <c>seq</c> have been read by the operator (read marks in the widget).</summary>
    public async Task HandleAsync(EventEnvelope envelope, ConversationReadByOperator domainEvent, CancellationToken cancellationToken)
    {
        var clientId = await db.Conversations.Where(c => c.Id == domainEvent.ConversationId).Select(c => c.ClientId).FirstOrDefaultAsync(cancellationToken);
        await clients.Clients.Group(ClientHub.GroupOf(clientId))
            .SendAsync("read", new ReadEvent(domainEvent.ConversationId.Value, domainEvent.Seq), cancellationToken);
    }

    /// <summary>An offer reaches the operator's tools (hub) and screens (feed); it must be accepted before it expires.</summary>
    public async Task HandleAsync(EventEnvelope envelope, ConversationOffered domainEvent, CancellationToken cancellationToken)
    {
        var offer = new OfferEvent(domainEvent.ConversationId.Value, domainEvent.SkillGroupId?.Value, domainEvent.ExpiresAt);
        await staff.Clients.Group(StaffHub.GroupOf(domainEvent.OperatorId)).SendAsync("offer", offer, cancellationToken);
        feed.Publish(new ConversationChange(ConversationChangeKind.Offer, domainEvent.ConversationId, domainEvent.OperatorId, domainEvent.SkillGroupId));
    }

    public async Task HandleAsync(EventEnvelope envelope, ConversationOfferMissed domainEvent, CancellationToken cancellationToken)
    {
        await staff.Clients.Group(StaffHub.GroupOf(domainEvent.OperatorId))
            .SendAsync("offer-withdrawn", new OfferWithdrawnEvent(domainEvent.ConversationId.Value, domainEvent.Declined), cancellationToken);
        feed.Publish(new ConversationChange(ConversationChangeKind.Offer, domainEvent.ConversationId, domainEvent.OperatorId, domainEvent.SkillGroupId));
    }

    public Task HandleAsync(EventEnvelope envelope, OperatorStatusChanged domainEvent, CancellationToken cancellationToken)
    {
        feed.Publish(new ConversationChange(ConversationChangeKind.Operator, default, domainEvent.OperatorId, null));
        return Task.CompletedTask;
    }

    public Task HandleAsync(EventEnvelope envelope, OperatorCapacityFreed domainEvent, CancellationToken cancellationToken)
    {
        feed.Publish(new ConversationChange(ConversationChangeKind.Operator, default, domainEvent.OperatorId, null));
        return Task.CompletedTask;
    }

    public async Task HandleAsync(EventEnvelope envelope, MessageAppended domainEvent, CancellationToken cancellationToken)
    {
        var message = await db.Messages.AsNoTracking().Include(m => m.Attachments)
            .FirstOrDefaultAsync(m => m.Id == domainEvent.MessageId, cancellationToken);
        var conversation = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == domainEvent.ConversationId).Select(c => new { c.ClientId, c.OperatorId, c.SkillGroupId })
            .FirstOrDefaultAsync(cancellationToken);
        if (message is null || conversation is null)
        {
            return;
        }

        var names = await AuthorNames.ForAsync(db, [message], cancellationToken);
        var view = MessageView.From(message, names.NameOf(message));
        if (message.Direction != MessageDirection.Note)
        {
            await clients.Clients.Group(ClientHub.GroupOf(conversation.ClientId)).SendAsync("message", view, cancellationToken);
        }

        if (conversation.OperatorId is { } op)
        {
            await staff.Clients.Group(StaffHub.GroupOf(op)).SendAsync("message", view, cancellationToken);
        }

        feed.Publish(new ConversationChange(ConversationChangeKind.Message, domainEvent.ConversationId, conversation.OperatorId, conversation.SkillGroupId, view));
    }

    public Task HandleAsync(EventEnvelope envelope, ConversationQueued domainEvent, CancellationToken cancellationToken) =>
        PushStatusAsync(domainEvent.ConversationId, cancellationToken);

    public Task HandleAsync(EventEnvelope envelope, ConversationAssigned domainEvent, CancellationToken cancellationToken) =>
        PushStatusAsync(domainEvent.ConversationId, cancellationToken);

    public async Task HandleAsync(EventEnvelope envelope, ConversationTransferred domainEvent, CancellationToken cancellationToken)
    {
        await PushStatusAsync(domainEvent.ConversationId, cancellationToken);
        if (domainEvent.FromOperatorId is { } from)
        {
            // The previous operator's screen drops the conversation.
            feed.Publish(new ConversationChange(ConversationChangeKind.Status, domainEvent.ConversationId, from, null));
        }
    }

    public Task HandleAsync(EventEnvelope envelope, ConversationClosed domainEvent, CancellationToken cancellationToken) =>
        PushStatusAsync(domainEvent.ConversationId, cancellationToken);

    private async Task PushStatusAsync(ConversationId id, CancellationToken cancellationToken)
    {
        var c = await db.Conversations.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.ClientId, x.OperatorId, x.SkillGroupId, x.Status }).FirstOrDefaultAsync(cancellationToken);
        if (c is null)
        {
            return;
        }

        var operatorName = c.OperatorId is { } op
            ? await db.Operators.Where(o => o.Id == op).Select(o => o.DisplayName).FirstOrDefaultAsync(cancellationToken)
            : null;
        var status = new ConversationStatusEvent(id.Value, c.Status, operatorName);
        await clients.Clients.Group(ClientHub.GroupOf(c.ClientId)).SendAsync("conversation", status, cancellationToken);
        if (c.OperatorId is { } assigned)
        {
            await staff.Clients.Group(StaffHub.GroupOf(assigned)).SendAsync("conversation", status, cancellationToken);
        }

        feed.Publish(new ConversationChange(ConversationChangeKind.Status, id, c.OperatorId, c.SkillGroupId));
    }
}

public sealed record OfferEvent(Guid ConversationId, Guid? SkillGroupId, DateTimeOffset ExpiresAt);

public sealed record OfferWithdrawnEvent(Guid ConversationId, bool Declined);

public sealed record QueueEvent(Guid ConversationId, int Position, int? ExpectedWaitSeconds);

public sealed record ReadEvent(Guid ConversationId, long Seq);

/// <summary>A message's delivery mark through a messenger (with the vendor's reason when it failed).</summary>
public sealed record DeliveryEvent(Guid ConversationId, Guid MessageId, DeliveryStatus Status, string? Error);
