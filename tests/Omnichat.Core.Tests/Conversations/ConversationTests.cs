using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Tests.Conversations;

public sealed class ConversationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly ClientId Client = ClientId.New();
    private static readonly OperatorId Anna = OperatorId.New();
    private static readonly OperatorId Boris = OperatorId.New();
    private static readonly SkillGroupId Support = SkillGroupId.New();

    private static Conversation Open() =>
        Conversation.Open(ChannelId.New(), Client, null, null, Actor.ForClient(Client), T0);

    [Fact]
    public void FullLifecycle_RecordsEveryStateChange_AsRowsAndDomainEvents()
    {
        var c = Open();
        c.HandToBot(Actor.System, T0.AddSeconds(1));
        c.Enqueue(Support, priority: 0, Actor.System, T0.AddSeconds(2));
        c.Assign(Anna, Actor.System, T0.AddSeconds(3));
        c.Close("billing", Actor.ForOperator(Anna), T0.AddMinutes(5));
        c.Rate(5, "Спасибо!", Actor.ForClient(Client), T0.AddMinutes(6));

        Assert.Equal(ConversationStatus.Rated, c.Status);
        Assert.Equal(["opened", "bot", "queued", "assigned", "closed", "rated"], c.Events.Select(e => e.Type));
        Assert.Equal(
            [typeof(ConversationOpened), typeof(ConversationHandedToBot), typeof(ConversationQueued), typeof(ConversationAssigned), typeof(ConversationClosed), typeof(ConversationRated)],
            c.DomainEvents.Select(e => e.GetType()));
        Assert.All(c.DomainEvents, e => Assert.Equal("conversation:" + c.Id, e.StreamKey));
        Assert.Equal(T0.AddSeconds(2), c.QueuedAt);
        Assert.Equal(T0.AddSeconds(3), c.AssignedAt);
        Assert.Equal(T0.AddMinutes(5), c.ClosedAt);
        Assert.Equal(ActorKind.Operator, c.ClosedBy);
        Assert.Equal("billing", c.Topic);
        Assert.Equal(5, c.Rating);
        Assert.Equal(Anna, c.Events.Single(e => e.Type == "assigned").OperatorId);
    }

    [Fact]
    public void Messages_AreNumberedOneByOne_AndRaiseMessageAppended()
    {
        var c = Open();
        var m1 = c.AppendMessage(MessageDirection.In, Actor.ForClient(Client), "Здравствуйте", "c-1", null, T0);
        var m2 = c.AppendMessage(MessageDirection.Out, Actor.ForOperator(Anna), "Добрый день", "o-1", null, T0.AddSeconds(5));
        var m3 = c.AppendMessage(MessageDirection.Note, Actor.ForOperator(Anna), "internal", null, null, T0.AddSeconds(6));

        Assert.Equal([1L, 2L, 3L], new[] { m1.Seq, m2.Seq, m3.Seq });
        Assert.Equal(3, c.LastMessageSeq);
        Assert.Equal(DeliveryStatus.Delivered, m1.DeliveryStatus);
        Assert.Equal(DeliveryStatus.Pending, m2.DeliveryStatus);
        Assert.Equal(3, c.DomainEvents.OfType<MessageAppended>().Count());
    }

    [Fact]
    public void Message_WithAttachmentOnly_IsAccepted_WithoutTextOrFile_IsRejected()
    {
        var c = Open();
        var m = c.AppendMessage(MessageDirection.In, Actor.ForClient(Client), null, "c-1",
            [new MessageAttachment { Id = AttachmentId.New(), FileName = "photo.jpg", ContentType = "image/jpeg", Size = 1234, StorageKey = "2026/11/ab" }], T0);
        var attached = Assert.Single(m.Attachments);
        Assert.Equal("photo.jpg", attached.FileName);
        Assert.Equal((m.Id, c.Id), (attached.MessageId, attached.ConversationId));

        var error = Assert.Throws<FieldValidationException>(() =>
            c.AppendMessage(MessageDirection.In, Actor.ForClient(Client), "   ", "c-2", null, T0));
        Assert.Equal("text", error.Field);
    }

    [Fact]
    public void ClosedConversation_RefusesMessagesButAcceptsNotes()
    {
        var c = Open();
        c.Close(null, Actor.ForClient(Client), T0);
        Assert.Throws<ConflictException>(() => c.AppendMessage(MessageDirection.In, Actor.ForClient(Client), "again", "c-9", null, T0));
        var note = c.AppendMessage(MessageDirection.Note, Actor.ForOperator(Anna), "follow up", null, null, T0);
        Assert.Equal(1, note.Seq);
    }

    [Fact]
    public void ForbiddenTransitions_AreConflicts_AndChangeNothing()
    {
        var c = Open();
        Assert.Throws<ConflictException>(() => c.Rate(5, null, Actor.ForClient(Client), T0));
        Assert.Throws<ConflictException>(() => c.TransferToOperator(Boris, null, Actor.System, T0));
        c.Close(null, Actor.System, T0);
        Assert.Throws<ConflictException>(() => c.Close(null, Actor.System, T0));
        Assert.Throws<ConflictException>(() => c.Assign(Anna, Actor.System, T0));
        Assert.Throws<ConflictException>(() => c.Enqueue(Support, 0, Actor.System, T0));
        Assert.Equal(ConversationStatus.Closed, c.Status);
        Assert.Equal(["opened", "closed"], c.Events.Select(e => e.Type));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void Rating_OutsideOneToFive_IsRejected(int score)
    {
        var c = Open();
        c.Close(null, Actor.System, T0);
        Assert.Equal("score", Assert.Throws<FieldValidationException>(() => c.Rate(score, null, Actor.ForClient(Client), T0)).Field);
        Assert.Equal(ConversationStatus.Closed, c.Status);
    }

    [Fact]
    public void Transfers_ToOperatorAndBackToAQueue_AreRecordedWithTheirOrigin()
    {
        var c = Open();
        c.Enqueue(Support, 0, Actor.System, T0);
        c.Assign(Anna, Actor.System, T0.AddSeconds(10));
        c.TransferToOperator(Boris, "needs billing access", Actor.ForOperator(Anna), T0.AddSeconds(20));
        Assert.Equal(Boris, c.OperatorId);

        var billing = SkillGroupId.New();
        var released = c.TransferToGroup(billing, "billing", Actor.ForOperator(Boris), T0.AddSeconds(30));
        Assert.Equal(Boris, released);
        Assert.Equal(ConversationStatus.Queued, c.Status);
        Assert.Equal(T0, c.QueuedAt); // the original waiting time is kept
        Assert.Null(c.OperatorId);
        Assert.Equal(billing, c.SkillGroupId);

        var transfers = c.DomainEvents.OfType<ConversationTransferred>().ToList();
        Assert.Equal(2, transfers.Count);
        Assert.Equal((Anna, Boris), (transfers[0].FromOperatorId!.Value, transfers[0].ToOperatorId!.Value));
        Assert.Equal((Boris, billing), (transfers[1].FromOperatorId!.Value, transfers[1].ToSkillGroupId!.Value));
        // Back in a queue it can be handed to an operator directly (supervisor reassign), not once closed.
        c.TransferToOperator(Anna, null, Actor.System, T0.AddSeconds(40));
        Assert.Equal((ConversationStatus.Assigned, Anna), (c.Status, c.OperatorId!.Value));
        c.Close(null, Actor.ForOperator(Anna), T0.AddSeconds(50));
        Assert.Throws<ConflictException>(() => c.TransferToOperator(Boris, null, Actor.System, T0.AddSeconds(60)));
    }

    [Fact]
    public void DeliveryStatus_OnlyMovesForward_AndFailureIsFinal()
    {
        var c = Open();
        var m = c.AppendMessage(MessageDirection.Out, Actor.ForOperator(Anna), "hi", "o-1", null, T0);
        m.SetDeliveryStatus(DeliveryStatus.Read);
        m.SetDeliveryStatus(DeliveryStatus.Delivered);
        Assert.Equal(DeliveryStatus.Read, m.DeliveryStatus);

        var failed = c.AppendMessage(MessageDirection.Out, Actor.ForOperator(Anna), "bye", "o-2", null, T0);
        failed.SetDeliveryStatus(DeliveryStatus.Failed);
        failed.SetDeliveryStatus(DeliveryStatus.Read);
        Assert.Equal(DeliveryStatus.Failed, failed.DeliveryStatus);
    }

    [Fact]
    public void EveryChange_BumpsTheConcurrencyVersion()
    {
        var c = Open();
        var v = c.Version;
        c.AppendMessage(MessageDirection.In, Actor.ForClient(Client), "x", "c-1", null, T0);
        Assert.True(c.Version > v);
        v = c.Version;
        c.Close(null, Actor.System, T0);
        Assert.True(c.Version > v);
    }
}
