using Omnichat.Core.Kernel;

namespace Omnichat.Core.Mail;

public enum MailStatus
{
    Pending,
    Sent,
    Failed,
}

public enum MailSecurity
{
    /// <summary>Plain SMTP (only for a relay on the same host or a trusted network).</summary>
    None,

    /// <summary>Connect in plain text, then upgrade with STARTTLS (port 587); refuses servers without it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,
}

/// <summary>
/// An e-mail waiting in (or gone through) the durable outgoing queue. Written in the same transaction
/// as the change that caused it; sent by the worker role with retries; a permanent failure keeps the
/// SMTP server's answer for administrators.
/// </summary>
public sealed class OutgoingMail
{
    public const int MaxAddressLength = 254;
    public const int MaxNameLength = 200;
    public const int MaxSubjectLength = 500;

    public Guid Id { get; set; }

    /// <summary>What produced it: transcript, password-reset, test…</summary>
    public string Kind { get; set; } = "";

    public string ToAddress { get; set; } = "";

    public string? ToName { get; set; }

    public string Subject { get; set; } = "";

    public string HtmlBody { get; set; } = "";

    public string TextBody { get; set; } = "";

    public MailStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>A worker that claimed the mail owns it until then (several worker nodes never send twice).</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public List<OutgoingMailAttachment> Attachments { get; set; } = [];
}

public sealed class OutgoingMailAttachment
{
    public long Id { get; set; }

    public Guid MailId { get; set; }

    public string FileName { get; set; } = "";

    public string ContentType { get; set; } = "application/octet-stream";

    public byte[] Content { get; set; } = [];
}

/// <summary>SMTP settings saved by an administrator; when present they replace the configured ones.</summary>
public sealed class MailSettingsRecord
{
    public int Id { get; set; } = 1;

    public string Host { get; set; } = "";

    public int Port { get; set; }

    public MailSecurity Security { get; set; }

    public string? UserName { get; set; }

    /// <summary>Encrypted with data protection; never returned by the API.</summary>
    public string? ProtectedPassword { get; set; }

    public string FromAddress { get; set; } = "";

    public string? FromName { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Configuration section <c>Omnichat:Mail</c> (environment variables <c>Omnichat__Mail__…</c>).</summary>
public sealed class MailOptions
{
    public const string Section = "Omnichat:Mail";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string FromAddress { get; set; } = "";

    public string? FromName { get; set; } = "Omnichat";

    /// <summary>Public address of this installation, for links in e-mails (password reset).</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before a mail that keeps failing temporarily is given up (marked failed).</summary>
    public int MaxAttempts { get; set; } = 12;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The settings a send uses: the administrator's saved ones, else the configuration.</summary>
public sealed record SmtpSettings(string Host, int Port, MailSecurity Security, string? UserName, string? Password, string FromAddress, string? FromName)
{
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(FromAddress);
}

/// <summary>What a feature asks to send; rendered by <see cref="MailTemplates"/>.</summary>
public sealed record MailDraft(
    string Kind, string ToAddress, string? ToName, string Subject, string HtmlBody, string TextBody,
    IReadOnlyList<(string FileName, string ContentType, byte[] Content)>? Attachments = null);

/// <summary>A send the SMTP server refused for good (5xx): no retry helps.</summary>
public sealed class PermanentMailFailureException(string message, Exception? inner = null) : OmnichatException(message, inner);
