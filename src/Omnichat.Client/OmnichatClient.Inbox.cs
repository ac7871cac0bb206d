using System.Globalization;

namespace Omnichat.Client;

/// <summary>
/// Everything the app is told about the conversation goes through one loop, one item at a time: pushed
/// messages, the server's copies of sent messages, catch-up reads, status and typing. A message is reported
/// only when its sequence number follows the last one reported (a gap is filled by reading after the last
/// one first), so each message is reported once and in order.
/// </summary>
public sealed partial class OmnichatClient
{
    private Guid? _watermarkConversation;
    private long _watermarkSeq;
    private bool _watermarkLoaded;
    private Conversation? _conversation;
    private int _catchUpFailures;
    private int _catchUpRetryScheduled;

    private abstract record InboxItem;

    /// <summary>A message pushed by the hub or returned by a send.</summary>
    private sealed record PushedMessage(Message Message) : InboxItem;

    /// <summary>Read everything after the last seen message (<see cref="Done"/> completes when read).</summary>
    private sealed record CatchUpRequest(TaskCompletionSource? Done) : InboxItem;

    private sealed record StatusPush(Internal.ConversationStatusEvent Event) : InboxItem;

    private sealed record TypingPush(TypingEvent Event) : InboxItem;

    private sealed record QueuePush(QueuePosition Position) : InboxItem;

    private static Task RequestCatchUpAsync(Run run, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return run.Inbox.Writer.TryWrite(new CatchUpRequest(done))
            ? done.Task.WaitAsync(cancellationToken)
            : Task.FromException(new InvalidOperationException("The client is stopping."));
    }

