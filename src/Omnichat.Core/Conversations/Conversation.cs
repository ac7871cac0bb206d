using System.Text.Json;
using Omnichat.Core.Kernel;
using Omnichat.Core.Kernel.Outbox;

namespace Omnichat.Core.Conversations;

/// <summary>Lifecycle (PRODUCT R5): new → bot → queued → assigned → closed → rated.</summary>
public enum ConversationStatus
{
    New,
    Bot,
    Queued,
    Assigned,
    Closed,
    Rated,
}

/// <summary>Who did something: the client, an operator, a bot or the platform itself.</summary>
public readonly record struct Actor(ActorKind Kind, string? Id)
{
    public static Actor System { get; } = new(ActorKind.System, null);

    public static Actor ForClient(ClientId id) => new(ActorKind.Client, id.ToString());

    public static Actor ForOperator(OperatorId id) => new(ActorKind.Operator, id.ToString());
}

/// <summary>
/// A conversation between a client and the company in one channel. Every state change is checked
/// here, recorded as a <see cref="ConversationEvent"/> row and raised as a domain event (outbox).
/// </summary>
public sealed class Conversation : AggregateRoot
{
    public const int MaxTopicLength = 200;
    public const int MaxCommentLength = 2000;

    private Conversation()
    {
    }

    public ConversationId Id { get; private set; }

    public ChannelId ChannelId { get; private set; }

    public ClientId ClientId { get; private set; }

    public BranchId? BranchId { get; private set; }

    public RegionId? RegionId { get; private set; }

    public SkillGroupId? SkillGroupId { get; private set; }

    public OperatorId? OperatorId { get; private set; }

    public ConversationStatus Status { get; private set; }

    public int Priority { get; private set; }

    public string? Topic { get; private set; }

    /// <summary>The resolution code chosen when it was closed (from the group's list).</summary>
    public string? Resolution { get; private set; }

    public const int MaxTags = 20;
    public const int MaxTagLength = 50;

    /// <summary>Labels staff put on the conversation (filters and reports).</summary>
    public List<string> Tags { get; private set; } = [];

    public int? Rating { get; private set; }

    public string? RatingComment { get; private set; }

    /// <summary>Sequence number of the last message; the next message gets this plus one.</summary>
    public long LastMessageSeq { get; private set; }

    /// <summary>
    /// Where to e-mail operator answers: set when the client left a request to be answered later
    /// (the widget's offline form), so the answer reaches them even if they never come back.
    /// </summary>
    public string? NotifyEmail { get; private set; }

    /// <summary>Sequence number of the last message the assigned operator has seen (for unread counts).</summary>
    public long OperatorReadSeq { get; private set; }

    /// <summary>Optimistic concurrency token: concurrent changes of one conversation cannot both commit.</summary>
    public long Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>
    /// Queue order time: set when the conversation first enters a queue and kept across transfers to
    /// another group, so a transferred client does not lose their place by waiting time.
    /// </summary>
    public DateTimeOffset? QueuedAt { get; private set; }

    /// <summary>The operator the conversation is offered to (it stays queued until they accept); counts against their capacity.</summary>
    public OperatorId? OfferedOperatorId { get; private set; }

    public DateTimeOffset? OfferExpiresAt { get; private set; }

    /// <summary>The operator who last missed or declined an offer of it; not offered to them again while others can take it.</summary>
    public OperatorId? LastMissedOperatorId { get; private set; }

    /// <summary>A returning client's last operator, preferred by routing when free (group's sticky window).</summary>
    public OperatorId? PreferredOperatorId { get; private set; }

    /// <summary>Since when the conversation may also go to backup groups and lower skill levels.</summary>
    public DateTimeOffset? OverflowedAt { get; private set; }

    /// <summary>When the group's maximum-queue-time action was applied (so it applies once per queue stay).</summary>
    public DateTimeOffset? MaxQueueHandledAt { get; private set; }

    public DateTimeOffset? AssignedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public DateTimeOffset? RatedAt { get; private set; }

    public ActorKind? ClosedBy { get; private set; }

    public List<Message> Messages { get; private set; } = [];

    public List<ConversationEvent> Events { get; private set; } = [];

    public bool IsOpen => Status is not (ConversationStatus.Closed or ConversationStatus.Rated);

