using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Channels;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Clients;

/// <summary>
/// Starts (or resumes) a client session in a channel: a returning visitorId continues the same client;
/// a user with a valid userHash is attached to that verified identity; a wrong hash stays anonymous.
/// </summary>
public static class StartClientSession
{
    public const int MaxVisitorIdLength = 64;

    /// <summary><c>Fields</c>: custom fields, kept only for a verified user (they come from the company's back end with the hash).</summary>
    public sealed record UserInfo(string? ExternalId, string? Name, string? Email, string? Phone, string? UserHash,
        IReadOnlyDictionary<string, string?>? Fields = null);

    public sealed record Request(string ChannelKey, string? VisitorId, UserInfo? User, string? Locale);

    public sealed record Response(string VisitorId, Guid ClientId, string Token, DateTimeOffset ExpiresAt);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.ChannelKey).NotEmpty().MaximumLength(64);
            RuleFor(r => r.VisitorId).MaximumLength(MaxVisitorIdLength).Matches("^[A-Za-z0-9_-]+$")
                .WithMessage("'visitorId' may contain letters, digits, '-' and '_' only.");
            RuleFor(r => r.Locale).MaximumLength(16);
            When(r => r.User is not null, () =>
            {
                RuleFor(r => r.User!.ExternalId).MaximumLength(ClientIdentity.MaxExternalIdLength - 5);
                RuleFor(r => r.User!.Name!).ValidName(Client.MaxNameLength).When(r => r.User!.Name is not null);
                RuleFor(r => r.User!.Email).MaximumLength(Client.MaxEmailLength).EmailAddress();
                RuleFor(r => r.User!.Phone).MaximumLength(Client.MaxPhoneLength).Matches(@"^\+?[0-9 ()-]{3,}$")
                    .WithMessage("'phone' must be a phone number.");
                RuleFor(r => r.User!.UserHash).MaximumLength(128);
                RuleFor(r => r.User!.Fields)
                    .Must(f => f is null || f.Count <= Client.MaxFields).WithMessage($"At most {Client.MaxFields} custom fields.")
                    .Must(f => f is null || f.Keys.All(k => System.Text.RegularExpressions.Regex.IsMatch(k, Client.FieldNamePattern)))
                    .WithMessage("Custom field names are lower-case Latin letters, digits and '_', starting with a letter, up to 32 characters.")
                    .Must(f => f is null || f.Values.All(v => v is null || (v.Length <= Client.MaxFieldValueLength && !v.Any(char.IsControl))))
                    .WithMessage($"Custom field values are at most {Client.MaxFieldValueLength} characters, without control characters.")
                    .OverridePropertyName("user.fields");
            });
        }
    }

    public sealed class ChannelDisabledException() : OmnichatException("This channel is disabled.");

    /// <summary>The channel admits only users the site has verified (a valid userHash).</summary>
    public sealed class VerificationRequiredException() : OmnichatException("This channel requires a verified user: pass externalId with a valid userHash.");

    public sealed class Handler(
        OmnichatDbContext db,
        IOptionsMonitor<BearerTokenOptions> bearer,
        IOptions<OmnichatOptions> options,
        TimeProvider time)
    {
        public async Task<Response> HandleAsync(Request request, CancellationToken cancellationToken)
        {
            var channel = await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Key == request.ChannelKey, cancellationToken)
                ?? throw new NotFoundException("Channel", request.ChannelKey);
            if (!channel.Enabled)
            {
                throw new ChannelDisabledException();
            }

            if (channel.Kind == ChannelKind.Webchat && WebchatSettings.From(channel.Settings).RequireVerifiedUser
                && VerifiedExternalId(channel, request.User) is null)
            {
                throw new VerificationRequiredException();
            }

            var now = time.GetUtcNow();
            var strategy = db.Database.CreateExecutionStrategy();
            var (client, visitorId) = await strategy.ExecuteAsync(
                ct => FindOrCreateClientAsync(channel, request, now, ct), cancellationToken);

            var expiresAt = now + options.Value.ClientSessions.TokenLifetime;
            var ticket = new AuthenticationTicket(
                new ClientPrincipal(client, channel.Id, visitorId).ToClaimsPrincipal(),
                new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = expiresAt },
                ClientPrincipal.Scheme);
            var token = bearer.Get(ClientPrincipal.Scheme).BearerTokenProtector.Protect(ticket);
            return new Response(visitorId, client.Value, token, expiresAt);
        }

        private async Task<(ClientId, string)> FindOrCreateClientAsync(Channel channel, Request request, DateTimeOffset now, CancellationToken cancellationToken)
        {
            db.ChangeTracker.Clear();
            var verifiedUser = VerifiedExternalId(channel, request.User);
            var visitorKey = request.VisitorId is { Length: > 0 } v ? "visitor:" + v : null;

            // A verified user id wins over the visitor id: the same person on another device.
            Client? client = null;
            if (verifiedUser is not null)
            {
                client = await FindByIdentityAsync(channel.Kind, "user:" + verifiedUser, cancellationToken);
            }

            var visitorClient = visitorKey is null ? null : await FindByIdentityAsync(channel.Kind, visitorKey, cancellationToken);
            // A known visitor id continues; an unknown one is kept only beside a verified user (it names this device).
            var keepVisitorId = visitorClient is not null || (client is not null && visitorKey is not null);
            if (client is null)
            {
                client = visitorClient;
            }
            else if (visitorClient is not null && visitorClient.Id != client.Id)
            {
                // The visitor wrote anonymously before signing in (C4): the anonymous client joins the verified one,
                // unless it is someone else's verified client (a shared device) or both have an open conversation
                // in one channel — then this device gets a new visitor id.
                keepVisitorId = !visitorClient.Identities.Any(i => i.Verified)
                                && await TryJoinAsync(client.Id, visitorClient.Id, now, cancellationToken);
            }

            var visitorId = keepVisitorId ? request.VisitorId! : NewVisitorId();
            if (client is null)
            {
                client = Client.Create(request.User?.Name, request.User?.Phone, request.User?.Email, now);
                db.Clients.Add(client);
            }
            else if (request.User is { } user)
            {
                client.UpdateContacts(user.Name ?? client.DisplayName, user.Phone ?? client.Phone, user.Email ?? client.Email, now);
            }

            client.AddIdentity(channel.Kind, "visitor:" + visitorId, verified: false, now);
            if (verifiedUser is not null)
            {
                client.AddIdentity(channel.Kind, "user:" + verifiedUser, verified: true, now);
                if (request.User?.Fields is { Count: > 0 } fields)
                {
                    client.SetFields(fields, now);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            return (client.Id, visitorId);
        }

        private async Task<bool> TryJoinAsync(ClientId verified, ClientId anonymous, DateTimeOffset now, CancellationToken cancellationToken)
        {
            try
            {
                await ClientMerger.MergeAsync(db, verified, anonymous, Actor.System, ClientMerger.Trigger.VerifiedUser, null, now, cancellationToken);
                return true;
            }
            catch (ConflictException)
            {
                return false;
            }
        }

        private Task<Client?> FindByIdentityAsync(ChannelKind kind, string externalId, CancellationToken cancellationToken) =>
            db.Clients.Include(c => c.Identities)
                .Where(c => c.Identities.Any(i => i.ChannelKind == kind && i.ExternalId == externalId))
                .FirstOrDefaultAsync(cancellationToken);

        private static string? VerifiedExternalId(Channel channel, UserInfo? user)
        {
            if (user?.ExternalId is not { Length: > 0 } externalId || user.UserHash is not { Length: > 0 } hash)
            {
                return null;
            }

            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(channel.Secret), Encoding.UTF8.GetBytes(externalId)));
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(hash.ToLowerInvariant()))
                ? externalId
                : null;
        }

        private static string NewVisitorId() =>
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
