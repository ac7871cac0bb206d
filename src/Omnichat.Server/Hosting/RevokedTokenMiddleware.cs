using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Omnichat.Core.Operators;

namespace Omnichat.Server.Hosting;

/// <summary>
/// A bearer token is honoured only while its account's security stamp is unchanged: disabling an
/// account, changing its password or roles revokes every token issued before (401 on next use).
/// </summary>
public sealed class RevokedTokenMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, SignInManager<StaffUser> signIn)
    {
        if (context.User.Identity?.IsAuthenticated == true && await signIn.ValidateSecurityStampAsync(context.User) is null)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity());
        }

        await next(context);
    }
}
