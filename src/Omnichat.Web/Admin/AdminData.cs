using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Access;
using Omnichat.Core.Audit;
using Omnichat.Core.Channels;
using Omnichat.Core.Channels.Messengers;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;
using Omnichat.Core.Organisation;
using Omnichat.Core.Routing;
using Omnichat.Web.Shared;

namespace Omnichat.Web.Admin;

/// <summary>Why a change was refused: the field to blame (JSON path form, e.g. <c>skillGroups[0].level</c>; null for the whole form) and the reason.</summary>
public sealed record AdminProblem(string? Field, string Message);

/// <summary>The outcome of a change made in the console: the saved value, or the problems to show next to the form.</summary>
public sealed record AdminResult<T>(T? Value, IReadOnlyList<AdminProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

public static class AdminResult
{
    public static AdminResult<T> Done<T>(T value) => new(value, []);

    public static AdminResult<T> Refused<T>(IEnumerable<AdminProblem> problems) => new(default, problems.ToList());

    public static AdminResult<T> Refused<T>(string? field, string message) => new(default, [new AdminProblem(field, message)]);

    /// <summary>What to show for a refused change (the field named), or null for an exception that is a real fault.</summary>
    public static IReadOnlyList<AdminProblem>? Refusal(Exception exception) => exception switch
    {
        ValidationException ex => [.. ex.Errors.Select(e => new AdminProblem(string.IsNullOrEmpty(e.PropertyName) ? null : e.PropertyName, e.ErrorMessage))],
        FieldValidationException e => [new AdminProblem(e.Field, e.Message)],
        ConflictException e => [new AdminProblem(e.Field, e.Message)],
        ForbiddenException e => [new AdminProblem(e.Field, e.Message)],
        TooManyRequestsException e => [new AdminProblem(e.Field, e.Message)],
        OmnichatException e => [new AdminProblem(null, e.Message)],
        DbUpdateConcurrencyException => [new AdminProblem(null, UiText.Get("admin.error.concurrency"))],
        DbUpdateException => [new AdminProblem(null, UiText.Get("admin.error.conflict"))],
        _ => null,
    };
}

/// <summary>The skill groups, channels, branches and regions the console's forms choose from.</summary>
public sealed record AdminCatalog(
    IReadOnlyList<SkillGroupView> Groups, IReadOnlyList<ChannelView> Channels, IReadOnlyList<BranchView> Branches, IReadOnlyList<RegionView> Regions);

/// <summary>
/// The administration console's way into the use cases (the same handlers as the admin REST API). A Blazor
/// circuit lives long, so every call gets its own DI scope (and DbContext), checks again that the caller is
/// still an enabled administrator, and runs the request's validator before the handler, as the API's filter does.
/// A refusal comes back as <see cref="AdminProblem"/>s naming the field, never as an exception.
/// </summary>
public sealed class AdminData(IServiceScopeFactory scopes, AuthenticationStateProvider authentication)
{
    public Task<AdminCatalog> CatalogAsync(CancellationToken cancellationToken) => ReadAsync(AnyConsole, async (sp, _) => new AdminCatalog(
        await sp.GetRequiredService<ListSkillGroups.Handler>().HandleAsync(cancellationToken),
        await sp.GetRequiredService<ListChannels.Handler>().HandleAsync(cancellationToken),
        await sp.GetRequiredService<ListBranches.Handler>().HandleAsync(cancellationToken),
        await sp.GetRequiredService<ListRegions.Handler>().HandleAsync(cancellationToken)), cancellationToken);

    /// <summary>Who is signed in (an administrator cannot disable themselves; the page says so before asking).</summary>
    public Task<Guid> MeAsync(CancellationToken cancellationToken) => ReadAsync([], (_, me) => Task.FromResult(me.OperatorId.Value), cancellationToken);

    /// <summary>What the signed-in staff member may do (the overview shows only their parts of the console).</summary>
    public Task<IReadOnlySet<string>> PermissionsAsync(CancellationToken cancellationToken) =>
        ReadAsync([], (_, me) => Task.FromResult(me.Permissions), cancellationToken);

    public Task<IReadOnlyList<OperatorView>> OperatorsAsync(CancellationToken cancellationToken) => ReadAsync([Permissions.ManageUsers], (sp, me) =>
        sp.GetRequiredService<ListOperators.Handler>().HandleAsync(cancellationToken, me), cancellationToken);

    public Task<AdminResult<OperatorView>> CreateOperatorAsync(CreateOperator.Request request, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageUsers], request, (sp, me) => sp.GetRequiredService<CreateOperator.Handler>().HandleAsync(request, cancellationToken, me), cancellationToken);

    /// <summary>Changes a staff member; null fields keep their value (the handler refuses to disable or demote the caller).</summary>
    public Task<AdminResult<OperatorView>> UpdateOperatorAsync(Guid id, UpdateOperator.Request request, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageUsers], request, (sp, me) => sp.GetRequiredService<UpdateOperator.Handler>().HandleAsync(id, request, me, cancellationToken), cancellationToken);

    public Task<AdminResult<SkillGroupView>> SaveSkillGroupAsync(Guid? id, SaveSkillGroup.Request request, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageGroups], request, (sp, _) =>
        {
            var h = sp.GetRequiredService<SaveSkillGroup.Handler>();
            return id is { } existing ? h.UpdateAsync(existing, request, cancellationToken) : h.CreateAsync(request, cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<BranchView>> BranchesAsync(CancellationToken cancellationToken) => ReadAsync([Permissions.ManageGroups], (sp, _) =>
        sp.GetRequiredService<ListBranches.Handler>().HandleAsync(cancellationToken), cancellationToken);

    public Task<AdminResult<BranchView>> SaveBranchAsync(Guid? id, SaveBranch.Request request, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageGroups], request, (sp, _) =>
        {
            var h = sp.GetRequiredService<SaveBranch.Handler>();
            return id is { } existing ? h.UpdateAsync(existing, request, cancellationToken) : h.CreateAsync(request, cancellationToken);
        }, cancellationToken);

    public Task<AdminResult<RegionView>> SaveRegionAsync(Guid? id, SaveRegion.Request request, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageGroups], request, (sp, _) =>
        {
            var h = sp.GetRequiredService<SaveRegion.Handler>();
            return id is { } existing ? h.UpdateAsync(existing, request, cancellationToken) : h.CreateAsync(request, cancellationToken);
        }, cancellationToken);

    /// <summary>The kinds of channel this server can run: the website widget and every messenger with an adapter.</summary>
    public Task<IReadOnlyList<ChannelKind>> ChannelKindsAsync(CancellationToken cancellationToken) => ReadAsync([Permissions.ManageChannels], (sp, _) =>
    {
        var messengers = sp.GetRequiredService<MessengerAdapters>().All.Select(a => a.Kind);
        return Task.FromResult<IReadOnlyList<ChannelKind>>([ChannelKind.Webchat, .. messengers.Order()]);
    }, cancellationToken);

    /// <summary>Creates a channel; the result carries its secret, shown only this once.</summary>
    public Task<AdminResult<ChannelView>> CreateChannelAsync(CreateChannel.Request request, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageChannels], request, (sp, _) => sp.GetRequiredService<CreateChannel.Handler>().HandleAsync(request, cancellationToken), cancellationToken);

    /// <summary>Changes a channel; masked credentials sent back unchanged keep the stored ones.</summary>
    public Task<AdminResult<ChannelView>> UpdateChannelAsync(Guid id, UpdateChannel.Request request, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageChannels], request, (sp, _) => sp.GetRequiredService<UpdateChannel.Handler>().HandleAsync(id, request, cancellationToken), cancellationToken);

    /// <summary>Replaces the channel's secret; the result carries the new one, shown only this once.</summary>
    public Task<AdminResult<ChannelView>> RotateChannelSecretAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageChannels], (sp, _) => sp.GetRequiredService<RotateChannelSecret.Handler>().HandleAsync(id, cancellationToken), cancellationToken);

    /// <summary>Checks a messenger channel's credentials against the vendor.</summary>
    public Task<AdminResult<MessengerSetup.Response>> TestMessengerAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageChannels], (sp, _) => sp.GetRequiredService<MessengerSetup.Handler>().TestAsync(id, cancellationToken), cancellationToken);

    /// <summary>Points the messenger's webhook at this server (the given public address, or the configured one).</summary>
    public Task<AdminResult<MessengerSetup.Response>> RegisterWebhookAsync(Guid id, string? url, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageChannels], (sp, _) => sp.GetRequiredService<MessengerSetup.Handler>().RegisterWebhookAsync(id,
            new MessengerSetup.WebhookRequest(string.IsNullOrWhiteSpace(url) ? null : url.Trim()), cancellationToken), cancellationToken);

    public Task<IReadOnlyList<RoutingRuleView>> RoutingRulesAsync(CancellationToken cancellationToken) => ReadAsync([Permissions.ManageRouting], (sp, _) =>
        sp.GetRequiredService<ListRoutingRules.Handler>().HandleAsync(cancellationToken), cancellationToken);

    public Task<AdminResult<RoutingRuleView>> SaveRoutingRuleAsync(Guid? id, SaveRoutingRule.Request request, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageRouting], request, (sp, _) =>
        {
            var h = sp.GetRequiredService<SaveRoutingRule.Handler>();
            return id is { } existing ? h.UpdateAsync(existing, request, cancellationToken) : h.CreateAsync(request, cancellationToken);
        }, cancellationToken);

    public Task<AdminResult<bool>> DeleteRoutingRuleAsync(Guid id, CancellationToken cancellationToken) => ChangeAsync([Permissions.ManageRouting], async (sp, _) =>
    {
        await sp.GetRequiredService<SaveRoutingRule.Handler>().DeleteAsync(id, cancellationToken);
        return true;
    }, cancellationToken);

    /// <summary>All not-ready reasons, disabled ones included.</summary>
    public Task<IReadOnlyList<StatusReasonView>> StatusReasonsAsync(CancellationToken cancellationToken) => ReadAsync([Permissions.ManageRouting], (sp, _) =>
        sp.GetRequiredService<ListStatusReasons.Handler>().HandleAsync(enabledOnly: false, cancellationToken), cancellationToken);

    public Task<AdminResult<StatusReasonView>> SaveStatusReasonAsync(string code, SaveStatusReason.Request request, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageRouting], request, (sp, _) => sp.GetRequiredService<SaveStatusReason.Handler>().HandleAsync(code, request, cancellationToken), cancellationToken);

    /// <summary>Built-in and custom roles with their permissions and members (the users page offers them too).</summary>
    public Task<IReadOnlyList<RoleView>> RolesAsync(CancellationToken cancellationToken) => ReadAsync([Permissions.ManageRoles, Permissions.ManageUsers], (sp, _) =>
        sp.GetRequiredService<ManageRoles.Handler>().ListAsync(cancellationToken), cancellationToken);

    /// <summary>Creates or changes a custom role (only with permissions the caller has; built-in roles are refused).</summary>
    public Task<AdminResult<RoleView>> SaveRoleAsync(Guid? id, ManageRoles.Request request, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageRoles], request, (sp, me) =>
        {
            var h = sp.GetRequiredService<ManageRoles.Handler>();
            return id is { } existing ? h.UpdateAsync(me, existing, request, cancellationToken) : h.CreateAsync(me, request, cancellationToken);
        }, cancellationToken);

    /// <summary>Deletes a custom role nobody holds (refused while members have it).</summary>
    public Task<AdminResult<bool>> DeleteRoleAsync(Guid id, CancellationToken cancellationToken) => ChangeAsync([Permissions.ManageRoles], async (sp, _) =>
    {
        await sp.GetRequiredService<ManageRoles.Handler>().DeleteAsync(id, cancellationToken);
        return true;
    }, cancellationToken);

    /// <summary>Ends every session of a staff member inside the caller's scope; the result is how many were ended.</summary>
    public Task<AdminResult<int>> SignOutOperatorAsync(Guid id, CancellationToken cancellationToken) => ChangeAsync([Permissions.ManageUsers], async (sp, me) =>
    {
        await sp.GetRequiredService<ListOperators.Handler>().GetAsync(id, cancellationToken, me);
        return await sp.GetRequiredService<ManageSessions.Handler>().EndAllAsync(OperatorId.From(id), cancellationToken);
    }, cancellationToken);

    /// <summary>Turns two-factor sign-in off for a staff member inside the caller's scope (a lost device and recovery codes).</summary>
    public Task<AdminResult<bool>> ResetTwoFactorAsync(Guid id, CancellationToken cancellationToken) => ChangeAsync([Permissions.ManageUsers], async (sp, me) =>
    {
        await sp.GetRequiredService<ListOperators.Handler>().GetAsync(id, cancellationToken, me);
        await sp.GetRequiredService<TwoFactor.Handler>().ResetAsync(id, cancellationToken);
        return true;
    }, cancellationToken);

    public Task<IReadOnlyList<ApiKeyView>> ApiKeysAsync(CancellationToken cancellationToken) => ReadAsync([Permissions.ManageIntegrations], (sp, _) =>
        sp.GetRequiredService<ManageApiKeys.Handler>().ListAsync(cancellationToken), cancellationToken);

    /// <summary>Creates an API key; the result carries its secret, shown only this once.</summary>
    public Task<AdminResult<CreatedApiKey>> CreateApiKeyAsync(ManageApiKeys.Request request, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ManageIntegrations], request, (sp, me) => sp.GetRequiredService<ManageApiKeys.Handler>().CreateAsync(me, request, cancellationToken),
            cancellationToken);

    public Task<AdminResult<ApiKeyView>> RevokeApiKeyAsync(Guid id, CancellationToken cancellationToken) => ChangeAsync([Permissions.ManageIntegrations], (sp, _) =>
        sp.GetRequiredService<ManageApiKeys.Handler>().RevokeAsync(id, cancellationToken), cancellationToken);

    /// <summary>Searches the audit log, newest first; a bad filter (a period that ends before it starts) comes back as a problem.</summary>
    public Task<AdminResult<SearchAuditLog.Page>> AuditAsync(SearchAuditLog.Filter filter, CancellationToken cancellationToken) =>
        ChangeAsync([Permissions.ViewAudit], (sp, _) => sp.GetRequiredService<SearchAuditLog.Handler>().HandleAsync(filter, cancellationToken), cancellationToken);

    private static readonly string[] AnyConsole =
    [
        Permissions.ManageUsers, Permissions.ManageGroups, Permissions.ManageChannels, Permissions.ManageRouting, Permissions.ManageRoles,
        Permissions.ManageIntegrations, Permissions.ViewAudit,
    ];

    /// <summary>Validates the request as the API's endpoint filter does (every bad field), then runs the change.</summary>
    private Task<AdminResult<T>> ChangeAsync<TRequest, T>(string[] permissions, TRequest request, Func<IServiceProvider, StaffScope, Task<T>> action,
        CancellationToken cancellationToken) =>
        ChangeAsync(permissions, async (sp, me) =>
        {
            var check = await sp.GetRequiredService<IValidator<TRequest>>().ValidateAsync(request, cancellationToken);
            return check.IsValid ? await action(sp, me) : throw new ValidationException(check.Errors);
        }, cancellationToken);

    private async Task<AdminResult<T>> ChangeAsync<T>(string[] permissions, Func<IServiceProvider, StaffScope, Task<T>> action, CancellationToken cancellationToken)
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

    /// <summary>
    /// The circuit's sign-in was checked when the page opened; a permission taken away, a session ended or an account
    /// disabled since then stops the console at the next call, so this asks the database and not the (long-lived) principal.
    /// Resolving the scope also installs the caller's data boundary on this call's database context.
    /// </summary>
    private static async Task<StaffScope> AllowedAsync(IServiceProvider sp, ClaimsPrincipal user, string[] permissions, CancellationToken cancellationToken)
    {
        await StaffCircuit.ActiveAsync(sp, user, cancellationToken);
        var me = await StaffScope.ForAsync(sp.GetRequiredService<OmnichatDbContext>(), user, cancellationToken);
        return permissions.Length == 0 || me.HasAny(permissions) ? me
            : throw new ForbiddenException("You do not have the permission for this (" + string.Join(" or ", permissions) + ").");
    }
}
