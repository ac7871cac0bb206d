using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Reporting;
using Omnichat.Web.Admin;
using Omnichat.Web.Shared;

namespace Omnichat.Web.Reports;

/// <summary>A choice in a filter: id and name.</summary>
public sealed record ReportChoice(Guid Id, string Name);

/// <summary>What the report filters choose from, inside the caller's data boundary.</summary>
public sealed record ReportCatalog(IReadOnlyList<ReportChoice> Groups, IReadOnlyList<ReportChoice> Channels, IReadOnlyList<ReportChoice> Operators,
    IReadOnlyList<ReportChoice> Branches, IReadOnlyList<ReportChoice> Regions, bool MayExport);

/// <summary>
/// The report pages' way into the reporting use cases (the same handlers as the reports API). Like the console's data
/// service, every call gets its own DI scope, checks the session and the permission again and installs the caller's
/// data boundary; a refused request comes back as problems naming the field.
/// </summary>
public sealed class ReportsData(IServiceScopeFactory scopes, AuthenticationStateProvider authentication)
{
    private static readonly string[] Dashboard = [Permissions.ViewReports, Permissions.SuperviseConversations];
    private static readonly string[] View = [Permissions.ViewReports];
    private static readonly string[] ExportPermission = [Permissions.Export];

    public Task<LiveDashboardView> LiveAsync(CancellationToken cancellationToken) =>
        ReadAsync(Dashboard, (sp, me) => sp.GetRequiredService<LiveDashboard>().HandleAsync(me, [], cancellationToken), cancellationToken);

    public Task<ReportCatalog> CatalogAsync(CancellationToken cancellationToken) => ReadAsync(View, async (sp, me) =>
    {
        var db = sp.GetRequiredService<OmnichatDbContext>();
        var groups = db.SkillGroups.AsNoTracking();
        if (!me.Data.All)
        {
            var boundary = me.BoundaryGroups;
            groups = groups.Where(g => boundary.Contains(g.Id));
        }

        return new ReportCatalog(
            await groups.OrderBy(g => g.Name).Select(g => new ReportChoice(g.Id.Value, g.Name)).ToListAsync(cancellationToken),
            await db.Channels.AsNoTracking().OrderBy(c => c.Name).Select(c => new ReportChoice(c.Id.Value, c.Name)).ToListAsync(cancellationToken),
            await ReportScope.VisibleOperators(db, me).AsNoTracking().OrderBy(o => o.DisplayName).Select(o => new ReportChoice(o.Id.Value, o.DisplayName))
                .ToListAsync(cancellationToken),
            await db.Branches.AsNoTracking().OrderBy(b => b.Name).Select(b => new ReportChoice(b.Id.Value, b.Name)).ToListAsync(cancellationToken),
            await db.Regions.AsNoTracking().OrderBy(r => r.Name).Select(r => new ReportChoice(r.Id.Value, r.Name)).ToListAsync(cancellationToken),
            me.Has(Permissions.Export));
    }, cancellationToken);

    public Task<AdminResult<ReportResult>> ReportAsync(string report, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken) =>
        TryAsync(View, (sp, me) => sp.GetRequiredService<RunReport>().HandleAsync(me, report, Parse(sp, parameters), UiText.IsEnglish, cancellationToken), cancellationToken);

    public Task<AdminResult<ConversationReportPage>> ConversationsAsync(IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken) =>
        TryAsync(View, (sp, me) => sp.GetRequiredService<ListReportConversations>().PageAsync(me, Parse(sp, parameters), cancellationToken), cancellationToken);

    /// <summary>A conversation's messages for the transcript panel (404 outside the boundary, like everywhere).</summary>
    public Task<AdminResult<GetConversation.MessagesResponse>> TranscriptAsync(Guid conversationId, CancellationToken cancellationToken) =>
        TryAsync(View, (sp, me) => sp.GetRequiredService<GetConversation.Handler>().LatestMessagesAsync(me, conversationId, null, 200, cancellationToken),
            cancellationToken);

    public Task<AdminResult<ReportExportView>> ExportAsync(string report, string format, char separator, IReadOnlyList<KeyValuePair<string, string>> parameters,
        CancellationToken cancellationToken) =>
        TryAsync(ExportPermission, (sp, me) => sp.GetRequiredService<ReportExports>().CreateAsync(me, report, format, Parse(sp, parameters), UiText.IsEnglish,
            separator, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ReportExportView>> ExportsAsync(CancellationToken cancellationToken) =>
        ReadAsync(ExportPermission, (sp, me) => sp.GetRequiredService<ReportExports>().ListAsync(me, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ReportScheduleView>> SchedulesAsync(CancellationToken cancellationToken) =>
        ReadAsync(ExportPermission, (sp, me) => sp.GetRequiredService<ReportSchedules>().ListAsync(me, cancellationToken), cancellationToken);

    public Task<AdminResult<ReportScheduleView>> CreateScheduleAsync(ReportSchedules.Request request, CancellationToken cancellationToken) =>
        TryAsync(ExportPermission, (sp, me) => sp.GetRequiredService<ReportSchedules>().CreateAsync(me, request, cancellationToken), cancellationToken);

    public Task<AdminResult<bool>> DeleteScheduleAsync(Guid id, CancellationToken cancellationToken) => TryAsync(ExportPermission, async (sp, me) =>
    {
        await sp.GetRequiredService<ReportSchedules>().DeleteAsync(me, id, cancellationToken);
        return true;
    }, cancellationToken);

    private static ReportQuery Parse(IServiceProvider sp, IReadOnlyList<KeyValuePair<string, string>> parameters) =>
        ReportQuery.Parse(name => [.. parameters.Where(p => p.Key == name).Select(p => p.Value)],
            sp.GetRequiredService<IOptions<OmnichatOptions>>().Value.Reports.Zone, sp.GetRequiredService<TimeProvider>().GetUtcNow());

    private async Task<AdminResult<T>> TryAsync<T>(string[] permissions, Func<IServiceProvider, StaffScope, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return AdminResult.Done(await ReadAsync(permissions, action, cancellationToken));
        }
        catch (Exception ex) when (AdminResult.Refusal(ex) is { } problems)
        {
            return AdminResult.Refused<T>(problems);
        }
    }

    private async Task<T> ReadAsync<T>(string[] permissions, Func<IServiceProvider, StaffScope, Task<T>> action, CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        await using var scope = scopes.CreateAsyncScope();
        var me = await AllowedAsync(scope.ServiceProvider, state.User, permissions, cancellationToken);
        return await action(scope.ServiceProvider, me);
    }

    private static async Task<StaffScope> AllowedAsync(IServiceProvider sp, ClaimsPrincipal user, string[] permissions, CancellationToken cancellationToken)
    {
        await StaffCircuit.ActiveAsync(sp, user, cancellationToken);
        var me = await StaffScope.ForAsync(sp.GetRequiredService<OmnichatDbContext>(), user, cancellationToken);
        return me.HasAny(permissions) ? me : throw new ForbiddenException("You do not have the permission for this (" + string.Join(" or ", permissions) + ").");
    }
}
