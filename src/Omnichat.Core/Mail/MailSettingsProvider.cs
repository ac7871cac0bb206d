using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Mail;

/// <summary>The SMTP settings in force: those saved by an administrator, else the configuration.</summary>
public sealed class MailSettingsProvider(IOptions<MailOptions> options, IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Omnichat.Mail.SmtpPassword");

    public async Task<SmtpSettings> GetAsync(OmnichatDbContext db, CancellationToken cancellationToken)
    {
        var saved = await db.MailSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (saved is null)
        {
            var o = options.Value;
            return new SmtpSettings(o.Host, o.Port, o.Security, o.UserName, o.Password, o.FromAddress, o.FromName);
        }

        return new SmtpSettings(saved.Host, saved.Port, saved.Security, saved.UserName,
            saved.ProtectedPassword is null ? null : _protector.Unprotect(saved.ProtectedPassword), saved.FromAddress, saved.FromName);
    }

    public string Protect(string password) => _protector.Protect(password);
}
