using Omnichat.Core.Access;

namespace Omnichat.Server.Api;

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Authentication");

        auth.MapPost("/token", async (IssueAccessToken.Request request, IssueAccessToken.Handler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(request, http.Request.Headers.UserAgent.ToString(), http.Connection.RemoteIpAddress?.ToString(), ct)))
            .Validate<IssueAccessToken.Request>()
            .AllowAnonymous()
            .WithName("IssueAccessToken")
            .WithSummary("Exchange a staff login and password for a bearer access token (a new session). With two-factor on, the first answer is " +
                         "401 with twoFactorRequired: repeat with twoFactorCode (or recoveryCode).")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        auth.MapPost("/password-reset", async (RequestPasswordReset.Request request, RequestPasswordReset.Handler handler, CancellationToken ct) =>
            {
                await handler.HandleAsync(request, ct);
                return TypedResults.Accepted((string?)null);
            })
            .Validate<RequestPasswordReset.Request>()
            .AllowAnonymous()
            .WithSummary("Send a password reset link to the account's e-mail (the same answer whether or not the login exists).");

        auth.MapPost("/password-reset/confirm", async (ResetPassword.Request request, ResetPassword.Handler handler, CancellationToken ct) =>
            {
                await handler.HandleAsync(request, ct);
                return TypedResults.NoContent();
            })
            .Validate<ResetPassword.Request>()
            .AllowAnonymous()
            .WithSummary("Set a new password with the token from the reset link.");

        return app;
    }
}
