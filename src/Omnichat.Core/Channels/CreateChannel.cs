using System.Text.Json.Nodes;
using FluentValidation;
using Omnichat.Core.Kernel;
using Omnichat.Core.Organisation;

namespace Omnichat.Core.Channels;

public static class CreateChannel
{
    public sealed record Request(ChannelKind? Kind, string Name, JsonObject? Settings, Guid? BranchId, Guid? RegionId);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Kind).NotNull().IsInEnum();
            RuleFor(r => r.Name).ValidName(Channel.MaxNameLength);
            RuleFor(r => r.Settings).Must(ChannelRules.SettingsFit).WithMessage($"'settings' must not exceed {Channel.MaxSettingsLength} characters.");
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time, Messengers.MessengerAdapters messengers, Messengers.MessengerSignals signals)
    {
        public async Task<ChannelView> HandleAsync(Request request, CancellationToken cancellationToken)
        {
            if (request.Kind is { } kind && kind != ChannelKind.Webchat && messengers.Find(kind) is null)
            {
                throw new FieldValidationException("kind", $"Channels of kind '{kind}' are not available on this server.");
            }

            messengers.CheckSettings(request.Kind!.Value, request.Settings);
            var (branchId, regionId) = await ChannelPlacement.CheckAsync(db, request.BranchId, request.RegionId, cancellationToken);
            var channel = Channel.Create(request.Kind!.Value, request.Name, request.Settings, branchId, regionId, time.GetUtcNow());
            db.Channels.Add(channel);
            await db.SaveChangesAsync(cancellationToken);
            signals.ChannelsChanged();
            return ChannelView.From(channel, showSecret: true);
        }
    }
}

internal static class ChannelPlacement
{
    public static async Task<(BranchId?, RegionId?)> CheckAsync(OmnichatDbContext db, Guid? branch, Guid? region, CancellationToken cancellationToken)
    {
        var branchId = branch is { } b ? BranchId.From(b) : (BranchId?)null;
        var regionId = region is { } r ? RegionId.From(r) : (RegionId?)null;
        await References.EnsureExistsAsync<Branch, BranchId>(db.Branches, (set, id) => set.Where(x => x.Id == id), branchId, "branchId", cancellationToken);
        await References.EnsureExistsAsync<Region, RegionId>(db.Regions, (set, id) => set.Where(x => x.Id == id), regionId, "regionId", cancellationToken);
        return (branchId, regionId);
    }
}
