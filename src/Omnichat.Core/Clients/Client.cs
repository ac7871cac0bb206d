using Omnichat.Core.Channels;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Clients;

/// <summary>
/// A customer; one client may write from several channels (C4), each through an identity. Clients found
/// to be one person are merged (the merged one stays as a tombstone pointing at the survivor) and a wrong
/// merge is undone by a split; both are audited (<see cref="MergeClients"/>, <see cref="SplitClient"/>).
/// </summary>
public sealed class Client : AggregateRoot
{
    public const int MaxNameLength = 200;
    public const int MaxPhoneLength = 32;
    public const int MaxEmailLength = 254;
    public const int MaxFields = 20;
    public const int MaxFieldValueLength = 500;

    /// <summary>A custom field's name: lower-case Latin letters, digits and '_', starting with a letter.</summary>
    public const string FieldNamePattern = "^[a-z][a-z0-9_]{0,31}$";

    private Client()
    {
    }

    public ClientId Id { get; private set; }

    public string? DisplayName { get; private set; }

    public string? Phone { get; private set; }

    public string? Email { get; private set; }

    /// <summary>True when an operator confirmed the phone with the client (joins clients with the same confirmed phone).</summary>
    public bool PhoneConfirmed { get; private set; }

    /// <summary>True when an operator confirmed the e-mail with the client.</summary>
    public bool EmailConfirmed { get; private set; }

    /// <summary>The phone reduced to its digits (<see cref="ContactKeys.Phone"/>): how the same number is found.</summary>
    public string? PhoneKey { get; private set; }

    /// <summary>The e-mail in lower case (<see cref="ContactKeys.Email"/>).</summary>
    public string? EmailKey { get; private set; }

    /// <summary>Set when this client was merged into another: the survivor that holds its conversations now.</summary>
    public ClientId? MergedIntoId { get; private set; }

    public List<ClientIdentity> Identities { get; private set; } = [];

    /// <summary>Custom fields the company's site passes for a verified user (a contract number, a tariff); template placeholders <c>{client.fields.name}</c>.</summary>
    public Dictionary<string, string> Fields { get; private set; } = new(StringComparer.Ordinal);

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Client Create(string? displayName, string? phone, string? email, DateTimeOffset now)
    {
        var client = new Client { Id = ClientId.New(), CreatedAt = now };
        client.UpdateContacts(displayName, phone, email, now);
        return client;
    }

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

    /// <summary>Changes contacts; a changed phone or e-mail is no longer confirmed.</summary>
    public void UpdateContacts(string? displayName, string? phone, string? email, DateTimeOffset now)
    {
        DisplayName = displayName?.Trim();
        var phoneKey = ContactKeys.Phone(phone);
        var emailKey = ContactKeys.Email(email);
        PhoneConfirmed &= phoneKey is not null && phoneKey == PhoneKey;
        EmailConfirmed &= emailKey is not null && emailKey == EmailKey;
        Phone = phone?.Trim();
        Email = email?.Trim();
        PhoneKey = phoneKey;
        EmailKey = emailKey;
        UpdatedAt = now;
    }

    /// <summary>Sets the given custom fields (an empty value removes one); others stay. Refused beyond <see cref="MaxFields"/>.</summary>
    public void SetFields(IReadOnlyDictionary<string, string?> fields, DateTimeOffset now)
    {
        var next = new Dictionary<string, string>(Fields, StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                next.Remove(name);
            }
            else
            {
                next[name] = value.Trim();
            }
        }

        if (next.Count > MaxFields)
        {
            throw new FieldValidationException("user.fields", $"A client keeps at most {MaxFields} custom fields.");
        }

        Fields = next;
        UpdatedAt = now;
    }

    /// <summary>An operator confirmed (or withdrew) the phone and the e-mail with the client; only a present value can be confirmed.</summary>
    public void Confirm(bool phone, bool email, DateTimeOffset now)
    {
        PhoneConfirmed = phone && PhoneKey is not null;
        EmailConfirmed = email && EmailKey is not null;
        UpdatedAt = now;
    }

    /// <summary>
    /// Moves this client's identities to <paramref name="survivor"/>, fills the survivor's missing contacts
    /// from this one and leaves this client as a tombstone. Conversations are moved by the caller.
    /// </summary>
    public void MergeInto(Client survivor, DateTimeOffset now)
    {
        if (survivor.Id == Id || MergedIntoId is not null || survivor.MergedIntoId is not null)
        {
            throw new InvalidOperationException("Only two different live clients can be merged.");
        }

        foreach (var identity in Identities.ToList())
        {
            Identities.Remove(identity);
            identity.ClientId = survivor.Id;
            survivor.Identities.Add(identity);
        }

        if (survivor.DisplayName is null)
        {
            survivor.DisplayName = DisplayName;
        }

        if (survivor.PhoneKey is null || (!survivor.PhoneConfirmed && PhoneConfirmed && survivor.PhoneKey == PhoneKey))
        {
            (survivor.Phone, survivor.PhoneKey, survivor.PhoneConfirmed) = (Phone, PhoneKey, PhoneConfirmed);
        }

        if (survivor.EmailKey is null || (!survivor.EmailConfirmed && EmailConfirmed && survivor.EmailKey == EmailKey))
        {
            (survivor.Email, survivor.EmailKey, survivor.EmailConfirmed) = (Email, EmailKey, EmailConfirmed);
        }

        foreach (var (name, value) in Fields)
        {
            if (survivor.Fields.Count < MaxFields)
            {
                survivor.Fields.TryAdd(name, value);
            }
        }

        survivor.Fields = new Dictionary<string, string>(survivor.Fields, StringComparer.Ordinal); // a new instance: the change is saved
        survivor.UpdatedAt = now;
        MergedIntoId = survivor.Id;
        (PhoneConfirmed, EmailConfirmed) = (false, false);
        UpdatedAt = now;
        Raise(new ClientsMerged(Id, survivor.Id));
    }

    /// <summary>A new client taking <paramref name="identities"/> from this one (a wrong merge undone); conversations are moved by the caller.</summary>
    public Client SplitOff(IReadOnlyCollection<ClientIdentity> identities, string? displayName, string? phone, string? email, DateTimeOffset now)
    {
        var split = Create(displayName, phone, email, now);
        foreach (var identity in identities)
        {
            if (!Identities.Remove(identity))
            {
                throw new InvalidOperationException("The identity belongs to another client.");
            }

            identity.ClientId = split.Id;
            split.Identities.Add(identity);
        }

        UpdatedAt = now;
        Raise(new ClientSplit(Id, split.Id));
        return split;
    }
}

/// <summary>The merged client's conversations and identities now belong to the survivor (its sessions must renew).</summary>
public sealed record ClientsMerged(ClientId MergedId, ClientId SurvivorId) : IDomainEvent
{
    public string StreamKey => "client:" + MergedId;
}

/// <summary>Conversations and identities moved from a client to a new one (its sessions must renew).</summary>
public sealed record ClientSplit(ClientId ClientId, ClientId NewClientId) : IDomainEvent
{
    public string StreamKey => "client:" + ClientId;
}

/// <summary>How phones and e-mails are compared: the same number written differently is the same key.</summary>
public static class ContactKeys
{
    /// <summary>
    /// The digits of a phone number; a Russian trunk prefix (8 and ten digits) counts as +7. Fewer than five
    /// digits is no key (extensions, typos).
    /// </summary>
    public static string? Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 11 && digits[0] == '8')
        {
            digits = "7" + digits[1..];
        }

        return digits.Length >= 5 ? digits : null;
    }

    public static string? Email(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();
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
