using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Channels;
using Omnichat.Core.Clients;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Kernel.Outbox;
using Omnichat.Server.Tests.Infrastructure;
using Omnichat.Testing;

namespace Omnichat.Server.Tests.Hosting;

/// <summary>The whole server: events committed while no dispatcher runs are delivered when a worker node starts.</summary>
public abstract class OutboxRestartTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EventsCommittedBeforeShutdown_AreDeliveredByTheNextWorkerNode()
    {
        var database = await TestDatabase.CreateAsync(provider);
        ConversationId id;

        // A web-only node (no dispatcher) commits a conversation with two messages, then goes away.
        await using (var webNode = new OmnichatApp(database, roles: "web"))
        {
            _ = webNode.Server;
            id = await SeedConversationAsync(webNode);
        }

        var seen = new ConcurrentQueue<(Type, Guid)>();
        await using var workerNode = new OmnichatApp(database, roles: "worker", services: s =>
        {
            s.AddSingleton(seen);
            s.AddEventListener<ConversationOpened, SeenListener>();
            s.AddEventListener<MessageAppended, SeenListener>();
        });
        _ = workerNode.Server;

        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (seen.Count < 3 && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(100, Ct);
        }

        Assert.Equal(
            [typeof(ConversationOpened), typeof(MessageAppended), typeof(MessageAppended)],
            seen.Select(s => s.Item1));
        Assert.All(seen, s => Assert.Equal(id.Value, s.Item2));
    }

    private static async Task<ConversationId> SeedConversationAsync(OmnichatApp app)
    {
        ConversationId id = default;
        await app.InScopeAsync(async db =>
        {
            var now = TimeProvider.System.GetUtcNow();
            var channel = Channel.Create(ChannelKind.Webchat, "Site", null, null, null, now);
            var client = Client.Create("Ivan", null, null, now);
            var conversation = Conversation.Open(channel.Id, client.Id, null, null, Actor.ForClient(client.Id), now);
            conversation.AppendMessage(MessageDirection.In, Actor.ForClient(client.Id), "Здравствуйте", "c-1", null, now);
            conversation.AppendMessage(MessageDirection.In, Actor.ForClient(client.Id), "Есть кто?", "c-2", null, now);
            db.AddRange(channel, client, conversation);
            await db.SaveChangesAsync(Ct);
            id = conversation.Id;
        });
        return id;
    }

    private sealed class SeenListener(ConcurrentQueue<(Type, Guid)> seen) : IDomainEventListener<ConversationOpened>, IDomainEventListener<MessageAppended>
    {
        public Task HandleAsync(EventEnvelope envelope, ConversationOpened domainEvent, CancellationToken cancellationToken)
        {
            seen.Enqueue((typeof(ConversationOpened), domainEvent.ConversationId.Value));
            return Task.CompletedTask;
        }

        public Task HandleAsync(EventEnvelope envelope, MessageAppended domainEvent, CancellationToken cancellationToken)
        {
            seen.Enqueue((typeof(MessageAppended), domainEvent.ConversationId.Value));
            return Task.CompletedTask;
        }
    }
}

public sealed class OutboxRestartTestsOnSqlite() : OutboxRestartTests(DatabaseProvider.Sqlite);

public sealed class OutboxRestartTestsOnPostgres() : OutboxRestartTests(DatabaseProvider.Postgres);
