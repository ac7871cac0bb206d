using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels;

/// <summary>Replaces a channel's secret (a leaked one stops verifying at once); the new secret is shown once.</summary>
public static class RotateChannelSecret
{
    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<ChannelView> HandleAsync(Guid id, CancellationToken cancellationToken)
        {
            var channel = await db.Channels.FindAsync([ChannelId.From(id)], cancellationToken)
                ?? throw new NotFoundException("Channel", id);
            channel.RotateSecret(time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return ChannelView.From(channel, showSecret: true);
        }
    }
}
