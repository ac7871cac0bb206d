using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Mail;

/// <summary>
/// Sends due mails from the outgoing queue. Each mail is claimed first (a compare-and-set on
/// <see cref="OutgoingMail.ClaimedUntil"/>), so two workers never send the same mail; temporary
/// failures retry with exponential back-off; refusals and exhausted retries end as failed with the
/// server's answer. The Message-Id is derived from the mail id, so a receiver sees a retry of a send
/// whose acknowledgement was lost as the same message.
/// </summary>
public sealed partial class MailDispatcher(
    IServiceScopeFactory scopes, ISmtpTransport transport, MailSettingsProvider settings,
    TimeProvider time, IOptions<MailOptions> options, ILogger<MailDispatcher> logger)
{
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        var now = time.GetUtcNow();
        var due = await db.OutgoingMails.AsNoTracking()
            .Where(m => m.Status == MailStatus.Pending && (m.NextAttemptAt == null || m.NextAttemptAt <= now) && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.CreatedAt).Select(m => m.Id).Take(50).ToListAsync(cancellationToken);
        var smtp = await settings.GetAsync(db, cancellationToken);
        var sent = 0;
        foreach (var id in due)
        {
            var claimUntil = time.GetUtcNow() + options.Value.Timeout * 4;
            var claimed = await db.OutgoingMails
                .Where(m => m.Id == id && m.Status == MailStatus.Pending && (m.ClaimedUntil == null || m.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, claimUntil), cancellationToken);
            if (claimed == 0)
            {
                continue; // another worker has it
            }

            db.ChangeTracker.Clear();
            var mail = await db.OutgoingMails.Include(m => m.Attachments).FirstAsync(m => m.Id == id, cancellationToken);
            mail.Attempts++;
            try
            {
                if (!smtp.IsConfigured)
                {
                    throw new IOException("Mail is not configured: set the SMTP host and sender (Omnichat:Mail or PUT /api/v1/mail/settings).");
                }

                await transport.SendAsync(smtp, ToMime(mail, smtp), cancellationToken);
                mail.Status = MailStatus.Sent;
                mail.SentAt = time.GetUtcNow();
                mail.LastError = null;
                sent++;
            }
            catch (PermanentMailFailureException ex)
            {
                mail.Status = MailStatus.Failed;
                mail.LastError = ex.Message;
                LogFailed(logger, mail.Id, mail.Kind, ex.Message);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Anything else (network, timeout, an unexpected error building or sending this mail) is
                // recorded on the mail and retried with back-off, so one bad mail cannot stall the queue.
                mail.LastError = ex.Message;
                if (mail.Attempts >= options.Value.MaxAttempts)
                {
                    mail.Status = MailStatus.Failed;
                    LogFailed(logger, mail.Id, mail.Kind, ex.Message);
                }
                else
                {
                    var delay = options.Value.FirstRetryDelay * Math.Pow(2, Math.Min(mail.Attempts - 1, 16));
                    mail.NextAttemptAt = time.GetUtcNow() + (delay < options.Value.MaxRetryDelay ? delay : options.Value.MaxRetryDelay);
                    LogRetry(logger, mail.Id, mail.Attempts, ex.Message);
                }
            }

            mail.ClaimedUntil = null;
            await db.SaveChangesAsync(CancellationToken.None);
        }

        return sent;
    }

    /// <summary>Builds the MIME message: text and HTML alternatives, attachments, a stable Message-Id.</summary>
    public static MimeMessage ToMime(OutgoingMail mail, SmtpSettings smtp)
    {
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            MessageId = $"{mail.Id:N}@omnichat",
        };
        message.From.Add(new MailboxAddress(smtp.FromName ?? "", smtp.FromAddress));
        message.To.Add(new MailboxAddress(mail.ToName ?? "", mail.ToAddress));
        var body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody };
        foreach (var a in mail.Attachments)
        {
            body.Attachments.Add(a.FileName, a.Content, ContentType.Parse(a.ContentType));
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MailId} ({Kind}) failed for good: {Error}")]
    private static partial void LogFailed(ILogger logger, Guid mailId, string kind, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail {MailId} attempt {Attempts} failed, will retry: {Error}")]
    private static partial void LogRetry(ILogger logger, Guid mailId, int attempts, string error);
}

/// <summary>The worker role's loop around <see cref="MailDispatcher"/>.</summary>
public sealed partial class MailSenderService(MailDispatcher dispatcher, IOptions<MailOptions> options, ILogger<MailSenderService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.SendDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database hiccup must not end mail delivery; the next pass tries again.
                LogPassFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail sending pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
