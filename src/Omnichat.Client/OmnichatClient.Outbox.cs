using System.Net.Http.Json;
using Omnichat.Client.Internal;

namespace Omnichat.Client;

/// <summary>The offline send queue: one sender, in order, with capped back-off while the server is unreachable.</summary>
public sealed partial class OmnichatClient
{
    private static void SignalOutbox(Run run) => run.OutboxSignal.Writer.TryWrite(true);

    /// <summary>
    /// Sends the queue whenever signalled (a send, a reconnect, <see cref="FlushAsync"/>) and, after a failure,
    /// again after a back-off that doubles up to <see cref="OmnichatClientOptions.RetryMaxDelay"/> — forever.
    /// </summary>
    private async Task RunOutboxAsync(Run run)
    {
        var stop = run.Stop.Token;
        var failures = 0;
        try
        {
            while (true)
            {
                if (failures == 0)
                {
                    await run.OutboxSignal.Reader.ReadAsync(stop).ConfigureAwait(false);
                }
                else
                {
                    await WaitForSignalAsync(run, Backoff.Delay(failures, _options.RetryInitialDelay, _options.RetryMaxDelay), stop).ConfigureAwait(false);
                }

                while (run.OutboxSignal.Reader.TryRead(out _))
                {
                    // One pass serves every signal so far.
                }

                var flushWaiters = new List<TaskCompletionSource>();
                while (_flushWaiters.TryDequeue(out var w))
                {
                    flushWaiters.Add(w);
                }

                bool retry;
                try
                {
                    retry = await FlushOnceAsync(run, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e)
                {
                    // The store failed, say: keep the messages and try again later.
                    LogOutboxFailed(_logger, e);
                    retry = true;
                    ReleaseSendWaiters();
                }

                failures = retry ? failures + 1 : 0;
                foreach (var w in flushWaiters)
                {
                    w.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task WaitForSignalAsync(Run run, TimeSpan delay, CancellationToken stop)
    {
        using var timeout = new CancellationTokenSource(delay, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
        try
        {
            await run.OutboxSignal.Reader.WaitToReadAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            // The back-off elapsed.
        }
    }

    /// <summary>
    /// One pass over the queue, oldest first. Sent messages leave the queue and go to the inbox; a message the
    /// server refuses for good (4xx other than 401/408/429) leaves it with <see cref="SendFailed"/>; a network
    /// failure, 5xx or 429 stops the pass so the order is kept. Returns true when a retry is needed.
    /// </summary>
    private async Task<bool> FlushOnceAsync(Run run, CancellationToken stop)
    {
        var queue = await _store.GetQueueAsync(_queueName, stop).ConfigureAwait(false);
        var changed = false;
        try
        {
            for (var i = 0; i < queue.Count; i++)
            {
                var pending = queue[i];
                Message sent;
                try
                {
                    sent = await PostMessageAsync(pending, stop).ConfigureAwait(false);
                }
                catch (OmnichatClientException e) when (IsRefusal(e))
                {
                    await _store.RemoveFromQueueAsync(_queueName, pending.ClientMessageId, CancellationToken.None).ConfigureAwait(false);
                    changed = true;
                    LogSendRefused(_logger, pending.ClientMessageId, e.Status ?? 0, e.Field, e.Message);
                    // The event first: when SendAsync throws, the app has already been told through SendFailed.
                    Raise(SendFailed, new SendFailedEventArgs(pending, e), nameof(SendFailed));
                    if (_sendWaiters.TryGetValue(pending.ClientMessageId, out var refused))
                    {
                        refused.Done.TrySetException(e);
                    }

                    continue;
                }
                catch (OmnichatClientException e)
                {
                    LogSendDeferred(_logger, queue.Count - i, e.Message);
                    if (e.IsSessionFailure && !e.IsTransient)
                    {
                        Raise(Error, new OmnichatErrorEventArgs(e), nameof(Error));
                    }

                    ReleaseSendWaiters();
                    return true;
                }

                await _store.RemoveFromQueueAsync(_queueName, pending.ClientMessageId, CancellationToken.None).ConfigureAwait(false);
                changed = true;
                LogSent(_logger, pending.ClientMessageId, sent.ConversationId, sent.Seq);
                if (_sendWaiters.TryGetValue(pending.ClientMessageId, out var waiter))
                {
                    waiter.Done.TrySetResult(new SendResult(pending, sent));
                }

                run.Inbox.Writer.TryWrite(new PushedMessage(sent));
            }

            return false;
        }
        finally
        {
            if (changed)
            {
                await RaisePendingChangedAsync().ConfigureAwait(false);
            }
        }
    }

    private Task<Message> PostMessageAsync(PendingMessage pending, CancellationToken cancellationToken)
    {
        var request = new SendMessageRequest(pending.ClientMessageId, string.IsNullOrEmpty(pending.Text) ? null : pending.Text, pending.NotifyEmail,
            pending.AttachmentIds is { Count: > 0 } ids ? ids : null);
        return SendRequestAsync(
            HttpMethod.Post, "api/client/v1/messages",
            () => JsonContent.Create(request, OmnichatJsonContext.Default.SendMessageRequest),
            OmnichatJsonContext.Default.Message, authorized: true, cancellationToken);
    }

    /// <summary>The protocol's rule: drop a message only on a 4xx other than 401/408/429 about the message itself.</summary>
    private static bool IsRefusal(OmnichatClientException e) =>
        !e.IsTransient && !e.IsSessionFailure && e.Status is >= 400 and < 500 and not 401;

    /// <summary>Callers waiting on a send learn that their message waits in the queue (it is retried).</summary>
    private void ReleaseSendWaiters()
    {
        foreach (var waiter in _sendWaiters.Values)
        {
            waiter.Done.TrySetResult(new SendResult(waiter.Pending, null));
        }
    }
}
