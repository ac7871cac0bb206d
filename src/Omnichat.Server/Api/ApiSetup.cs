using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Omnichat.Core.Kernel;
using Omnichat.Server.Hosting;

namespace Omnichat.Server.Api;

public static class ApiSetup
{
    /// <summary>JSON conventions, ProblemDetails for every error, OpenAPI.</summary>
    public static WebApplicationBuilder AddOmnichatApi(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        // Malformed bodies surface as exceptions so the handler can name the offending field.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Omnichat API";
            doc.Info.Version = "v1";
            doc.Info.Description = "Staff and integration REST API. Authenticate with POST /api/v1/auth/token and send 'Authorization: Bearer <accessToken>'.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.Converters.Add(new TypedIdJsonConverterFactory());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
    }

    public static WebApplication UseOmnichatApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Empty 4xx responses (401, 403, 404 of unknown routes, 405) get a ProblemDetails body too.
        app.UseStatusCodePages();
        app.UseMiddleware<BindingFailureMiddleware>();
        app.UseAuthentication();
        app.UseMiddleware<RevokedTokenMiddleware>();
        app.UseMiddleware<StaleClientTokenMiddleware>();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }
}
