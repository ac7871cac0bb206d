using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

/// <summary>
/// A client's message: appended to the client's open conversation in the channel, or opening a new one
/// (exactly one open per client and channel, also under racing first messages). Idempotent by
/// <c>clientMessageId</c>: a repeat returns the original message.
/// </summary>
public static class SendClientMessage
{
    /// <summary>A client message; <c>NotifyEmail</c> (optional) e-mails operator answers to that address (an offline request).</summary>
    public sealed record Request(string ClientMessageId, string? Text, IReadOnlyList<Guid>? AttachmentIds, string? NotifyEmail = null);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator(IOptions<OmnichatOptions> options)
        {
            MessageRules.ClientMessageId(RuleFor(r => r.ClientMessageId));
            MessageRules.Text(RuleFor(r => r.Text), options.Value.Messages.MaxTextLength);
            RuleFor(r => r.NotifyEmail).Must(e => e is null || Mail.MailRules.IsValidAddress(e)).WithMessage("'notifyEmail' is not a valid e-mail address.");
            RuleFor(r => r.AttachmentIds).Must(a => a is null || a.Count == 0)
                .WithMessage("Attachments are not accepted yet: file upload arrives with the files feature.");
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public Task<SentMessage> HandleAsync(ClientPrincipal client, Request request, CancellationToken cancellationToken) =>
            MessageRules.WithConflictRetryAsync(db, ct => AttemptAsync(client, request, ct), cancellationToken);

        private async Task<SentMessage> AttemptAsync(ClientPrincipal client, Request request, CancellationToken cancellationToken)
        {
            var author = client.ClientId.ToString();
            var existing = await MessageRules.FindBySenderKeyAsync(db, author, request.ClientMessageId, cancellationToken);
            if (existing is not null)
            {
                return new SentMessage(MessageView.From(existing, null), Created: false);
            }

            var now = time.GetUtcNow();
            var actor = Actor.ForClient(client.ClientId);
            var conversation = await db.Conversations
                .Where(c => c.ClientId == client.ClientId && c.ChannelId == client.ChannelId
                            && c.Status != ConversationStatus.Closed && c.Status != ConversationStatus.Rated)
                .FirstOrDefaultAsync(cancellationToken);
            if (conversation is null)
            {
                var channel = await db.Channels.AsNoTracking().FirstAsync(c => c.Id == client.ChannelId, cancellationToken);
                if (!channel.Enabled)
                {
                    throw new ConflictException("This channel is disabled.", "channelKey");
                }

                conversation = Conversation.Open(channel.Id, client.ClientId, channel.BranchId, channel.RegionId, actor, now);
                db.Conversations.Add(conversation);
            }

            var message = conversation.AppendMessage(MessageDirection.In, actor, request.Text, request.ClientMessageId, null, now);
            if (request.NotifyEmail is { } notify)
            {
                conversation.NotifyByEmail(notify.Trim());
            }

            await db.SaveChangesAsync(cancellationToken);
            return new SentMessage(MessageView.From(message, null), Created: true);
        }
    }
}
