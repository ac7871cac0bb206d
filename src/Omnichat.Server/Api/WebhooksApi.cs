using Microsoft.AspNetCore.Http.Features;
using Omnichat.Core.Channels.Messengers;
using Omnichat.Core.Files;

namespace Omnichat.Server.Api;

/// <summary>
/// Vendor webhooks: <c>POST /webhooks/{kind}/{channelId}</c>. The raw body is read first (at most
/// <see cref="MaxBodyBytes"/>) so the adapter can verify the signature over exactly those bytes; verified events are
/// stored in the inbox before the answer. Anonymous by design — the signature or secret is the authentication.
/// </summary>
public static class WebhooksApi
{
    public const int MaxBodyBytes = 1024 * 1024;

    public static WebApplication MapWebhooksApi(this WebApplication app)
    {
        app.MapPost("/webhooks/{kind}/{channelId:guid}", async (string kind, Guid channelId, HttpContext http, AcceptWebhook.Handler h, CancellationToken ct) =>
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxBodyBytes;
            }

            if (http.Request.ContentLength > MaxBodyBytes)
            {
                return Results.Problem(statusCode: 413, title: "The request body is too large.");
            }

            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, ct);
            if (buffer.Length > MaxBodyBytes)
            {
                return Results.Problem(statusCode: 413, title: "The request body is too large.");
            }

            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var result = await h.HandleAsync(kind, channelId, headers, buffer.ToArray(), ct);
            return result.StatusCode >= 400
                ? Results.Problem(statusCode: result.StatusCode, title: result.StatusCode switch
                {
                    401 or 403 => "The webhook signature or secret is wrong.",
                    404 => "Not found.",
                    _ => "Bad request.",
                }, detail: result.Problem)
                : Results.Text(result.ResponseText ?? "ok", "text/plain", statusCode: result.StatusCode);
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

        // Expiring links to sent attachments, for vendors that fetch media by URL (Viber).
        app.MapGet(PublicFileLinks.PathPrefix + "{token}/{name}", async (string token, PublicFileLinks links, GetFile.Handler files, CancellationToken ct) =>
        {
            if (links.Open(token) is not { } id)
            {
                return Results.NotFound();
            }

            var file = await files.PublicAsync(id, ct);
            return Results.Stream(file.Stream, file.ContentType, file.FileName);
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
