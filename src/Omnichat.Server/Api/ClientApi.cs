using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Omnichat.Core.Access;
using Omnichat.Core.Channels;
using Omnichat.Core.Clients;
using Omnichat.Core.Conversations;
using Omnichat.Core.Mail;
using Omnichat.Core.Push;
using Omnichat.Server.Hosting;

namespace Omnichat.Server.Api;

public static class ClientApiSetup
{
    public const string ClientPolicy = "client";
    public const string SessionLimit = "client-sessions";

    /// <summary>Session starts are limited per IP address (fixed one-minute window), answered 429 with Retry-After.</summary>
    public static WebApplicationBuilder AddClientRateLimits(this WebApplicationBuilder builder)
    {
        var perMinute = Math.Max(1, builder.Omnichat().ClientSessions.PerAddressPerMinute);
        builder.Services.AddRateLimiter(o =>
        {
            o.AddPolicy(SessionLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = 429, Title = "Too many sessions started from this address; try again in a minute." },
                });
            };
        });
        return builder;
    }

    /// <summary>Client tokens: their own scheme (never valid on the staff API and vice versa).</summary>
    public static WebApplicationBuilder AddClientAuthentication(this WebApplicationBuilder builder)
    {
        var lifetime = builder.Omnichat().ClientSessions.TokenLifetime;
        builder.Services.AddAuthentication()
            .AddBearerToken(ClientPrincipal.Scheme, o =>
            {
                o.BearerTokenExpiration = lifetime;
                o.Events.OnMessageReceived = ctx => TokenFromQueryForHub(ctx.HttpContext, "/hubs/client", t => ctx.Token = t);
            });
        builder.Services.Configure<Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenOptions>(IdentityConstants.BearerScheme, o =>
            o.Events.OnMessageReceived = ctx => TokenFromQueryForHub(ctx.HttpContext, "/hubs/staff", t => ctx.Token = t));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ClientPolicy, p => p.AddAuthenticationSchemes(ClientPrincipal.Scheme).RequireAuthenticatedUser());
        return builder;
    }

    /// <summary>Browsers cannot set headers on WebSockets, so hubs accept the token as <c>access_token</c> (never logged).</summary>
    private static Task TokenFromQueryForHub(HttpContext http, string hubPath, Action<string> setToken)
    {
        if (http.Request.Path.StartsWithSegments(hubPath) && http.Request.Query["access_token"] is [{ Length: > 0 } token])
        {
            setToken(token);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Client protocol v1 (widget, mobile SDKs, load tests): see docs/client-protocol.md.</summary>
public static class ClientApi
{
    public static IEndpointRouteBuilder MapClientApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/client/v1").WithTags("Client protocol v1");

        api.MapPost("/sessions", async (StartClientSession.Request request, StartClientSession.Handler h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(request, ct)))
            .Validate<StartClientSession.Request>()
            .RequireRateLimiting(ClientApiSetup.SessionLimit)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous()
            .WithSummary("Start or resume a client session in a channel; returns the client token.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/channels/{key}/config", async (string key, GetWidgetConfig.Handler h, HttpContext http, CancellationToken ct) =>
            {
                var config = await h.HandleAsync(key, ct);
                http.Response.Headers.CacheControl = "public, max-age=60";
                // Read by widget.js on the customer's site (another origin); public data, no credentials.
                http.Response.Headers.AccessControlAllowOrigin = "*";
                return TypedResults.Ok(config);
            })
            .AllowAnonymous()
            .WithSummary("The website channel's widget look (title, colour, avatar, position, launcher text) and whether it needs a verified user.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/channels/{key}/availability", async (string key, GetChannelAvailability.Handler h, HttpContext http, CancellationToken ct) =>
            {
                var availability = await h.HandleAsync(key, ct);
                http.Response.Headers.CacheControl = "no-store";
                http.Response.Headers.AccessControlAllowOrigin = "*";
                return TypedResults.Ok(availability);
            })
            .AllowAnonymous()
            .WithSummary("Whether an operator is working for the channel now (the widget offers its offline form when not).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);

        var authed = api.MapGroup("").RequireAuthorization(ClientApiSetup.ClientPolicy).ProducesProblem(StatusCodes.Status401Unauthorized);

        authed.MapPost("/messages", async Task<IResult> (SendClientMessage.Request request, SendClientMessage.Handler h, HttpContext http, CancellationToken ct) =>
            {
                var sent = await h.HandleAsync(Client(http), request, ct);
                return sent.Created
                    ? TypedResults.Created($"/api/client/v1/messages?afterSeq={sent.Message.Seq - 1}", sent.Message)
                    : TypedResults.Ok(sent.Message);
            })
            .Validate<SendClientMessage.Request>()
            .Produces<MessageView>(StatusCodes.Status201Created).Produces<MessageView>(StatusCodes.Status200OK)
            .WithSummary("Send a message; the same clientMessageId again returns the original (200), never a duplicate.");

        authed.MapGet("/messages", async (HttpContext http, ListClientMessages.Handler h, CancellationToken ct, long afterSeq = 0, int? limit = null, Guid? conversationId = null) =>
                TypedResults.Ok(await h.HandleAsync(Client(http), afterSeq, limit, conversationId, ct)))
            .WithSummary("Messages of the current conversation after a sequence number, oldest first (resume after a disconnect).");

        authed.MapPost("/transcript", async (SendTranscript.Request request, SendTranscript.Handler h, HttpContext http, CancellationToken ct) =>
                TypedResults.Accepted((string?)null, await h.ForClientAsync(Client(http), request, ct)))
            .Validate<SendTranscript.Request>()
            .WithSummary("E-mail the transcript of the current (or given) conversation to the client; the address is remembered.");

        authed.MapPost("/conversation/end", async (EndConversationByClient.Handler h, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(Client(http), ct)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("End the open conversation (\"end chat\"); ended while waiting in the queue it counts as abandoned.");

        authed.MapPut("/push-token", async (RegisterPushToken.Request request, RegisterPushToken.Handler h, HttpContext http, CancellationToken ct) =>
            {
                await h.RegisterAsync(Client(http), request, ct);
                return TypedResults.NoContent();
            })
            .Validate<RegisterPushToken.Request>()
            .WithSummary("Register this device's push token (fcm, apns or other): messages that arrive while the app has no realtime connection go to the push gateway.");

        authed.MapDelete("/push-token", async (string token, RegisterPushToken.Handler h, HttpContext http, CancellationToken ct) =>
            {
                await h.RemoveAsync(Client(http), token, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Remove a push token (sign-out on the device).");

        authed.MapPost("/rating", async (RateConversation.Request request, RateConversation.Handler h, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(Client(http), request, ct)))
            .Validate<RateConversation.Request>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Rate a closed conversation (the given one, else the latest): score 1–5 and an optional comment, once.");

        return app;
    }

    private static ClientPrincipal Client(HttpContext http) =>
        ClientPrincipal.From(http.User) ?? throw new InvalidOperationException("The client policy let a non-client through.");
}
