using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Testing;

namespace Omnichat.Core.Tests.Kernel.Outbox;

public abstract class OutboxDispatcherTests(DatabaseProvider provider) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
    private readonly DeliveryLog _log = new();
    private TestDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        await using var harness = Harness(_ => { });
        await harness.MigrateAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private OutboxHarness Harness(Action<IServiceCollection> listeners) => new(_database, _time, s =>
    {
        s.AddSingleton(_log);
        listeners(s);
    });

    [Fact]
    public async Task StateChangeAndItsEvents_CommitTogether_OrNotAtAll()
    {
        await using var harness = Harness(_ => { });
        var id = await harness.OpenConversationAsync(_time.GetUtcNow());
        await harness.AppendAsync(id, "hello", _time.GetUtcNow());

        var types = await harness.InScopeAsync(db => db.OutboxMessages.OrderBy(m => m.Id).Select(m => m.Type).ToListAsync(Ct));
        Assert.Equal(["ConversationOpened", "MessageAppended"], types);

        // A failed transaction leaves neither the message nor its event.
        await harness.InScopeAsync(db => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            var conversation = await db.Conversations.SingleAsync(c => c.Id == id, Ct);
            conversation.AppendMessage(MessageDirection.In, Actor.ForClient(conversation.ClientId), "lost", "k-lost", null, _time.GetUtcNow());
            await db.SaveChangesAsync(Ct);
            await tx.RollbackAsync(Ct);
        }));
        Assert.Equal(2, await harness.InScopeAsync(db => db.OutboxMessages.CountAsync(Ct)));
        Assert.Equal(1, await harness.InScopeAsync(db => db.Messages.CountAsync(Ct)));
    }

    [Fact]
    public async Task Dispatch_DeliversEveryEvent_InCommitOrderPerConversation()
    {
        await using var harness = Harness(s => s.AddEventListener<MessageAppended, RecordingListener>());
        var a = await harness.OpenConversationAsync(_time.GetUtcNow());
        var b = await harness.OpenConversationAsync(_time.GetUtcNow());
        for (var i = 0; i < 15; i++)
        {
            await harness.AppendAsync(a, $"a{i}", _time.GetUtcNow());
            await harness.AppendAsync(b, $"b{i}", _time.GetUtcNow());
        }

        var delivered = await harness.Dispatcher.DispatchPendingAsync(Ct);

        Assert.Equal(32, delivered);
        Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), _log.SeqsOf(a));
        Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), _log.SeqsOf(b));
        Assert.Equal(0, await harness.InScopeAsync(db => db.OutboxMessages.CountAsync(m => m.DispatchedAt == null, Ct)));
        Assert.Equal(0, await harness.Dispatcher.DispatchPendingAsync(Ct));
    }

    [Fact]
    public async Task FailingListener_HoldsBackOnlyItsOwnConversation_AndIsRetriedInOrder()
    {
        await using var harness = Harness(s => s.AddEventListener<MessageAppended, FlakyListener>());
        var a = await harness.OpenConversationAsync(_time.GetUtcNow());
        var b = await harness.OpenConversationAsync(_time.GetUtcNow());
        for (var i = 0; i < 3; i++)
        {
            await harness.AppendAsync(a, $"a{i}", _time.GetUtcNow());
            await harness.AppendAsync(b, $"b{i}", _time.GetUtcNow());
        }

        _log.FailuresLeft[a] = 2;
        await harness.Dispatcher.DispatchPendingAsync(Ct);
        Assert.Empty(_log.SeqsOf(a));
        Assert.Equal([1L, 2L, 3L], _log.SeqsOf(b));

        var failed = await harness.InScopeAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Attempts > 0, Ct));
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("Listener is down.", failed.LastError, StringComparison.Ordinal);

        // Not due yet: nothing happens before the back-off has passed.
        await harness.Dispatcher.DispatchPendingAsync(Ct);
        Assert.Empty(_log.SeqsOf(a));

        _time.Advance(TimeSpan.FromSeconds(1));
        await harness.Dispatcher.DispatchPendingAsync(Ct); // second failure, back-off doubles
        Assert.Empty(_log.SeqsOf(a));
        _time.Advance(TimeSpan.FromSeconds(2));
        await harness.Dispatcher.DispatchPendingAsync(Ct);
        Assert.Equal([1L, 2L, 3L], _log.SeqsOf(a));
    }

    [Fact]
    public async Task EventsCommittedBeforeACrash_AreDeliveredAfterRestart_ExactlyOnceToADeduplicatingListener()
    {
        ConversationId id;
        await using (var beforeCrash = Harness(s => s.AddEventListener<MessageAppended, RecordingListener>()))
        {
            id = await beforeCrash.OpenConversationAsync(_time.GetUtcNow());
            await beforeCrash.AppendAsync(id, "one", _time.GetUtcNow());
            await beforeCrash.AppendAsync(id, "two", _time.GetUtcNow());
            // The process dies here: committed, never dispatched.
        }

        Assert.Empty(_log.Messages);
        await using var afterRestart = Harness(s => s
            .AddEventListener<MessageAppended, RecordingListener>()
            .AddEventListener<MessageAppended, CountingIdempotentListener>());
        await afterRestart.Dispatcher.DispatchPendingAsync(Ct);
        Assert.Equal([1L, 2L], _log.SeqsOf(id));

        // A crash between delivery and marking the rows dispatched makes the next start deliver again.
        await afterRestart.InScopeAsync(db => db.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(m => m.DispatchedAt, (DateTimeOffset?)null), Ct));
        await afterRestart.Dispatcher.DispatchPendingAsync(Ct);

        Assert.Equal([1L, 2L, 1L, 2L], _log.SeqsOf(id)); // at least once
        Assert.Equal(2, _log.IdempotentEffects.Count);
        Assert.All(_log.IdempotentEffects.Values, n => Assert.Equal(1, n)); // exactly once where it de-duplicates
        Assert.Equal(2, await afterRestart.InScopeAsync(db => db.ProcessedEvents.CountAsync(Ct)));
    }
}

public sealed class OutboxDispatcherTestsOnSqlite() : OutboxDispatcherTests(DatabaseProvider.Sqlite);

public sealed class OutboxDispatcherTestsOnPostgres() : OutboxDispatcherTests(DatabaseProvider.Postgres);
