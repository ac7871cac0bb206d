using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Mail;

/// <summary>
/// Sends the whole conversation (without staff notes) by e-mail — requested by the client from the
/// widget or by staff from the workstation. Queued in the same transaction; the address, when the client
/// gives one, is remembered on the client.
/// </summary>
public static class SendTranscript
{
    public sealed record Request(string? Email, Guid? ConversationId, string? Locale);

    public sealed record Response(Guid MailId, string Email);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Email).Must(e => e is null || MailRules.IsValidAddress(e)).WithMessage("'email' is not a valid e-mail address.");
            RuleFor(r => r.Locale).MaximumLength(16);
        }
    }

    public sealed class Handler(OmnichatDbContext db, MailQueue queue, TimeProvider time)
    {
        public async Task<Response> ForClientAsync(ClientPrincipal client, Request request, CancellationToken cancellationToken)
        {
            var mine = db.Conversations.Where(c => c.ClientId == client.ClientId && c.ChannelId == client.ChannelId);
            var conversation = request.ConversationId is { } id
                ? await mine.FirstOrDefaultAsync(c => c.Id == ConversationId.From(id), cancellationToken) ?? throw new NotFoundException("Conversation", id)
                : await mine.OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(cancellationToken)
                  ?? throw new FieldValidationException("conversationId", "There is no conversation to send yet.");
            return await QueueAsync(conversation, request, rememberEmail: true, cancellationToken);
        }

        public async Task<Response> ForStaffAsync(StaffScope scope, Guid conversationId, Request request, CancellationToken cancellationToken)
        {
            var conversation = await scope.Visible(db.Conversations).FirstOrDefaultAsync(c => c.Id == ConversationId.From(conversationId), cancellationToken)
                ?? throw new NotFoundException("Conversation", conversationId);
            // A transcript mailed out of the system is an export: audited with who, which conversation and where to.
            db.AuditRecords.Add(Audit.AuditRecord.Create(scope.Actor,
                "conversation.export-transcript", "conversation", conversation.Id.ToString(), conversation.ClientId.ToString(), null,
                new { to = request.Email ?? "(client's e-mail)" }, time.GetUtcNow()));
            return await QueueAsync(conversation, request, rememberEmail: false, cancellationToken);
        }

        private async Task<Response> QueueAsync(Conversation conversation, Request request, bool rememberEmail, CancellationToken cancellationToken)
        {
            var client = await db.Clients.FirstAsync(c => c.Id == conversation.ClientId, cancellationToken);
            var email = request.Email ?? client.Email
                ?? throw new FieldValidationException("email", "The client has no e-mail address: give one.");
            if (rememberEmail && client.Email is null)
            {
                client.UpdateContacts(client.DisplayName, client.Phone, email, time.GetUtcNow());
            }

            var channel = await db.Channels.AsNoTracking().Where(c => c.Id == conversation.ChannelId).Select(c => c.Name).FirstAsync(cancellationToken);
            var messages = await db.Messages.AsNoTracking().Include(m => m.Attachments)
                .Where(m => m.ConversationId == conversation.Id && m.Direction != MessageDirection.Note)
                .OrderBy(m => m.Seq).ToListAsync(cancellationToken);
            var names = await AuthorNames.ForAsync(db, messages, cancellationToken);
            var en = MailTemplates.IsEnglish(request.Locale);
            var lines = messages.Select(m => new MailTemplates.TranscriptLine(
                m.Direction == MessageDirection.In ? (en ? "You" : "Вы") : names.NameOf(m) ?? (en ? "Operator" : "Оператор"),
                m.CreatedAt, string.Join('\n', new[] { m.Text ?? "" }.Concat(m.Attachments.Select(a => "📎 " + a.FileName)).Where(t => t.Length > 0)))).ToList();
            var (subject, html, text) = MailTemplates.Transcript(request.Locale, channel, conversation.CreatedAt, lines);
            var mail = queue.Enqueue(db, new MailDraft("transcript", email, client.DisplayName, subject, html, text));
            await db.SaveChangesAsync(cancellationToken);
            return new Response(mail.Id, email);
        }
    }
}
