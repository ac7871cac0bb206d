using System.Reflection;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Channels;
using Omnichat.Core.Kernel;

namespace Omnichat.Server.Hosting;

/// <summary>
/// Serves the website widget built from widget/ and embedded in this assembly: <c>/widget.js</c> (the
/// loader sites include), <c>/widget/chat.js</c> and <c>/widget/frame.html</c> (the isolated chat
/// window), and <c>/demo</c> when demo data is enabled.
/// </summary>
public static class WidgetAssets
{
    private static readonly Assembly Assembly = typeof(WidgetAssets).Assembly;
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static WebApplication MapWidget(this WebApplication app)
    {
        app.MapGet("/widget.js", (HttpContext http) => Serve(http, "widget.js", TimeSpan.FromMinutes(5))).ExcludeFromDescription();
        app.MapGet("/widget/frame.html", async (HttpContext http, OmnichatDbContext db, string? channel) =>
        {
            // Sites allowed to embed the chat window: the browser enforces it through frame-ancestors.
            var settings = channel is { Length: > 0 and <= 64 }
                ? await db.Channels.AsNoTracking().Where(c => c.Key == channel).Select(c => c.Settings).FirstOrDefaultAsync(http.RequestAborted)
                : null;
            if (settings is not null && WebchatSettings.From(settings).FrameAncestors() is { } ancestors)
            {
                http.Response.Headers[HeaderNames.ContentSecurityPolicy] = ancestors;
            }

            return Serve(http, "frame.html", TimeSpan.Zero);
        }).ExcludeFromDescription();
        app.MapGet("/widget/{file}", (HttpContext http, string file) => Serve(http, file, TimeSpan.FromMinutes(5))).ExcludeFromDescription();
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OmnichatOptions>>().Value.Demo.Enabled)
        {
            app.MapGet("/demo", (HttpContext http) => Serve(http, "demo.html", TimeSpan.Zero)).ExcludeFromDescription();
        }

        return app;
    }

    private static IResult Serve(HttpContext http, string file, TimeSpan maxAge)
    {
        // Only the embedded names exist; anything else (../, encoded slashes) is simply not found.
        var stream = Assembly.GetManifestResourceStream("widget/" + file);
        if (stream is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found.");
        }

        ContentTypes.TryGetContentType(file, out var contentType);
        http.Response.Headers[HeaderNames.CacheControl] = maxAge > TimeSpan.Zero ? $"public, max-age={(int)maxAge.TotalSeconds}" : "no-cache";
        http.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return TypedResults.Stream(stream, (contentType ?? "application/octet-stream") + (file.EndsWith(".html", StringComparison.Ordinal) ? "; charset=utf-8" : ""));
    }
}
