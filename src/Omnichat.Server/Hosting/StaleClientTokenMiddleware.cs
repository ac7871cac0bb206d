using Microsoft.AspNetCore.Authentication;
using Omnichat.Core.Access;

namespace Omnichat.Server.Hosting;

/// <summary>
/// Refuses (401) a client token whose visitor no longer belongs to its client — the client was merged into
/// another or split — on the client API and hub; the SDKs then start a new session with the same visitor id,
/// which lands on the client that holds the conversations now (<see cref="ClientSessionCheck"/>).
/// </summary>
public sealed class StaleClientTokenMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, ClientSessionCheck check, IProblemDetailsService problems)
    {
        if ((context.Request.Path.StartsWithSegments("/api/client") || context.Request.Path.StartsWithSegments("/hubs/client"))
            && await context.AuthenticateAsync(ClientPrincipal.Scheme) is { Succeeded: true, Principal: { } principal }
            && ClientPrincipal.From(principal) is { } client
            && !await check.IsCurrentAsync(client, context.RequestAborted))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = 401, Title = "This session's client was merged or split; start a new session." },
            });
            return;
        }

        await next(context);
    }
}
