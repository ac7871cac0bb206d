using System.Collections.Concurrent;

namespace Omnichat.Client.Tests.Infrastructure;

/// <summary>Everything an app would see from one <see cref="OmnichatClient"/>, recorded for assertions.</summary>
public sealed class Recorder
{
    private readonly ConcurrentQueue<Message> _messages = new();
    private readonly ConcurrentQueue<ConnectionState> _states = new();
    private readonly ConcurrentQueue<Conversation> _conversations = new();
    private readonly ConcurrentQueue<Conversation> _closed = new();
    private readonly ConcurrentQueue<TypingEvent> _typing = new();
    private readonly ConcurrentQueue<SendFailedEventArgs> _sendFailed = new();
    private readonly ConcurrentQueue<OmnichatClientException> _errors = new();
    private readonly ConcurrentQueue<QueuePosition> _queue = new();

    public Recorder(OmnichatClient client)
    {
        client.MessageReceived += (_, e) => _messages.Enqueue(e.Message);
        client.ConnectionStateChanged += (_, e) => _states.Enqueue(e.Current);
        client.ConversationChanged += (_, e) => _conversations.Enqueue(e.Conversation);
        client.ConversationClosed += (_, e) => _closed.Enqueue(e.Conversation);
        client.Typing += (_, e) => _typing.Enqueue(e.Typing);
        client.SendFailed += (_, e) => _sendFailed.Enqueue(e);
        client.Error += (_, e) => _errors.Enqueue(e.Error);
        client.QueuePositionChanged += (_, e) => _queue.Enqueue(e.Position);
    }

    public IReadOnlyList<Message> Messages => [.. _messages];

    public IReadOnlyList<ConnectionState> States => [.. _states];

    public IReadOnlyList<Conversation> Conversations => [.. _conversations];

    public IReadOnlyList<Conversation> Closed => [.. _closed];

    public IReadOnlyList<TypingEvent> Typing => [.. _typing];

    public IReadOnlyList<SendFailedEventArgs> SendFailed => [.. _sendFailed];

    public IReadOnlyList<OmnichatClientException> Errors => [.. _errors];

    public IReadOnlyList<QueuePosition> QueuePositions => [.. _queue];

    /// <summary>Texts of the received client and operator messages, in the order the app got them.</summary>
    public IReadOnlyList<string?> Texts => [.. _messages.Where(m => m.Direction is MessageDirection.In or MessageDirection.Out).Select(m => m.Text)];

    public Task<IReadOnlyList<Message>> WaitForTextAsync(string text) =>
        Eventually.HoldsAsync(() => Messages, m => m.Any(x => x.Text == text), $"the message '{text}' to reach the app");

    public Task WaitForStateAsync(OmnichatClient client, ConnectionState state) =>
        Eventually.HoldsAsync(() => (client.ConnectionState, History: string.Join(" → ", States)), v => v.ConnectionState == state, $"state {state}");
}
