namespace Omnichat.Core.Channels.Messengers;

/// <summary>Wakes the inbox processor and the delivery sender on this node as soon as there is work, instead of waiting for the next poll.</summary>
public sealed class MessengerSignals : IDisposable
{
    private readonly SemaphoreSlim _inbox = new(0, 1);
    private readonly SemaphoreSlim _outbox = new(0, 1);
    private readonly SemaphoreSlim _channels = new(0, 1);

    public void InboxHasWork() => Release(_inbox);

    public void OutboxHasWork() => Release(_outbox);

    /// <summary>A channel was created or changed: the polling service looks again at once (on this node; others within their rescan).</summary>
    public void ChannelsChanged() => Release(_channels);

    public Task<bool> WaitForChannelsAsync(TimeSpan timeout, CancellationToken cancellationToken) => _channels.WaitAsync(timeout, cancellationToken);

    public Task<bool> WaitForInboxAsync(TimeSpan timeout, CancellationToken cancellationToken) => _inbox.WaitAsync(timeout, cancellationToken);

    public Task<bool> WaitForOutboxAsync(TimeSpan timeout, CancellationToken cancellationToken) => _outbox.WaitAsync(timeout, cancellationToken);

    public void Dispose()
    {
        _inbox.Dispose();
        _outbox.Dispose();
        _channels.Dispose();
    }

    private static void Release(SemaphoreSlim semaphore)
    {
        if (semaphore.CurrentCount != 0)
        {
            return;
        }

        try
        {
            semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Signalled concurrently; one wake-up is enough.
        }
    }
}
