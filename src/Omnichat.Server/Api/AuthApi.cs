using Omnichat.Core.Access;

namespace Omnichat.Server.Api;

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Authentication");

        auth.MapPost("/token", async (IssueAccessToken.Request request, IssueAccessToken.Handler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(request, ct)))
            .Validate<IssueAccessToken.Request>()
            .AllowAnonymous()
            .WithName("IssueAccessToken")
            .WithSummary("Exchange a staff login and password for a bearer access token.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return app;
    }
}