    private async Task RunInboxAsync(Run run)
    {
        var stop = run.Stop.Token;
        try
        {
            while (await run.Inbox.Reader.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                while (run.Inbox.Reader.TryRead(out var item))
                {
                    try
                    {
                        await HandleAsync(run, item, stop).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        (item as CatchUpRequest)?.Done?.TrySetCanceled(stop);
                        throw;
                    }
                    catch (Exception e)
                    {
                        LogInboxFailed(_logger, e);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task HandleAsync(Run run, InboxItem item, CancellationToken stop)
    {
        switch (item)
        {
            case PushedMessage { Message: var message }:
                await OnMessageAsync(run, message, stop).ConfigureAwait(false);
                break;
            case CatchUpRequest { Done: var done }:
                if (await TryCatchUpAsync(run, stop).ConfigureAwait(false) is { } failure)
                {
                    done?.TrySetException(failure);
                }
                else
                {
                    done?.TrySetResult();
                }

                break;
            case StatusPush { Event: var status }:
                await OnStatusAsync(run, status, stop).ConfigureAwait(false);
                break;
            case TypingPush { Event: var typing }:
                Raise(Typing, new TypingEventArgs(typing), nameof(Typing));
                break;
            case QueuePush { Position: var position }:
                Raise(QueuePositionChanged, new QueuePositionChangedEventArgs(position), nameof(QueuePositionChanged));
                break;
        }
    }

    private async Task OnMessageAsync(Run run, Message message, CancellationToken stop)
    {
        if (message.ConversationId != _watermarkConversation)
        {
            // A conversation not read yet (the first one, or a new one after a close): read it properly.
            await TryCatchUpAsync(run, stop).ConfigureAwait(false);
            return;
        }

        var last = Interlocked.Read(ref _watermarkSeq);
        if (message.Seq <= last)
        {
            LogDuplicate(_logger, message.Id, message.Seq);
            return;
        }

        if (message.Seq == last + 1)
        {
            Deliver(message);
            await SaveWatermarkAsync(stop).ConfigureAwait(false);
            return;
        }

        // Something between the last reported message and this one was not seen (or is a staff note): read after the last one.
        await TryCatchUpAsync(run, stop).ConfigureAwait(false);
    }

    private async Task OnStatusAsync(Run run, Internal.ConversationStatusEvent status, CancellationToken stop)
    {
        var current = Volatile.Read(ref _conversation);
        if (current is null || current.Id != status.ConversationId || _watermarkConversation != status.ConversationId)
        {
            await TryCatchUpAsync(run, stop).ConfigureAwait(false);
            return;
        }

        var closed = status.Status is ConversationStatus.Closed or ConversationStatus.Rated;
        UpdateConversation(current with
        {
            Status = status.Status,
            OperatorName = status.OperatorName,
            ClosedAt = closed ? current.ClosedAt ?? _time.GetUtcNow() : current.ClosedAt,
        });
    }

    /// <summary>Catches up; a failure is logged and retried after a back-off (the failure is returned).</summary>
    private async Task<Exception?> TryCatchUpAsync(Run run, CancellationToken stop)
    {
        try
        {
            await CatchUpCoreAsync(stop).ConfigureAwait(false);
            _catchUpFailures = 0;
            return null;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            LogCatchUpFailed(_logger, e.Message);
            if (e is OmnichatClientException { IsTransient: false } permanent)
            {
                Raise(Error, new OmnichatErrorEventArgs(permanent), nameof(Error));
            }

            ScheduleCatchUpRetry(run, stop);
            return e;
        }
    }

    private void ScheduleCatchUpRetry(Run run, CancellationToken stop)
    {
        if (Interlocked.Exchange(ref _catchUpRetryScheduled, 1) == 1)
        {
            return;
        }

        var delay = Internal.Backoff.Delay(++_catchUpFailures, _options.RetryInitialDelay, _options.RetryMaxDelay);
        _ = Task.Run(
            async () =>
            {
                try
                {
                    await Task.Delay(delay, _time, stop).ConfigureAwait(false);
                    run.Inbox.Writer.TryWrite(new CatchUpRequest(null));
                }
                catch (OperationCanceledException)
                {
                    // Stopped.
                }
                finally
                {
                    Volatile.Write(ref _catchUpRetryScheduled, 0);
                }
            },
            CancellationToken.None);
    }

    /// <summary>
    /// Reads the current conversation after the last reported message. When the server's current
    /// conversation is another one (the old one was closed and a new one opened), the rest of the old one is
    /// read first, then the new one from its start.
    /// </summary>
    private async Task CatchUpCoreAsync(CancellationToken stop)
    {
        var known = _watermarkConversation;
        var page = await GetMessagesAsync(known is null ? 0 : Interlocked.Read(ref _watermarkSeq), PageSize, null, stop).ConfigureAwait(false);
        if (page.Conversation is not { } current)
        {
            return;
        }

        if (known is { } old && old != current.Id)
        {
            LogConversationSwitched(_logger, old, current.Id);
            try
            {
                await ReadConversationAsync(old, stop).ConfigureAwait(false);
            }
            catch (OmnichatClientException e) when (e.Status == 404)
            {
                // Not this client's (the store was used by another client before): nothing to finish there.
            }

            await SwitchConversationAsync(current.Id, stop).ConfigureAwait(false);
            await ReadConversationAsync(current.Id, stop).ConfigureAwait(false);
            return;
        }

        if (known is null)
        {
            await SwitchConversationAsync(current.Id, stop).ConfigureAwait(false);
        }

        await ApplyAsync(page, stop).ConfigureAwait(false);
        if (page.HasMore && page.Messages.Count > 0)
        {
            await ReadConversationAsync(current.Id, stop).ConfigureAwait(false);
        }
    }

    private async Task ReadConversationAsync(Guid conversationId, CancellationToken stop)
    {
        MessagesPage page;
        do
        {
            var after = _watermarkConversation == conversationId ? Interlocked.Read(ref _watermarkSeq) : 0;
            page = await GetMessagesAsync(after, PageSize, conversationId, stop).ConfigureAwait(false);
            await ApplyAsync(page, stop).ConfigureAwait(false);
        }
        while (page.HasMore && page.Messages.Count > 0);
    }

    private async Task ApplyAsync(MessagesPage page, CancellationToken stop)
    {
        if (page.Conversation is { } conversation)
        {
            UpdateConversation(conversation);
        }

        var delivered = false;
        foreach (var message in page.Messages)
        {
            if (message.ConversationId == _watermarkConversation && message.Seq > Interlocked.Read(ref _watermarkSeq))
            {
                Deliver(message);
                delivered = true;
            }
        }

        if (delivered)
        {
            await SaveWatermarkAsync(stop).ConfigureAwait(false);
        }
    }

    private void Deliver(Message message)
    {
        Interlocked.Exchange(ref _watermarkSeq, message.Seq);
        Raise(MessageReceived, new MessageReceivedEventArgs(message), nameof(MessageReceived));
    }

    private void UpdateConversation(Conversation conversation)
    {
        var previous = Volatile.Read(ref _conversation);
        Volatile.Write(ref _conversation, conversation);
        if (previous is not null && previous.Id == conversation.Id && previous.Status == conversation.Status
            && previous.OperatorName == conversation.OperatorName)
        {
            return;
        }

        Raise(ConversationChanged, new ConversationChangedEventArgs(conversation), nameof(ConversationChanged));
        if (previous is { IsOpen: true } && previous.Id == conversation.Id && !conversation.IsOpen)
        {
            Raise(ConversationClosed, new ConversationClosedEventArgs(conversation), nameof(ConversationClosed));
        }
    }

    private async Task SwitchConversationAsync(Guid conversationId, CancellationToken stop)
    {
        _watermarkConversation = conversationId;
        Interlocked.Exchange(ref _watermarkSeq, 0);
        await SaveWatermarkAsync(stop).ConfigureAwait(false);
    }

    /// <summary>The last reported message survives restarts: "conversationId:seq".</summary>
    private Task SaveWatermarkAsync(CancellationToken stop) =>
        _store.SetValueAsync(
            _lastSeenKey,
            _watermarkConversation is { } id ? $"{id:D}:{Interlocked.Read(ref _watermarkSeq).ToString(CultureInfo.InvariantCulture)}" : null,
            stop);

    private async Task LoadWatermarkAsync(CancellationToken cancellationToken)
    {
        if (_watermarkLoaded)
        {
            return;
        }

        var value = await _store.GetValueAsync(_lastSeenKey, cancellationToken).ConfigureAwait(false);
        if (value?.Split(':') is [var id, var seq]
            && Guid.TryParse(id, out var conversationId)
            && long.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var lastSeq))
        {
            _watermarkConversation = conversationId;
            Interlocked.Exchange(ref _watermarkSeq, lastSeq);
        }

        _watermarkLoaded = true;
    }
}
