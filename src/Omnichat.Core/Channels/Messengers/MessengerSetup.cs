using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels.Messengers;

/// <summary>
/// Administrator actions on a messenger channel: point the vendor's webhook at this server
/// (<c>{publicUrl}/webhooks/{kind}/{channelId}</c>, or a given URL), and test the credentials.
/// </summary>
public static class MessengerSetup
{
    public sealed record WebhookRequest(string? Url);

    public sealed record Response(bool Ok, string Detail, string? Url = null);

    public sealed class Handler(OmnichatDbContext db, MessengerAdapters adapters, IOptions<MessengerOptions> options)
    {
        public async Task<Response> RegisterWebhookAsync(Guid channelId, WebhookRequest request, CancellationToken cancellationToken)
        {
            var (channel, adapter) = await FindAsync(channelId, cancellationToken);
            var baseUrl = request.Url is { Length: > 0 } given ? given : options.Value.PublicUrl;
            if (baseUrl is null || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http"))
            {
                throw new FieldValidationException("url",
                    "Give the public https address of this server (or set Omnichat:Messengers:PublicUrl); the messenger must be able to reach it.");
            }

            var url = new Uri(parsed, $"/webhooks/{channel.Kind.ToString().ToLowerInvariant()}/{channel.Id.Value}");
            var outcome = await adapter.RegisterWebhookAsync(MessengerChannel.From(channel), url, cancellationToken);
            return new Response(outcome.Ok, outcome.Detail, url.ToString());
        }

        public async Task<Response> TestAsync(Guid channelId, CancellationToken cancellationToken)
        {
            var (channel, adapter) = await FindAsync(channelId, cancellationToken);
            var outcome = await adapter.TestConnectionAsync(MessengerChannel.From(channel), cancellationToken);
            return new Response(outcome.Ok, outcome.Detail);
        }

        private async Task<(Channel, IMessengerAdapter)> FindAsync(Guid channelId, CancellationToken cancellationToken)
        {
            var channel = await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == ChannelId.From(channelId), cancellationToken)
                ?? throw new NotFoundException("Channel", channelId);
            var adapter = adapters.Find(channel.Kind)
                ?? throw new ConflictException("This channel is not a messenger channel.", "channelId");
            return (channel, adapter);
        }
    }
}
