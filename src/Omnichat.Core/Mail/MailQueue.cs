using Omnichat.Core.Kernel;

namespace Omnichat.Core.Mail;

/// <summary>
/// Puts a mail into the durable outgoing queue as part of the caller's unit of work: it is committed by
/// the caller's SaveChanges together with the change that caused it, or not at all.
/// </summary>
public sealed class MailQueue(TimeProvider time)
{
    public OutgoingMail Enqueue(OmnichatDbContext db, MailDraft draft)
    {
        MailRules.EnsureAddress(draft.ToAddress, "email");
        MailRules.EnsureHeaderText(draft.ToName, "name", OutgoingMail.MaxNameLength);
        MailRules.EnsureHeaderText(draft.Subject, "subject", OutgoingMail.MaxSubjectLength);
        foreach (var (fileName, _, _) in draft.Attachments ?? [])
        {
            MailRules.EnsureHeaderText(fileName, "attachments", 255);
        }

        var mail = new OutgoingMail
        {
            Id = Guid.CreateVersion7(),
            Kind = draft.Kind,
            ToAddress = draft.ToAddress.Trim(),
            ToName = draft.ToName,
            Subject = draft.Subject,
            HtmlBody = draft.HtmlBody,
            TextBody = draft.TextBody,
            Status = MailStatus.Pending,
            CreatedAt = time.GetUtcNow(),
        };
        foreach (var (fileName, contentType, content) in draft.Attachments ?? [])
        {
            mail.Attachments.Add(new OutgoingMailAttachment { MailId = mail.Id, FileName = fileName, ContentType = contentType, Content = content });
        }

        db.OutgoingMails.Add(mail);
        return mail;
    }
}
