using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Channels;
using Omnichat.Core.Operators;
using Omnichat.Core.Organisation;
using Omnichat.Core.Routing;

namespace Omnichat.Core.Kernel;

/// <summary>
/// When <c>Omnichat:Demo:Enabled</c>: gives an empty installation something to look at — a branch, a
/// region, a website channel, a skill group and an operator (password printed once, like the admin's).
/// </summary>
public sealed partial class DemoData(
    OmnichatDbContext db,
    SaveBranch.Handler branches,
    SaveRegion.Handler regions,
    CreateChannel.Handler channels,
    SaveSkillGroup.Handler groups,
    CreateOperator.Handler operators,
    IOptions<OmnichatOptions> options,
    TextWriter console,
    ILogger<DemoData> logger)
{
    public const string OperatorLogin = "operator";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Demo.Enabled || await db.Channels.AnyAsync(cancellationToken))
        {
            return;
        }

        var branch = await branches.CreateAsync(new SaveBranch.Request("Центральный филиал", "Europe/Moscow"), cancellationToken);
        var region = await regions.CreateAsync(new SaveRegion.Request("Москва", branch.Id), cancellationToken);
        var channel = await channels.HandleAsync(
            new CreateChannel.Request(ChannelKind.Webchat, "Сайт", new() { ["title"] = "Omnichat" }, branch.Id, region.Id), cancellationToken);
        var group = await groups.CreateAsync(new SaveSkillGroup.Request("Общие вопросы", [channel.Id], [branch.Id], [region.Id]), cancellationToken);
        var password = BootstrapAdministrator.GeneratePassword();
        await operators.HandleAsync(
            new CreateOperator.Request(OperatorLogin, password, "Демо-оператор", [group.Id], 3, [StaffRoles.Operator]), cancellationToken);
        LogSeeded(logger, channel.Key);
        await console.WriteLineAsync($"Demo data created: website channel key {channel.Key}; operator login '{OperatorLogin}', password: {password}");
        await console.FlushAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data created (website channel key {ChannelKey})")]
    private static partial void LogSeeded(ILogger logger, string channelKey);
}
