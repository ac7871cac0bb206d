using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Conversations;
using Omnichat.Core.Files;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels.Messengers;

/// <summary>
/// Sends due messenger deliveries. Each is claimed first (compare-and-set on <see cref="MessengerDelivery.ClaimedUntil"/>),
/// so two workers never send the same one; per conversation strictly in order (a later message waits while an
/// earlier one is retrying). Temporary failures (429, 5xx, network) retry with jittered exponential back-off,
/// never sooner than the vendor's <c>retry_after</c>; permanent ones and those still failing after
/// <see cref="MessengerOptions.GiveUpAfter"/> end as failed, which the workstation shows on the message.
/// </summary>
public sealed partial class MessengerDispatcher(
    IServiceScopeFactory scopes, MessengerAdapters adapters, IFileStorage storage, PublicFileLinks links, MessengerHealth health,
    TimeProvider time, IOptions<MessengerOptions> options, ILogger<MessengerDispatcher> logger)
{
    public const string DefaultRatingText = "Пожалуйста, оцените разговор: 1 — плохо, 5 — отлично.";

    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        var now = time.GetUtcNow();
        var due = await db.MessengerDeliveries.AsNoTracking()
            .Where(d => d.Status == MessengerDeliveryStatus.Pending && (d.NextAttemptAt == null || d.NextAttemptAt <= now)
                        && (d.ClaimedUntil == null || d.ClaimedUntil < now)
                        && !db.MessengerDeliveries.Any(e => e.ConversationId == d.ConversationId && e.Status == MessengerDeliveryStatus.Pending
                                                            && e.Position < d.Position))
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Position).Select(d => d.Id).Take(50).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var id in due)
        {
            var claimUntil = time.GetUtcNow() + options.Value.ClaimDuration;
            var claimed = await db.MessengerDeliveries
                .Where(d => d.Id == id && d.Status == MessengerDeliveryStatus.Pending && (d.ClaimedUntil == null || d.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedUntil, claimUntil), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            db.ChangeTracker.Clear();
            var delivery = await db.MessengerDeliveries.FirstAsync(d => d.Id == id, cancellationToken);
            var outcome = await AttemptAsync(db, delivery, cancellationToken);
            delivery.Attempts++;
            delivery.ClaimedUntil = null;
            switch (outcome)
            {
                case SendOutcome.Sent ok:
                    delivery.MarkSent(ok.VendorMessageId, ok.Delivered, time.GetUtcNow());
                    await SetMessageStatusAsync(db, delivery, ok.Delivered ? DeliveryStatus.Delivered : DeliveryStatus.Sent, cancellationToken);
                    health.Sent(delivery.ChannelId);
                    sent++;
                    break;
                case SendOutcome.Permanent refused:
                    delivery.MarkFailed(refused.Error);
                    await SetMessageStatusAsync(db, delivery, DeliveryStatus.Failed, cancellationToken);
                    health.Failed(delivery.ChannelId, refused.Error);
                    LogFailed(logger, delivery.Id, refused.Error);
                    break;
                case SendOutcome.Retry retry:
                    health.Failed(delivery.ChannelId, retry.Error);
                    delivery.LastError = MessengerDelivery.Trim(retry.Error);
                    if (time.GetUtcNow() - delivery.CreatedAt >= options.Value.GiveUpAfter)
                    {
                        delivery.MarkFailed($"Still failing after {options.Value.GiveUpAfter}: {retry.Error}");
                        await SetMessageStatusAsync(db, delivery, DeliveryStatus.Failed, cancellationToken);
                        LogFailed(logger, delivery.Id, retry.Error);
                    }
                    else
                    {
                        var delay = Backoff.Delay(delivery.Attempts, options.Value.FirstRetryDelay, options.Value.MaxRetryDelay);
                        if (retry.After is { } after && after > delay)
                        {
                            delay = after;
                        }

                        delivery.NextAttemptAt = time.GetUtcNow() + delay;
                        LogRetry(logger, delivery.Id, delivery.Attempts, delay, retry.Error);
                    }

                    break;
            }

            await db.SaveChangesAsync(CancellationToken.None);
        }

        return sent;
    }

    private async Task<SendOutcome> AttemptAsync(OmnichatDbContext db, MessengerDelivery delivery, CancellationToken cancellationToken)
    {
        var channel = await db.Channels.AsNoTracking().FirstAsync(c => c.Id == delivery.ChannelId, cancellationToken);
        if (adapters.Find(channel.Kind) is not { } adapter)
        {
            return new SendOutcome.Permanent($"No adapter for {channel.Kind} channels.");
        }

        if (!channel.Enabled)
        {
            return new SendOutcome.Retry("The channel is disabled; waiting for it to be enabled again.");
        }

        var messenger = MessengerChannel.From(channel);
        OutboundItem item;
        if (delivery.Kind == MessengerDeliveryKind.RatingPrompt)
        {
            item = new OutboundItem(delivery.Recipient, messenger.Setting("ratingText") ?? DefaultRatingText, [], RatingPrompt: true,
                delivery.IdempotencyKey, delivery.Id.ToString("N"));
        }
        else
        {
            var message = await db.Messages.AsNoTracking().Include(m => m.Attachments).FirstAsync(m => m.Id == delivery.MessageId, cancellationToken);
            var part = delivery.AttachmentId is { } attachmentId ? message.Attachments.Where(a => a.Id == attachmentId).ToList() : [];
            var sender = message.AuthorId is { } author && Guid.TryParse(author, out var operatorId)
                ? await db.Operators.AsNoTracking().Where(o => o.Id == OperatorId.From(operatorId)).Select(o => o.DisplayName).FirstOrDefaultAsync(cancellationToken)
                : null;
            var publicBase = options.Value.PublicUrl is { Length: > 0 } url ? new Uri(url.TrimEnd('/') + "/") : null;
            var files = part.Select(a => new OutboundFile(
                a.FileName, a.ContentType, a.Size, a.ContentType.StartsWith("image/", StringComparison.Ordinal),
                ct => storage.OpenReadAsync(a.StorageKey, ct),
                publicBase is null ? null : links.Create(publicBase, a.Id, a.FileName))).ToList();
            item = new OutboundItem(delivery.Recipient, delivery.AttachmentId is null ? message.Text : null, files, RatingPrompt: false,
                delivery.IdempotencyKey, delivery.Id.ToString("N"), sender);
        }

        try
        {
            return await adapter.SendAsync(messenger, item, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // An adapter bug or an unreadable file must not stall the queue: recorded and retried with back-off.
            return new SendOutcome.Retry(ex.Message);
        }
    }

    /// <summary>Moves the message's delivery mark with the delivery (forward only; failed is final).</summary>
    internal static async Task SetMessageStatusAsync(OmnichatDbContext db, MessengerDelivery delivery, DeliveryStatus status, CancellationToken cancellationToken)
    {
        if (delivery.MessageId is not { } messageId)
        {
            return;
        }

        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId, cancellationToken);
        message?.SetDeliveryStatus(status);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Messenger delivery {DeliveryId} failed for good: {Error}")]
    private static partial void LogFailed(ILogger logger, Guid deliveryId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Messenger delivery {DeliveryId} attempt {Attempts} failed, retrying in {Delay}: {Error}")]
    private static partial void LogRetry(ILogger logger, Guid deliveryId, int attempts, TimeSpan delay, string error);
}

/// <summary>The worker role's loops: the inbox processor and the delivery sender, woken by signals or every poll interval.</summary>
public sealed partial class MessengerWorkerService(
    ProcessInboundEvents inbox, MessengerDispatcher outbox, MessengerSignals signals, IOptions<MessengerOptions> options,
    ILogger<MessengerWorkerService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        LoopAsync("inbox", inbox.RunDueAsync, signals.WaitForInboxAsync, stoppingToken),
        LoopAsync("outbox", outbox.SendDueAsync, signals.WaitForOutboxAsync, stoppingToken));

    private async Task LoopAsync(string name, Func<CancellationToken, Task<int>> pass, Func<TimeSpan, CancellationToken, Task<bool>> wait,
        CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await pass(stoppingToken) > 0 && !stoppingToken.IsCancellationRequested)
                {
                    // More may be due right away.
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(logger, ex, name);
            }

            try
            {
                await wait(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Messenger {Loop} pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string loop);
}
