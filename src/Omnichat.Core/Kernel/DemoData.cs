using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Channels;
using Omnichat.Core.Operators;
using Omnichat.Core.Organisation;
using Omnichat.Core.Routing;

namespace Omnichat.Core.Kernel;

/// <summary>
/// When <c>Omnichat:Demo:Enabled</c> (the plain <c>dotnet run</c>): gives an empty installation something
/// to talk through — a branch, a region, a website channel with key <c>demo</c>, a skill group and two
/// operators with the well-known demo passwords the README gives. Never enable it in production.
/// </summary>
public sealed partial class DemoData(
    OmnichatDbContext db,
    SaveBranch.Handler branches,
    SaveRegion.Handler regions,
    SaveSkillGroup.Handler groups,
    CreateOperator.Handler operators,
    IOptions<OmnichatOptions> options,
    TimeProvider time,
    TextWriter console,
    ILogger<DemoData> logger)
{
    public const string ChannelKey = "demo";

    public static IReadOnlyList<(string Login, string Password, string Name)> Operators { get; } =
    [
        ("operator1", "Operator1-demo", "Анна Смирнова"),
        ("operator2", "Operator2-demo", "Борис Иванов"),
    ];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Demo.Enabled || await db.Channels.AnyAsync(cancellationToken))
        {
            return;
        }

        var branch = await branches.CreateAsync(new SaveBranch.Request("Центральный филиал", "Europe/Moscow"), cancellationToken);
        var region = await regions.CreateAsync(new SaveRegion.Request("Москва", branch.Id), cancellationToken);
        var channel = Channel.Create(ChannelKind.Webchat, "Сайт (демо)", new() { ["title"] = "Omnichat" },
            BranchId.From(branch.Id), RegionId.From(region.Id), time.GetUtcNow(), ChannelKey);
        db.Channels.Add(channel);
        await db.SaveChangesAsync(cancellationToken);
        var group = await groups.CreateAsync(new SaveSkillGroup.Request("Общие вопросы", [channel.Id.Value], [branch.Id], [region.Id]), cancellationToken);
        foreach (var (login, password, name) in Operators)
        {
            await operators.HandleAsync(new CreateOperator.Request(login, password, name, [group.Id], 3, [StaffRoles.Operator]), cancellationToken);
        }

        LogSeeded(logger, ChannelKey);
        await console.WriteLineAsync(
            $"Demo data created: website channel key '{ChannelKey}', page /demo; operators {string.Join(", ", Operators.Select(o => $"{o.Login} / {o.Password}"))}");
        await console.FlushAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data created (website channel key {ChannelKey})")]
    private static partial void LogSeeded(ILogger logger, string channelKey);
}