    /// <summary>Opens a conversation; <paramref name="topic"/> (pre-chat form or bot) steers routing rules; a given consent text is recorded as an event.</summary>
    public static Conversation Open(ChannelId channelId, ClientId clientId, BranchId? branchId, RegionId? regionId, Actor actor, DateTimeOffset now,
        string? topic = null, string? consentText = null)
    {
        var conversation = new Conversation
        {
            Id = ConversationId.New(),
            ChannelId = channelId,
            ClientId = clientId,
            BranchId = branchId,
            RegionId = regionId,
            Status = ConversationStatus.New,
            CreatedAt = now,
            UpdatedAt = now,
            Topic = topic,
        };
        conversation.Record("opened", actor, now, data: topic is null ? null : new { topic });
        if (consentText is not null)
        {
            conversation.Record("consent", actor, now, data: new { text = consentText });
        }

        conversation.Raise(new ConversationOpened(conversation.Id, channelId, clientId));
        return conversation;
    }

    public void HandToBot(Actor actor, DateTimeOffset now)
    {
        Require(ConversationStatus.New);
        Status = ConversationStatus.Bot;
        Record("bot", actor, now);
        Raise(new ConversationHandedToBot(Id));
    }

    /// <summary>Puts a new (or bot-handled) conversation into a skill group's queue.</summary>
    public void Enqueue(SkillGroupId skillGroupId, int priority, Actor actor, DateTimeOffset now, OperatorId? preferredOperator = null)
    {
        Require(ConversationStatus.New, ConversationStatus.Bot);
        Status = ConversationStatus.Queued;
        SkillGroupId = skillGroupId;
        Priority = priority;
        QueuedAt ??= now;
        PreferredOperatorId = preferredOperator;
        Record("queued", actor, now, skillGroupId, null, new { priority });
        Raise(new ConversationQueued(Id, skillGroupId, priority));
    }

    /// <summary>
    /// Moves the conversation to another group's queue — from an operator (transfer to group) or from a
    /// queue (maximum queue time action). The original waiting time is kept for queue order.
    /// </summary>
    public OperatorId? TransferToGroup(SkillGroupId skillGroupId, string? comment, Actor actor, DateTimeOffset now)
    {
        Require(ConversationStatus.Assigned, ConversationStatus.Queued);
        if (Status == ConversationStatus.Queued && SkillGroupId == skillGroupId)
        {
            throw new ConflictException("The conversation is already in this group's queue.", "skillGroupId");
        }

        var released = OperatorId ?? OfferedOperatorId;
        Record("transferred", actor, now, skillGroupId, null, new { fromOperatorId = OperatorId, fromSkillGroupId = SkillGroupId, comment });
        Raise(new ConversationTransferred(Id, OperatorId, null, skillGroupId, comment));
        Status = ConversationStatus.Queued;
        SkillGroupId = skillGroupId;
        OperatorId = null;
        OfferedOperatorId = null;
        OfferExpiresAt = null;
        OverflowedAt = null;
        MaxQueueHandledAt = null;
        LastMissedOperatorId = null;
        QueuedAt ??= now;
        Record("queued", actor, now, skillGroupId, null, new { Priority, transferred = true });
        Raise(new ConversationQueued(Id, skillGroupId, Priority));
        return released;
    }

    /// <summary>Offers the queued conversation to an operator, who must accept before <paramref name="expiresAt"/>.</summary>
    public void Offer(OperatorId operatorId, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        Require(ConversationStatus.Queued);
        if (OfferedOperatorId is not null)
        {
            throw new ConflictException("The conversation is already offered to an operator.", "conversationId");
        }

        OfferedOperatorId = operatorId;
        OfferExpiresAt = expiresAt;
        Record("offered", Actor.System, now, SkillGroupId, operatorId, new { expiresAt });
        Raise(new ConversationOffered(Id, operatorId, SkillGroupId, expiresAt));
    }

    /// <summary>The offered operator accepts: the conversation is theirs.</summary>
    public void AcceptOffer(OperatorId operatorId, DateTimeOffset now)
    {
        if (Status != ConversationStatus.Queued || OfferedOperatorId != operatorId)
        {
            throw new ConflictException("There is no offer of this conversation for you (it was withdrawn or taken).", "conversationId");
        }

        if (OfferExpiresAt <= now)
        {
            throw new ConflictException("The offer has expired.", "conversationId");
        }

        Record("accepted", Actor.ForOperator(operatorId), now, SkillGroupId, operatorId);
        Assign(operatorId, Actor.ForOperator(operatorId), now);
    }

