using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
    public Task<AdminCatalog> CatalogAsync(CancellationToken cancellationToken) => ReadAsync(async (sp, _) => new AdminCatalog(
        await sp.GetRequiredService<ListSkillGroups.Handler>().HandleAsync(cancellationToken),
        await sp.GetRequiredService<ListChannels.Handler>().HandleAsync(cancellationToken),
        await sp.GetRequiredService<ListBranches.Handler>().HandleAsync(cancellationToken),
        await sp.GetRequiredService<ListRegions.Handler>().HandleAsync(cancellationToken)), cancellationToken);

    /// <summary>Who is signed in (an administrator cannot disable themselves; the page says so before asking).</summary>
    public Task<Guid> MeAsync(CancellationToken cancellationToken) => ReadAsync((_, me) => Task.FromResult(me.Value), cancellationToken);

    public Task<IReadOnlyList<OperatorView>> OperatorsAsync(CancellationToken cancellationToken) => ReadAsync((sp, _) =>
        sp.GetRequiredService<ListOperators.Handler>().HandleAsync(cancellationToken), cancellationToken);

    public Task<AdminResult<OperatorView>> CreateOperatorAsync(CreateOperator.Request request, CancellationToken cancellationToken) =>
        ChangeAsync(request, (sp, _) => sp.GetRequiredService<CreateOperator.Handler>().HandleAsync(request, cancellationToken), cancellationToken);

    /// <summary>Changes a staff member; null fields keep their value (the handler refuses to disable or demote the caller).</summary>
    public Task<AdminResult<OperatorView>> UpdateOperatorAsync(Guid id, UpdateOperator.Request request, CancellationToken cancellationToken) =>
        ChangeAsync(request, (sp, me) => sp.GetRequiredService<UpdateOperator.Handler>().HandleAsync(id, request, me, cancellationToken), cancellationToken);

    public Task<AdminResult<SkillGroupView>> SaveSkillGroupAsync(Guid? id, SaveSkillGroup.Request request, CancellationToken cancellationToken) =>
        ChangeAsync(request, (sp, _) =>
        {
            var h = sp.GetRequiredService<SaveSkillGroup.Handler>();
            return id is { } existing ? h.UpdateAsync(existing, request, cancellationToken) : h.CreateAsync(request, cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<BranchView>> BranchesAsync(CancellationToken cancellationToken) => ReadAsync((sp, _) =>
        sp.GetRequiredService<ListBranches.Handler>().HandleAsync(cancellationToken), cancellationToken);

    public Task<AdminResult<BranchView>> SaveBranchAsync(Guid? id, SaveBranch.Request request, CancellationToken cancellationToken) =>
        ChangeAsync(request, (sp, _) =>
        {
            var h = sp.GetRequiredService<SaveBranch.Handler>();
            return id is { } existing ? h.UpdateAsync(existing, request, cancellationToken) : h.CreateAsync(request, cancellationToken);
        }, cancellationToken);

    public Task<AdminResult<RegionView>> SaveRegionAsync(Guid? id, SaveRegion.Request request, CancellationToken cancellationToken) =>
        ChangeAsync(request, (sp, _) =>
        {
            var h = sp.GetRequiredService<SaveRegion.Handler>();
            return id is { } existing ? h.UpdateAsync(existing, request, cancellationToken) : h.CreateAsync(request, cancellationToken);
        }, cancellationToken);

    /// <summary>The kinds of channel this server can run: the website widget and every messenger with an adapter.</summary>
    public Task<IReadOnlyList<ChannelKind>> ChannelKindsAsync(CancellationToken cancellationToken) => ReadAsync((sp, _) =>
    {
        var messengers = sp.GetRequiredService<MessengerAdapters>().All.Select(a => a.Kind);
        return Task.FromResult<IReadOnlyList<ChannelKind>>([ChannelKind.Webchat, .. messengers.Order()]);
    }, cancellationToken);

    /// <summary>Creates a channel; the result carries its secret, shown only this once.</summary>
    public Task<AdminResult<ChannelView>> CreateChannelAsync(CreateChannel.Request request, CancellationToken cancellationToken) =>
        ChangeAsync(request, (sp, _) => sp.GetRequiredService<CreateChannel.Handler>().HandleAsync(request, cancellationToken), cancellationToken);

    /// <summary>Changes a channel; masked credentials sent back unchanged keep the stored ones.</summary>
    public Task<AdminResult<ChannelView>> UpdateChannelAsync(Guid id, UpdateChannel.Request request, CancellationToken cancellationToken) =>
        ChangeAsync(request, (sp, _) => sp.GetRequiredService<UpdateChannel.Handler>().HandleAsync(id, request, cancellationToken), cancellationToken);

    /// <summary>Replaces the channel's secret; the result carries the new one, shown only this once.</summary>
    public Task<AdminResult<ChannelView>> RotateChannelSecretAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync((sp, _) => sp.GetRequiredService<RotateChannelSecret.Handler>().HandleAsync(id, cancellationToken), cancellationToken);

    /// <summary>Checks a messenger channel's credentials against the vendor.</summary>
    public Task<AdminResult<MessengerSetup.Response>> TestMessengerAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync((sp, _) => sp.GetRequiredService<MessengerSetup.Handler>().TestAsync(id, cancellationToken), cancellationToken);

    /// <summary>Points the messenger's webhook at this server (the given public address, or the configured one).</summary>
    public Task<AdminResult<MessengerSetup.Response>> RegisterWebhookAsync(Guid id, string? url, CancellationToken cancellationToken) =>
        ChangeAsync((sp, _) => sp.GetRequiredService<MessengerSetup.Handler>().RegisterWebhookAsync(id,
            new MessengerSetup.WebhookRequest(string.IsNullOrWhiteSpace(url) ? null : url.Trim()), cancellationToken), cancellationToken);

    public Task<IReadOnlyList<RoutingRuleView>> RoutingRulesAsync(CancellationToken cancellationToken) => ReadAsync((sp, _) =>
        sp.GetRequiredService<ListRoutingRules.Handler>().HandleAsync(cancellationToken), cancellationToken);

    public Task<AdminResult<RoutingRuleView>> SaveRoutingRuleAsync(Guid? id, SaveRoutingRule.Request request, CancellationToken cancellationToken) =>
        ChangeAsync(request, (sp, _) =>
        {
            var h = sp.GetRequiredService<SaveRoutingRule.Handler>();
            return id is { } existing ? h.UpdateAsync(existing, request, cancellationToken) : h.CreateAsync(request, cancellationToken);
        }, cancellationToken);

    public Task<AdminResult<bool>> DeleteRoutingRuleAsync(Guid id, CancellationToken cancellationToken) => ChangeAsync(async (sp, _) =>
    {
        await sp.GetRequiredService<SaveRoutingRule.Handler>().DeleteAsync(id, cancellationToken);
        return true;
    }, cancellationToken);

    /// <summary>All not-ready reasons, disabled ones included.</summary>
    public Task<IReadOnlyList<StatusReasonView>> StatusReasonsAsync(CancellationToken cancellationToken) => ReadAsync((sp, _) =>
        sp.GetRequiredService<ListStatusReasons.Handler>().HandleAsync(enabledOnly: false, cancellationToken), cancellationToken);

    public Task<AdminResult<StatusReasonView>> SaveStatusReasonAsync(string code, SaveStatusReason.Request request, CancellationToken cancellationToken) =>
        ChangeAsync(request, (sp, _) => sp.GetRequiredService<SaveStatusReason.Handler>().HandleAsync(code, request, cancellationToken), cancellationToken);

    /// <summary>Validates the request as the API's endpoint filter does (every bad field), then runs the change.</summary>
    private Task<AdminResult<T>> ChangeAsync<TRequest, T>(TRequest request, Func<IServiceProvider, OperatorId, Task<T>> action, CancellationToken cancellationToken) =>
        ChangeAsync(async (sp, me) =>
        {
            var check = await sp.GetRequiredService<IValidator<TRequest>>().ValidateAsync(request, cancellationToken);
            return check.IsValid ? await action(sp, me) : throw new ValidationException(check.Errors);
        }, cancellationToken);

    private async Task<AdminResult<T>> ChangeAsync<T>(Func<IServiceProvider, OperatorId, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return AdminResult.Done(await ReadAsync(action, cancellationToken));
        }
        catch (ValidationException ex)
        {
            return AdminResult.Refused<T>(ex.Errors.Select(e => new AdminProblem(string.IsNullOrEmpty(e.PropertyName) ? null : e.PropertyName, e.ErrorMessage)));
        }
        catch (OmnichatException ex)
        {
            var field = ex switch
            {
                FieldValidationException e => e.Field,
                ConflictException e => e.Field,
                ForbiddenException e => e.Field,
                TooManyRequestsException e => e.Field,
                _ => null,
            };
            return AdminResult.Refused<T>(field, ex.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            return AdminResult.Refused<T>(null, UiText.Get("admin.error.concurrency"));
        }
        catch (DbUpdateException)
        {
            return AdminResult.Refused<T>(null, UiText.Get("admin.error.conflict"));
        }
    }

    private async Task<T> ReadAsync<T>(Func<IServiceProvider, OperatorId, Task<T>> action, CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        await using var scope = scopes.CreateAsyncScope();
        var me = await AdministratorAsync(scope.ServiceProvider.GetRequiredService<OmnichatDbContext>(), state.User, cancellationToken);
        return await action(scope.ServiceProvider, me);
    }

    /// <summary>
    /// The circuit's sign-in was checked when the page opened; a role taken away or an account disabled since then
    /// stops the console at the next call, so this asks the database and not the (long-lived) principal.
    /// </summary>
    private static async Task<OperatorId> AdministratorAsync(OmnichatDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            throw new ForbiddenException("Sign in as an administrator.");
        }

        var me = OperatorId.From(id);
        var allowed = await db.Operators.AnyAsync(o => o.Id == me && o.Enabled, cancellationToken)
                      && await (from ur in db.UserRoles
                                join r in db.Roles on ur.RoleId equals r.Id
                                where ur.UserId == id && r.Name == AdminAccess.Role
                                select ur.UserId).AnyAsync(cancellationToken);
        return allowed ? me : throw new ForbiddenException("Only administrators may use the administration console.");
    }
}
