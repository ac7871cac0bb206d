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
    /// <remarks>
    /// <c>Topic</c> and <c>Consent</c> come from the widget's pre-chat form and apply when the message opens a
    /// conversation: the topic must be one of the channel's topics (routing rules match it); consent is
    /// required when the channel's form has a consent text.
    /// </remarks>
    public sealed record Request(string ClientMessageId, string? Text, IReadOnlyList<Guid>? AttachmentIds, string? NotifyEmail = null,
        string? Topic = null, bool? Consent = null);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator(IOptions<OmnichatOptions> options)
        {
            MessageRules.ClientMessageId(RuleFor(r => r.ClientMessageId));
            MessageRules.OptionalText(RuleFor(r => r.Text), options.Value.Messages.MaxTextLength, r => r.AttachmentIds is { Count: > 0 });
            RuleFor(r => r.NotifyEmail).Must(e => e is null || Mail.MailRules.IsValidAddress(e)).WithMessage("'notifyEmail' is not a valid e-mail address.");
            RuleFor(r => r.Topic).MaximumLength(Channels.PreChatForm.MaxTopicLength);
            RuleFor(r => r.AttachmentIds).Must(a => a is null || a.Count <= Files.PendingUploads.MaxPerMessage)
                .WithMessage($"At most {Files.PendingUploads.MaxPerMessage} files per message.");
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

                var preChat = Channels.WebchatSettings.From(channel.Settings).PreChat;
                var topic = string.IsNullOrWhiteSpace(request.Topic) ? null : request.Topic.Trim();
                if (topic is not null && !preChat.Topics.Contains(topic, StringComparer.OrdinalIgnoreCase))
                {
                    throw new FieldValidationException("topic", "Choose one of the channel's topics.");
                }

                if (preChat is { Enabled: true, ConsentText: not null } && request.Consent != true)
                {
                    throw new FieldValidationException("consent", "Consent to the processing of personal data is required to start a conversation.");
                }

                conversation = Conversation.Open(channel.Id, client.ClientId, channel.BranchId, channel.RegionId, actor, now,
                    topic is null ? null : preChat.Topics.First(t => string.Equals(t, topic, StringComparison.OrdinalIgnoreCase)),
                    preChat.ConsentText is { } consentText && request.Consent == true ? consentText : null);
                db.Conversations.Add(conversation);
            }

            var files = await Files.PendingUploads.TakeAsync(db, author, client.ChannelId, request.AttachmentIds, cancellationToken);
            var message = conversation.AppendMessage(MessageDirection.In, actor, request.Text, request.ClientMessageId, files, now);
            if (request.NotifyEmail is { } notify)
            {
                conversation.NotifyByEmail(notify.Trim());
            }

            await db.SaveChangesAsync(cancellationToken);
            return new SentMessage(MessageView.From(message, null), Created: true);
        }
    }
}