    /// <summary>The offer lapsed or was declined; the conversation waits for the next operator. Returns the operator to release.</summary>
    public OperatorId MissOffer(bool declined, DateTimeOffset now)
    {
        if (Status != ConversationStatus.Queued || OfferedOperatorId is not { } op)
        {
            throw new ConflictException("There is no pending offer of this conversation.", "conversationId");
        }

        OfferedOperatorId = null;
        OfferExpiresAt = null;
        LastMissedOperatorId = op;
        Record(declined ? "declined" : "missed", declined ? Actor.ForOperator(op) : Actor.System, now, SkillGroupId, op);
        Raise(new ConversationOfferMissed(Id, op, SkillGroupId, declined));
        return op;
    }

    /// <summary>After the group's overflow time the conversation may also go to backup groups and lower skill levels.</summary>
    public void Overflow(DateTimeOffset now)
    {
        Require(ConversationStatus.Queued);
        if (OverflowedAt is not null)
        {
            return;
        }

        OverflowedAt = now;
        Record("overflowed", Actor.System, now, SkillGroupId);
        Raise(new ConversationOverflowed(Id, SkillGroupId!.Value));
    }

    /// <summary>Marks the maximum-queue-time action as applied for this queue stay.</summary>
    public void MaxQueueTimeReached(string action, DateTimeOffset now)
    {
        Require(ConversationStatus.Queued);
        MaxQueueHandledAt = now;
        Record("max-queue-time", Actor.System, now, SkillGroupId, null, new { action });
    }

    /// <summary>Assigns the queued conversation (auto-accept, manual pick, supervisor); the caller reserved the operator's capacity.</summary>
    public void Assign(OperatorId operatorId, Actor actor, DateTimeOffset now)
    {
        Require(ConversationStatus.Queued);
        if (OfferedOperatorId is { } offered && offered != operatorId)
        {
            throw new ConflictException("The conversation is offered to another operator.", "conversationId");
        }

        Status = ConversationStatus.Assigned;
        OperatorId = operatorId;
        OfferedOperatorId = null;
        OfferExpiresAt = null;
        AssignedAt = now;
        Record("assigned", actor, now, SkillGroupId, operatorId, new { waitedSeconds = QueuedAt is { } q ? (now - q).TotalSeconds : 0 });
        Raise(new ConversationAssigned(Id, operatorId, SkillGroupId));
    }


    /// <summary>Hands the conversation straight to an operator (transfer, supervisor reassign or take-over); returns the operator released.</summary>
    public OperatorId? TransferToOperator(OperatorId toOperatorId, string? comment, Actor actor, DateTimeOffset now)
    {
        Require(ConversationStatus.Assigned, ConversationStatus.Queued);
        if (OperatorId == toOperatorId)
        {
            throw new ConflictException("The conversation is already assigned to this operator.", "operatorId");
        }

        var from = OperatorId;
        var released = OperatorId ?? OfferedOperatorId;
        var wasQueued = Status == ConversationStatus.Queued;
        Status = ConversationStatus.Assigned;
        OperatorId = toOperatorId;
        OfferedOperatorId = null;
        OfferExpiresAt = null;
        AssignedAt = now;
        Record("transferred", actor, now, SkillGroupId, toOperatorId, new { fromOperatorId = from, comment });
        Raise(new ConversationTransferred(Id, from, toOperatorId, SkillGroupId, comment));
        if (wasQueued)
        {
            Record("assigned", actor, now, SkillGroupId, toOperatorId, new { waitedSeconds = QueuedAt is { } q ? (now - q).TotalSeconds : 0 });
            Raise(new ConversationAssigned(Id, toOperatorId, SkillGroupId));
        }

        return released;
    }

    /// <summary>Closes the conversation; returns the operator whose capacity it held (assigned or offered), if any.</summary>
    public OperatorId? Close(string? topic, Actor actor, DateTimeOffset now, string? resolution = null)
    {
        if (!IsOpen)
        {
            throw new ConflictException($"The conversation is already {Status.ToString().ToLowerInvariant()}.", "status");
        }

        var released = OperatorId ?? OfferedOperatorId;
        if (Status == ConversationStatus.Queued && actor.Kind == ActorKind.Client)
        {
            // The client gave up waiting (PRODUCT "abandoned").
            Record("abandoned", actor, now, SkillGroupId, null, new { waitedSeconds = QueuedAt is { } q ? (now - q).TotalSeconds : 0 });
        }

        OfferedOperatorId = null;
        OfferExpiresAt = null;
        Status = ConversationStatus.Closed;
        Topic = topic ?? Topic;
        Resolution = resolution;
        ClosedAt = now;
        ClosedBy = actor.Kind;
        Record("closed", actor, now, SkillGroupId, OperatorId, new { topic, resolution });
        Raise(new ConversationClosed(Id, actor.Kind, Topic, OperatorId, SkillGroupId));
        return released;
    }

