using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Kernel.Outbox;

namespace Omnichat.Core.Mail;

/// <summary>
/// An operator answered a request the client left to be answered later (<see cref="Conversation.NotifyEmail"/>):
/// the answer goes to the client by e-mail. Exactly once per answer: the mail is queued in the same
/// transaction that records the event as handled.
/// </summary>
public sealed class EmailOperatorAnswers(OmnichatDbContext db, MailQueue queue, TimeProvider time)
    : IdempotentListener<MessageAppended>(db, time)
{
    protected override bool Concerns(MessageAppended domainEvent) =>
        domainEvent is { Direction: MessageDirection.Out, AuthorKind: ActorKind.Operator };

    protected override async Task HandleOnceAsync(EventEnvelope envelope, MessageAppended domainEvent, CancellationToken cancellationToken)
    {
        var conversation = await Db.Conversations.AsNoTracking()
            .Where(c => c.Id == domainEvent.ConversationId && c.NotifyEmail != null)
            .Select(c => new { c.NotifyEmail, c.ChannelId, c.ClientId })
            .FirstOrDefaultAsync(cancellationToken);
        if (conversation is null)
        {
            return;
        }

        var message = await Db.Messages.AsNoTracking().FirstAsync(m => m.Id == domainEvent.MessageId, cancellationToken);
        var names = await AuthorNames.ForAsync(Db, [message], cancellationToken);
        var channel = await Db.Channels.AsNoTracking().Where(c => c.Id == conversation.ChannelId).Select(c => c.Name).FirstAsync(cancellationToken);
        var client = await Db.Clients.AsNoTracking().Where(c => c.Id == conversation.ClientId).Select(c => c.DisplayName).FirstOrDefaultAsync(cancellationToken);
        var (subject, html, text) = MailTemplates.Answer(null, channel, names.NameOf(message), message.Text ?? "");
        queue.Enqueue(Db, new MailDraft("answer", conversation.NotifyEmail!, client, subject, html, text));
    }
}
