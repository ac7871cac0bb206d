using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Omnichat.Core.Channels;
using Omnichat.Core.Clients;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Kernel.Outbox;
using Omnichat.Testing;

namespace Omnichat.Core.Tests.Kernel.Outbox;

/// <summary>One "process": a service provider on a real database, with the dispatcher driven by the test.</summary>
public sealed class OutboxHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public OutboxHarness(TestDatabase database, FakeTimeProvider time, Action<IServiceCollection> listeners)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(database.Settings)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Omnichat:Outbox:FirstRetryDelay"] = "00:00:01" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddOmnichatDatabase(configuration);
        services.AddOmnichatEvents(configuration, runDispatcher: false);
        listeners(services);
        _services = services.BuildServiceProvider();
    }

    public OutboxDispatcher Dispatcher => _services.GetRequiredService<OutboxDispatcher>();

    public async Task MigrateAsync() => await InScopeAsync(db => db.Database.MigrateAsync());

    public async Task InScopeAsync(Func<OmnichatDbContext, Task> action)
    {
        await using var scope = _services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<OmnichatDbContext>());
    }

    public async Task<T> InScopeAsync<T>(Func<OmnichatDbContext, Task<T>> action)
    {
        await using var scope = _services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<OmnichatDbContext>());
    }

    /// <summary>Opens a conversation (with its channel and client) and returns its id.</summary>
    public Task<ConversationId> OpenConversationAsync(DateTimeOffset now) => InScopeAsync(async db =>
    {
        var channel = Channel.Create(ChannelKind.Webchat, "Site " + Guid.NewGuid(), null, null, null, now);
        var client = Client.Create("Client", null, null, now);
        db.AddRange(channel, client);
        var conversation = Conversation.Open(channel.Id, client.Id, null, null, Actor.ForClient(client.Id), now);
        db.Add(conversation);
        await db.SaveChangesAsync();
        return conversation.Id;
    });

    /// <summary>Appends one client message in its own transaction (a state change plus its event).</summary>
    public Task AppendAsync(ConversationId id, string text, DateTimeOffset now) => InScopeAsync(async db =>
    {
        var conversation = await db.Conversations.SingleAsync(c => c.Id == id);
        conversation.AppendMessage(MessageDirection.In, Actor.ForClient(conversation.ClientId), text, Guid.NewGuid().ToString(), null, now);
        await db.SaveChangesAsync();
    });

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>What listeners saw, shared by the listeners of one test.</summary>
public sealed class DeliveryLog
{
    public ConcurrentQueue<(string Stream, long Seq, Guid EventId)> Messages { get; } = new();

    public ConcurrentDictionary<Guid, int> IdempotentEffects { get; } = new();

    public ConcurrentDictionary<ConversationId, int> FailuresLeft { get; } = new();

    public IReadOnlyList<long> SeqsOf(ConversationId id) =>
        Messages.Where(m => m.Stream == "conversation:" + id).Select(m => m.Seq).ToList();
}

/// <summary>A plain listener: records every delivery, including repeated ones.</summary>
public sealed class RecordingListener(DeliveryLog log) : IDomainEventListener<MessageAppended>
{
    public Task HandleAsync(EventEnvelope envelope, MessageAppended domainEvent, CancellationToken cancellationToken)
    {
        log.Messages.Enqueue((envelope.StreamKey, domainEvent.Seq, envelope.EventId));
        return Task.CompletedTask;
    }
}

/// <summary>Fails while the conversation still has failures left, then records like <see cref="RecordingListener"/>.</summary>
public sealed class FlakyListener(DeliveryLog log) : IDomainEventListener<MessageAppended>
{
    public Task HandleAsync(EventEnvelope envelope, MessageAppended domainEvent, CancellationToken cancellationToken)
    {
        if (log.FailuresLeft.TryGetValue(domainEvent.ConversationId, out var left) && left > 0)
        {
            log.FailuresLeft[domainEvent.ConversationId] = left - 1;
            throw new InvalidOperationException("Listener is down.");
        }

        log.Messages.Enqueue((envelope.StreamKey, domainEvent.Seq, envelope.EventId));
        return Task.CompletedTask;
    }
}

/// <summary>A de-duplicating listener: its effect must happen exactly once per event.</summary>
public sealed class CountingIdempotentListener(OmnichatDbContext db, TimeProvider time, DeliveryLog log)
    : IdempotentListener<MessageAppended>(db, time)
{
    protected override Task HandleOnceAsync(EventEnvelope envelope, MessageAppended domainEvent, CancellationToken cancellationToken)
    {
        log.IdempotentEffects.AddOrUpdate(envelope.EventId, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