    public void Rate(int score, string? comment, Actor actor, DateTimeOffset now)
    {
        if (score is < 1 or > 5)
        {
            throw new FieldValidationException("score", "A rating is 1 to 5.");
        }

        Require(ConversationStatus.Closed);
        Status = ConversationStatus.Rated;
        Rating = score;
        RatingComment = comment;
        RatedAt = now;
        Record("rated", actor, now, SkillGroupId, OperatorId, new { score, comment });
        Raise(new ConversationRated(Id, score, comment));
    }

    /// <summary>
    /// Appends a message with the next sequence number. Callers de-duplicate by
    /// <paramref name="clientMessageId"/> before calling (a unique index backs it up).
    /// </summary>
    public Message AppendMessage(MessageDirection direction, Actor author, string? text, string? clientMessageId,
        IReadOnlyList<MessageAttachment>? attachments, DateTimeOffset now)
    {
        if (!IsOpen && direction != MessageDirection.Note)
        {
            throw new ConflictException("The conversation is closed.", "conversationId");
        }

        if (string.IsNullOrWhiteSpace(text) && (attachments is null || attachments.Count == 0))
        {
            throw new FieldValidationException("text", "A message needs text or an attachment.");
        }

        var message = new Message
        {
            Id = MessageId.New(),
            ConversationId = Id,
            Seq = ++LastMessageSeq,
            Direction = direction,
            AuthorKind = author.Kind,
            AuthorId = author.Id,
            Text = text,
            ClientMessageId = clientMessageId,
            DeliveryStatus = direction is MessageDirection.Out ? DeliveryStatus.Pending : DeliveryStatus.Delivered,
            CreatedAt = now,
        };
        foreach (var a in attachments ?? [])
        {
            // Uploaded earlier (tracked); from now on the file belongs to this message and conversation.
            a.MessageId = message.Id;
            a.ConversationId = Id;
            message.Attachments.Add(a);
        }

        Messages.Add(message);
        UpdatedAt = now;
        Version++;
        Raise(new MessageAppended(Id, message.Id, message.Seq, direction, author.Kind));
        return message;
    }

    /// <summary>Replaces the tags (trimmed, de-duplicated case-insensitively, in the given order).</summary>
    public void SetTags(IEnumerable<string> tags, Actor actor, DateTimeOffset now)
    {
        var clean = tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (clean.SequenceEqual(Tags, StringComparer.Ordinal))
        {
            return;
        }

        Tags = clean;
        UpdatedAt = now;
        Version++;
        Record("tagged", actor, now, SkillGroupId, OperatorId, new { tags = clean });
    }

    /// <summary>Operator answers will also be e-mailed to this address (null stops it).</summary>
    public void NotifyByEmail(string? email)
    {
        if (NotifyEmail != email)
        {
            NotifyEmail = email;
            Version++;
        }
    }

    /// <summary>Moves the operator's read marker forward (never back).</summary>
    public void MarkReadByOperator(long seq)
    {
        var capped = Math.Min(seq, LastMessageSeq);
        if (capped > OperatorReadSeq)
        {
            OperatorReadSeq = capped;
            Version++;
            Raise(new ConversationReadByOperator(Id, capped));
        }
    }

    private void Require(params ConversationStatus[] allowed)
    {
        if (!allowed.Contains(Status))
        {
            throw new ConflictException(
                $"Not allowed while the conversation is {Status.ToString().ToLowerInvariant()}.", "status");
        }
    }

    private void Record(string type, Actor actor, DateTimeOffset now, SkillGroupId? group = null, OperatorId? op = null, object? data = null)
    {
        Events.Add(new ConversationEvent
        {
            ConversationId = Id,
            Type = type,
            OccurredAt = now,
            ActorKind = actor.Kind,
            ActorId = actor.Id,
            SkillGroupId = group,
            OperatorId = op,
            Data = data is null ? null : JsonSerializer.Serialize(data, DomainEventSerializer.Options),
        });
        UpdatedAt = now;
        Version++;
    }
}
