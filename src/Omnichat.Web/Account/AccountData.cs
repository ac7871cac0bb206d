using FluentValidation;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Web.Admin;
using Omnichat.Web.Shared;

namespace Omnichat.Web.Account;

/// <summary>
/// My own account (<c>/account/security</c>): two-factor sign-in and where I am signed in. Like
/// <see cref="AdminData"/>, every call gets its own DI scope, checks in the database that the circuit's session is
/// still active, runs the request's validator first and returns refusals as <see cref="AdminProblem"/>s naming the field.
/// Who "I" am comes from the sign-in (the NameIdentifier claim), never from the page.
/// </summary>
public sealed class AccountData(IServiceScopeFactory scopes, AuthenticationStateProvider authentication)
{
    public Task<TwoFactor.Status> TwoFactorAsync(CancellationToken cancellationToken) =>
        ReadAsync((sp, me, _) => sp.GetRequiredService<TwoFactor.Handler>().StatusAsync(me, cancellationToken), cancellationToken);

    /// <summary>A new authenticator secret with its QR code; two-factor stays off until confirmed.</summary>
    public Task<AdminResult<TwoFactor.Enrolment>> BeginTwoFactorAsync(CancellationToken cancellationToken) =>
        ChangeAsync((sp, me, _) => sp.GetRequiredService<TwoFactor.Handler>().BeginAsync(me, cancellationToken), cancellationToken);

    /// <summary>Turns two-factor on with a first code; the result carries the recovery codes, shown only this once.</summary>
    public Task<AdminResult<TwoFactor.RecoveryCodes>> ConfirmTwoFactorAsync(string code, CancellationToken cancellationToken) =>
        WithCodeAsync(code, (h, me, request) => h.ConfirmAsync(me, request, cancellationToken), cancellationToken);

    public Task<AdminResult<TwoFactor.RecoveryCodes>> NewRecoveryCodesAsync(string code, CancellationToken cancellationToken) =>
        WithCodeAsync(code, (h, me, request) => h.NewRecoveryCodesAsync(me, request, cancellationToken), cancellationToken);

    public Task<AdminResult<bool>> DisableTwoFactorAsync(string code, CancellationToken cancellationToken) =>
        WithCodeAsync(code, async (h, me, request) =>
        {
            await h.DisableAsync(me, request, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>My active sessions, newest use first, this one marked.</summary>
    public Task<IReadOnlyList<SessionView>> SessionsAsync(CancellationToken cancellationToken) =>
        ReadAsync((sp, me, current) => sp.GetRequiredService<ManageSessions.Handler>().ListAsync(me, current, cancellationToken), cancellationToken);

    /// <summary>Ends one of my sessions; true when it was this one (the page then signs in again).</summary>
    public Task<AdminResult<bool>> EndSessionAsync(Guid id, CancellationToken cancellationToken) => ChangeAsync(async (sp, me, current) =>
    {
        await sp.GetRequiredService<ManageSessions.Handler>().EndAsync(me, id, cancellationToken);
        return id == current;
    }, cancellationToken);

    /// <summary>Ends every session of mine, this one included; the result is how many were ended.</summary>
    public Task<AdminResult<int>> SignOutEverywhereAsync(CancellationToken cancellationToken) =>
        ChangeAsync((sp, me, _) => sp.GetRequiredService<ManageSessions.Handler>().EndAllAsync(me, cancellationToken), cancellationToken);

    private Task<AdminResult<T>> WithCodeAsync<T>(string code, Func<TwoFactor.Handler, OperatorId, TwoFactor.CodeRequest, Task<T>> action,
        CancellationToken cancellationToken) => ChangeAsync(async (sp, me, _) =>
    {
        var request = new TwoFactor.CodeRequest(code.Trim());
        var check = await sp.GetRequiredService<IValidator<TwoFactor.CodeRequest>>().ValidateAsync(request, cancellationToken);
        return check.IsValid ? await action(sp.GetRequiredService<TwoFactor.Handler>(), me, request) : throw new ValidationException(check.Errors);
    }, cancellationToken);

    private async Task<AdminResult<T>> ChangeAsync<T>(Func<IServiceProvider, OperatorId, Guid, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return AdminResult.Done(await ReadAsync(action, cancellationToken));
        }
        catch (Exception ex) when (AdminResult.Refusal(ex) is { } problems)
        {
            return AdminResult.Refused<T>(problems);
        }
    }

    private async Task<T> ReadAsync<T>(Func<IServiceProvider, OperatorId, Guid, Task<T>> action, CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        await using var scope = scopes.CreateAsyncScope();
        var (me, session) = await StaffCircuit.ActiveAsync(scope.ServiceProvider, state.User, cancellationToken);
        return await action(scope.ServiceProvider, me, session);
    }
}
