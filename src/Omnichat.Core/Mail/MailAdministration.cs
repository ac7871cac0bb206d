using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Mail;

/// <summary>SMTP settings as administrators see them: the password is never shown, only whether one is set.</summary>
public sealed record MailSettingsView(
    string Host, int Port, MailSecurity Security, string? UserName, bool PasswordSet, string FromAddress, string? FromName, bool Saved);

/// <summary>Reads and replaces the SMTP settings (saved settings override the configuration).</summary>
public static class SaveMailSettings
{
    public sealed record Request(string Host, int? Port, MailSecurity? Security, string? UserName, string? Password, string FromAddress, string? FromName);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Host).NotEmpty().MaximumLength(253).Matches("^[A-Za-z0-9.-]+$").WithMessage("'host' must be a host name or an IP address.");
            RuleFor(r => r.Port).NotNull().InclusiveBetween(1, 65535);
            RuleFor(r => r.Security).NotNull().IsInEnum();
            RuleFor(r => r.UserName).MaximumLength(256).Must(v => !MailRules.HasLineBreak(v)).WithMessage("'userName' must not contain line breaks.");
            RuleFor(r => r.Password).MaximumLength(512);
            RuleFor(r => r.FromAddress).Must(MailRules.IsValidAddress).WithMessage("'fromAddress' is not a valid e-mail address.");
            RuleFor(r => r.FromName).MaximumLength(OutgoingMail.MaxNameLength).Must(v => !MailRules.HasLineBreak(v)).WithMessage("'fromName' must not contain line breaks.");
        }
    }

    public sealed class Handler(OmnichatDbContext db, MailSettingsProvider provider, TimeProvider time)
    {
        public async Task<MailSettingsView> GetAsync(CancellationToken cancellationToken)
        {
            var saved = await db.MailSettings.AnyAsync(cancellationToken);
            var s = await provider.GetAsync(db, cancellationToken);
            return new MailSettingsView(s.Host, s.Port, s.Security, s.UserName, !string.IsNullOrEmpty(s.Password), s.FromAddress, s.FromName, saved);
        }

        /// <summary>A null password keeps the stored one; an empty string removes it.</summary>
        public async Task<MailSettingsView> SaveAsync(Request request, CancellationToken cancellationToken)
        {
            var record = await db.MailSettings.FirstOrDefaultAsync(cancellationToken);
            if (record is null)
            {
                record = new MailSettingsRecord();
                db.MailSettings.Add(record);
            }

            record.Host = request.Host;
            record.Port = request.Port!.Value;
            record.Security = request.Security!.Value;
            record.UserName = string.IsNullOrEmpty(request.UserName) ? null : request.UserName;
            if (request.Password is not null)
            {
                record.ProtectedPassword = request.Password.Length == 0 ? null : provider.Protect(request.Password);
            }

            record.FromAddress = request.FromAddress;
            record.FromName = request.FromName;
            record.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            return await GetAsync(cancellationToken);
        }
    }
}

/// <summary>"Send test e-mail": sends at once with the settings in force and reports the server's answer.</summary>
public static class SendTestMail
{
    public sealed record Request(string To, string? Locale);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator() => RuleFor(r => r.To).Must(MailRules.IsValidAddress).WithMessage("'to' is not a valid e-mail address.");
    }

    /// <summary>The SMTP server could not be reached or refused the message; the detail is its answer.</summary>
    public sealed class TestMailFailedException(string message) : OmnichatException(message);

    public sealed class Handler(OmnichatDbContext db, MailSettingsProvider provider, ISmtpTransport transport)
    {
        public async Task HandleAsync(Request request, CancellationToken cancellationToken)
        {
            var settings = await provider.GetAsync(db, cancellationToken);
            if (!settings.IsConfigured)
            {
                throw new TestMailFailedException("Mail is not configured: set the SMTP host and sender first.");
            }

            var (subject, html, text) = MailTemplates.Test(request.Locale);
            var mail = new OutgoingMail { Id = Guid.CreateVersion7(), ToAddress = request.To, Subject = subject, HtmlBody = html, TextBody = text };
            try
            {
                await transport.SendAsync(settings, MailDispatcher.ToMime(mail, settings), cancellationToken);
            }
            catch (Exception ex) when (ex is PermanentMailFailureException or IOException or TimeoutException)
            {
                throw new TestMailFailedException(ex.Message);
            }
        }
    }
}

public sealed record OutgoingMailView(
    Guid Id, string Kind, string ToAddress, string Subject, MailStatus Status, int Attempts,
    DateTimeOffset? NextAttemptAt, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>The outgoing queue for administrators: what is waiting, sent, failed (with the server's answer); retry a failed mail.</summary>
public static class ListOutgoingMail
{
    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<IReadOnlyList<OutgoingMailView>> HandleAsync(MailStatus? status, int limit, CancellationToken cancellationToken)
        {
            if (limit is < 1 or > 500)
            {
                throw new FieldValidationException("limit", "'limit' must be between 1 and 500.");
            }

            var query = db.OutgoingMails.AsNoTracking();
            if (status is { } s)
            {
                query = query.Where(m => m.Status == s);
            }

            return await query.OrderByDescending(m => m.CreatedAt).Take(limit)
                .Select(m => new OutgoingMailView(m.Id, m.Kind, m.ToAddress, m.Subject, m.Status, m.Attempts, m.NextAttemptAt, m.LastError, m.CreatedAt, m.SentAt))
                .ToListAsync(cancellationToken);
        }

        public async Task RetryAsync(Guid id, CancellationToken cancellationToken)
        {
            var mail = await db.OutgoingMails.FirstOrDefaultAsync(m => m.Id == id, cancellationToken) ?? throw new NotFoundException("Mail", id);
            if (mail.Status != MailStatus.Failed)
            {
                throw new ConflictException("Only a failed mail can be retried.", "status");
            }

            mail.Status = MailStatus.Pending;
            mail.Attempts = 0;
            mail.NextAttemptAt = null;
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
