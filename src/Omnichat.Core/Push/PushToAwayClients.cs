using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Kernel.Outbox;

namespace Omnichat.Core.Push;

/// <summary>
/// A message for a client who has no realtime connection goes to the push gateway, signed, so the
/// company's own FCM/APNs sender can notify the client's devices. A push is a notification, not the
/// message (the app reads messages by <c>afterSeq</c> when opened), so a failing gateway never holds
/// up the conversation: the first attempt is made here, further ones by <see cref="PushSender"/> in the
/// background (1 s, 5 s, 30 s, 2 min); the gateway de-duplicates repeats by <c>eventId</c>.
/// </summary>
public sealed class PushToAwayClients(OmnichatDbContext db, ClientPresence presence, PushSender sender, IOptions<PushOptions> options)
    : IDomainEventListener<MessageAppended>
{
    public const string HttpClientName = "omnichat-push";
    public const int MaxPreviewLength = 200;

    public async Task HandleAsync(EventEnvelope envelope, MessageAppended domainEvent, CancellationToken cancellationToken)
    {
        if (options.Value.GatewayUrl is not { } gateway || domainEvent.Direction is not (MessageDirection.Out or MessageDirection.System))
        {
            return;
        }

        var message = await db.Messages.AsNoTracking().Where(m => m.Id == domainEvent.MessageId)
            .Select(m => new { m.Text, m.Seq, m.CreatedAt, m.AuthorKind, m.AuthorId }).FirstOrDefaultAsync(cancellationToken);
        var clientId = await db.Conversations.Where(c => c.Id == domainEvent.ConversationId).Select(c => c.ClientId).FirstOrDefaultAsync(cancellationToken);
        if (message is null || presence.IsConnected(clientId))
        {
            return; // delivered over the hub
        }

        var devices = await db.PushDevices.AsNoTracking().Where(d => d.ClientId == clientId)
            .Select(d => new PushTarget(d.Platform, d.Token)).ToListAsync(cancellationToken);
        if (devices.Count == 0)
        {
            return;
        }

        var preview = message.Text is { Length: > MaxPreviewLength } t ? t[..MaxPreviewLength] + "…" : message.Text;
        var body = JsonSerializer.SerializeToUtf8Bytes(new PushNotification(
            envelope.EventId, clientId.Value, domainEvent.ConversationId.Value, domainEvent.MessageId.Value, message.Seq, preview, message.CreatedAt, devices),
            DomainEventSerializer.Options);
        await sender.SendAsync(gateway, body, envelope.EventId, cancellationToken);
    }
}

/// <summary>POSTs signed notifications to the gateway; failed ones are retried in the background a few times.</summary>
public sealed partial class PushSender(
    IHttpClientFactory http, IOptions<PushOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<PushSender> logger)
{
    private static readonly TimeSpan[] Retries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    public async Task SendAsync(Uri gateway, byte[] body, Guid eventId, CancellationToken cancellationToken)
    {
        if (await TryAsync(gateway, body, eventId, cancellationToken))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            foreach (var delay in Retries)
            {
                await Task.Delay(delay, time, lifetime.ApplicationStopping);
                if (await TryAsync(gateway, body, eventId, lifetime.ApplicationStopping))
                {
                    return;
                }
            }

            LogGaveUp(logger, eventId);
        }, lifetime.ApplicationStopping);
    }

    private async Task<bool> TryAsync(Uri gateway, byte[] body, Guid eventId, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, gateway) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
            request.Headers.Add("X-Omnichat-Event-Id", eventId.ToString());
            if (options.Value.Secret is { Length: > 0 } secret)
            {
                request.Headers.Add("X-Omnichat-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
            }

            using var response = await http.CreateClient(PushToAwayClients.HttpClientName).SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            LogRefused(logger, (int)response.StatusCode, eventId);
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, ex, eventId);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push gateway answered {Status} for event {EventId}; retrying")]
    private static partial void LogRefused(ILogger logger, int status, Guid eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push gateway unreachable for event {EventId}; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid eventId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Push notification for event {EventId} given up after retries (the message itself is stored; the app reads it when opened)")]
    private static partial void LogGaveUp(ILogger logger, Guid eventId);
}

public sealed record PushTarget(string Platform, string Token);

/// <summary>The body POSTed to the push gateway (documented in client-protocol.md).</summary>
public sealed record PushNotification(
    Guid EventId, Guid ClientId, Guid ConversationId, Guid MessageId, long Seq, string? Text, DateTimeOffset SentAt, IReadOnlyList<PushTarget> Devices);
