using Microsoft.AspNetCore.DataProtection;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Files;

/// <summary>
/// Unguessable, expiring links to one sent attachment, for vendors that fetch media by URL (Viber). The token is
/// the attachment id protected by the server's data-protection keys with an expiry; nothing else can be opened with it.
/// </summary>
public sealed class PublicFileLinks(IDataProtectionProvider provider, TimeProvider time)
{
    public const string PathPrefix = "/public/files/";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private readonly ITimeLimitedDataProtector _protector = provider.CreateProtector("Omnichat.PublicFileLinks").ToTimeLimitedDataProtector();

    /// <summary>The link under <paramref name="publicBase"/>; the file name is appended for vendors that look at the extension.</summary>
    public Uri Create(Uri publicBase, AttachmentId id, string fileName) =>
        new(publicBase, PathPrefix + _protector.Protect(id.Value.ToString("N"), time.GetUtcNow() + Lifetime) + "/" + Uri.EscapeDataString(fileName));

    /// <summary>The attachment a token opens, or null when it is forged or expired.</summary>
    public AttachmentId? Open(string token)
    {
        try
        {
            var value = _protector.Unprotect(token, out var expiration);
            return expiration >= time.GetUtcNow() && Guid.TryParseExact(value, "N", out var id) ? AttachmentId.From(id) : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
