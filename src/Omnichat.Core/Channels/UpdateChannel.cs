using System.Text.Json.Nodes;
using FluentValidation;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels;

/// <summary>Replaces a channel's name, state and placement; settings are replaced only when given.</summary>
public static class UpdateChannel
{
    public sealed record Request(string Name, JsonObject? Settings, bool? Enabled, Guid? BranchId, Guid? RegionId);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).ValidName(Channel.MaxNameLength);
            RuleFor(r => r.Settings).Must(ChannelRules.SettingsFit).WithMessage($"'settings' must not exceed {Channel.MaxSettingsLength} characters.");
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time, Messengers.MessengerAdapters messengers, Messengers.MessengerSignals signals)
    {
        public async Task<ChannelView> HandleAsync(Guid id, Request request, CancellationToken cancellationToken)
        {
            var channel = await db.Channels.FindAsync([ChannelId.From(id)], cancellationToken)
                ?? throw new NotFoundException("Channel", id);
            var (branchId, regionId) = await ChannelPlacement.CheckAsync(db, request.BranchId, request.RegionId, cancellationToken);
            var settings = request.Settings is null ? null : ChannelSecrets.Restore(request.Settings, channel.Settings);
            if (settings is not null)
            {
                messengers.CheckSettings(channel.Kind, settings);
            }

            channel.Update(request.Name, settings, request.Enabled ?? channel.Enabled, branchId, regionId, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            signals.ChannelsChanged();
            return ChannelView.From(channel);
        }
    }
}
