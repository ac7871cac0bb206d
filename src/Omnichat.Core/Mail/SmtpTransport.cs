using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Omnichat.Core.Mail;

/// <summary>Sends one MIME message over SMTP; a port so tests and future transports can stand in.</summary>
public interface ISmtpTransport
{
    /// <summary>Throws <see cref="PermanentMailFailureException"/> for refusals (5xx); anything else is worth a retry.</summary>
    Task SendAsync(SmtpSettings settings, MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>MailKit's SMTP client: TLS modes, authentication, and a clear split of permanent and temporary failures.</summary>
public sealed class MailKitSmtpTransport(Microsoft.Extensions.Options.IOptions<MailOptions> options) : ISmtpTransport
{
    public async Task SendAsync(SmtpSettings settings, MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = (int)options.Value.Timeout.TotalMilliseconds };
        var security = settings.Security switch
        {
            MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
            MailSecurity.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            throw new PermanentMailFailureException($"{(int)ex.StatusCode} {ex.Message}", ex);
        }
        catch (AuthenticationException ex)
        {
            throw new PermanentMailFailureException("Authentication failed: " + ex.Message, ex);
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException or SslHandshakeException)
        {
            throw new IOException(ex.Message, ex);
        }
    }
}
