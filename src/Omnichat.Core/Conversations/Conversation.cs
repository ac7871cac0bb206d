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

    public DateTimeOffset? QueuedAt { get; private set; }

    public DateTimeOffset? AssignedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public DateTimeOffset? RatedAt { get; private set; }

    public ActorKind? ClosedBy { get; private set; }

    public List<Message> Messages { get; private set; } = [];

    public List<ConversationEvent> Events { get; private set; } = [];

    public bool IsOpen => Status is not (ConversationStatus.Closed or ConversationStatus.Rated);

    public static Conversation Open(ChannelId channelId, ClientId clientId, BranchId? branchId, RegionId? regionId, Actor actor, DateTimeOffset now)
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
        };
        conversation.Record("opened", actor, now);
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

    /// <summary>Puts the conversation into a skill group's queue (from new, bot, or back from an operator).</summary>
    public void Enqueue(SkillGroupId skillGroupId, int priority, Actor actor, DateTimeOffset now)
    {
        Require(ConversationStatus.New, ConversationStatus.Bot, ConversationStatus.Assigned);
        var fromOperator = OperatorId;
        if (Status == ConversationStatus.Assigned)
        {
            Record("transferred", actor, now, skillGroupId, null, new { fromOperatorId = fromOperator });
            Raise(new ConversationTransferred(Id, fromOperator, null, skillGroupId, null));
        }

        Status = ConversationStatus.Queued;
        SkillGroupId = skillGroupId;
        OperatorId = null;
        Priority = priority;
        QueuedAt = now;
        Record("queued", actor, now, skillGroupId);
        Raise(new ConversationQueued(Id, skillGroupId, priority));
    }

    public void Assign(OperatorId operatorId, Actor actor, DateTimeOffset now)
    {
        Require(ConversationStatus.Queued, ConversationStatus.New, ConversationStatus.Bot);
        Status = ConversationStatus.Assigned;
        OperatorId = operatorId;
        AssignedAt = now;
        Record("assigned", actor, now, SkillGroupId, operatorId);
        Raise(new ConversationAssigned(Id, operatorId, SkillGroupId));
    }

    /// <summary>Hands an assigned conversation directly to another operator.</summary>
    public void TransferToOperator(OperatorId toOperatorId, string? comment, Actor actor, DateTimeOffset now)
    {
        Require(ConversationStatus.Assigned);
        if (OperatorId == toOperatorId)
        {
            throw new ConflictException("The conversation is already assigned to this operator.", "operatorId");
        }

        var from = OperatorId;
        OperatorId = toOperatorId;
        AssignedAt = now;
        Record("transferred", actor, now, SkillGroupId, toOperatorId, new { fromOperatorId = from, comment });
        Raise(new ConversationTransferred(Id, from, toOperatorId, SkillGroupId, comment));
    }

    public void Close(string? topic, Actor actor, DateTimeOffset now)
    {
        if (!IsOpen)
        {
            throw new ConflictException($"The conversation is already {Status.ToString().ToLowerInvariant()}.", "status");
        }

        Status = ConversationStatus.Closed;
        Topic = topic ?? Topic;
        ClosedAt = now;
        ClosedBy = actor.Kind;
        Record("closed", actor, now, SkillGroupId, OperatorId, new { topic });
        Raise(new ConversationClosed(Id, actor.Kind, Topic));
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
        IReadOnlyList<NewAttachment>? attachments, DateTimeOffset now)
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
            message.Attachments.Add(new MessageAttachment
            {
                Id = AttachmentId.New(),
                MessageId = message.Id,
                FileName = a.FileName,
                ContentType = a.ContentType,
                Size = a.Size,
                StorageKey = a.StorageKey,
            });
        }

        Messages.Add(message);
        UpdatedAt = now;
        Version++;
        Raise(new MessageAppended(Id, message.Id, message.Seq, direction, author.Kind));
        return message;
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
