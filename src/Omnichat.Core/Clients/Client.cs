using Omnichat.Core.Channels;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Clients;

/// <summary>A customer; one client may write from several channels (C4), each through an identity.</summary>
public sealed class Client
{
    public const int MaxNameLength = 200;
    public const int MaxPhoneLength = 32;
    public const int MaxEmailLength = 254;

    private Client()
    {
    }

    public ClientId Id { get; private set; }

    public string? DisplayName { get; private set; }

    public string? Phone { get; private set; }

    public string? Email { get; private set; }

    public List<ClientIdentity> Identities { get; private set; } = [];

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Client Create(string? displayName, string? phone, string? email, DateTimeOffset now) => new()
    {
        Id = ClientId.New(),
        DisplayName = displayName?.Trim(),
        Phone = phone?.Trim(),
        Email = email?.Trim(),
        CreatedAt = now,
        UpdatedAt = now,
    };

    public ClientIdentity AddIdentity(ChannelKind channelKind, string externalId, bool verified, DateTimeOffset now)
    {
        var existing = Identities.Find(i => i.ChannelKind == channelKind && i.ExternalId == externalId);
        if (existing is not null)
        {
            return existing;
        }

        var identity = new ClientIdentity
        {
            Id = ClientIdentityId.New(),
            ClientId = Id,
            ChannelKind = channelKind,
            ExternalId = externalId,
            Verified = verified,
            CreatedAt = now,
        };
        Identities.Add(identity);
        UpdatedAt = now;
        return identity;
    }

    public void UpdateContacts(string? displayName, string? phone, string? email, DateTimeOffset now)
    {
        DisplayName = displayName?.Trim();
        Phone = phone?.Trim();
        Email = email?.Trim();
        UpdatedAt = now;
    }
}

/// <summary>How a client is known in one channel kind: a visitor id, a messenger user id, an app user id.</summary>
public sealed class ClientIdentity
{
    public const int MaxExternalIdLength = 256;

    public ClientIdentityId Id { get; set; }

    public ClientId ClientId { get; set; }

    public ChannelKind ChannelKind { get; set; }

    public string ExternalId { get; set; } = "";

    /// <summary>True when the identity was proven (a valid user hash, a confirmed phone or e-mail).</summary>
    public bool Verified { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
