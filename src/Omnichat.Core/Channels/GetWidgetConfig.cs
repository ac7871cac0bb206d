using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Clients;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels;

/// <summary>
/// What a website widget needs before the first message: the channel's look, whether it needs a verified
/// user, its pre-chat form, whether the offline form is offered, and which files it accepts.
/// </summary>
public static class GetWidgetConfig
{
    public sealed record Response(
        string Title, string? Color, string? AvatarUrl, string Position, string? LauncherText, bool RequireVerifiedUser, PreChatForm PreChat, bool OfflineForm,
        Files.FileRulesView Files);

    public sealed class Handler(OmnichatDbContext db, Microsoft.Extensions.Options.IOptions<OmnichatOptions> options)
    {
        public async Task<Response> HandleAsync(string key, CancellationToken cancellationToken)
        {
            var channel = await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Key == key && c.Kind == ChannelKind.Webchat, cancellationToken)
                ?? throw new NotFoundException("Channel", key);
            if (!channel.Enabled)
            {
                throw new StartClientSession.ChannelDisabledException();
            }

            var settings = WebchatSettings.From(channel.Settings);
            var theme = settings.Theme;
            return new Response(theme.Title ?? channel.Name, theme.Color, theme.AvatarUrl, theme.Position, theme.LauncherText, settings.RequireVerifiedUser,
                settings.PreChat, settings.OfflineForm, Omnichat.Core.Files.ChannelFileRules.From(channel.Settings, options.Value.Files.MaxSizeMb).View());
        }
    }
}
