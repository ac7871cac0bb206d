using Scalar.AspNetCore;

namespace Omnichat.Server.Api;

public static class ApiDocs
{
    /// <summary>OpenAPI document at /openapi/v1.json and a browsable reference at /api-docs.</summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/api-docs", o => o
            .WithTitle("Omnichat API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        return app;
    }
}
