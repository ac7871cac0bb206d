using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels;

public static class ListChannels
{
    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<IReadOnlyList<ChannelView>> HandleAsync(CancellationToken cancellationToken) =>
            (await db.Channels.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken)).ConvertAll(ChannelView.From);

        public async Task<ChannelView> GetAsync(Guid id, CancellationToken cancellationToken) =>
            ChannelView.From(await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == ChannelId.From(id), cancellationToken)
                ?? throw new NotFoundException("Channel", id));
    }
}
