using System.Collections.Concurrent;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels.Messengers;

/// <summary>
/// Adapter health per channel on this node: the last webhook or poll received, the last successful send, the
/// last error, and the error rate over the recent sends. Shown in <c>/health/ready</c> details for monitoring and alerts.
/// </summary>
public sealed class MessengerHealth(TimeProvider time)
{
    private const int Window = 50;
    private readonly ConcurrentDictionary<ChannelId, State> _states = new();

    public void Received(ChannelId channel) => Get(channel).LastReceivedAt = time.GetUtcNow();

    public void Sent(ChannelId channel)
    {
        var s = Get(channel);
        s.LastSuccessAt = time.GetUtcNow();
        s.Record(ok: true);
    }

    public void Failed(ChannelId channel, string error)
    {
        var s = Get(channel);
        s.LastErrorAt = time.GetUtcNow();
        s.LastError = error.Length <= 300 ? error : error[..300];
        s.Record(ok: false);
    }

    public IReadOnlyDictionary<Guid, Snapshot> Snapshots() =>
        _states.ToDictionary(kv => kv.Key.Value, kv => kv.Value.Snapshot());

    private State Get(ChannelId channel) => _states.GetOrAdd(channel, _ => new State());

    public sealed record Snapshot(DateTimeOffset? LastReceivedAt, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastErrorAt, string? LastError,
        int RecentSends, double ErrorRate);

    private sealed class State
    {
        private readonly Queue<bool> _recent = new();

        public DateTimeOffset? LastReceivedAt { get; set; }

        public DateTimeOffset? LastSuccessAt { get; set; }

        public DateTimeOffset? LastErrorAt { get; set; }

        public string? LastError { get; set; }

        public void Record(bool ok)
        {
            lock (_recent)
            {
                _recent.Enqueue(ok);
                while (_recent.Count > Window)
                {
                    _recent.Dequeue();
                }
            }
        }

        public Snapshot Snapshot()
        {
            lock (_recent)
            {
                var failed = _recent.Count(ok => !ok);
                return new Snapshot(LastReceivedAt, LastSuccessAt, LastErrorAt, LastError, _recent.Count,
                    _recent.Count == 0 ? 0 : Math.Round((double)failed / _recent.Count, 3));
            }
        }
    }
}
