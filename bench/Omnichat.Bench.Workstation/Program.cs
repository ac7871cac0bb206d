using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Access;
using Omnichat.Core.Channels;
using Omnichat.Core.Clients;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;
using Omnichat.Bench;
using Omnichat.Core.Routing;

// Workstation read-path benchmark (issue: operator workstation). Seeds, in the real database:
//   - Q conversations waiting in one skill group (an operator's "my groups' queues" of 10,000),
//   - H closed conversations handled by that operator, each of them and of the queue with M messages,
//   - one open conversation of L messages assigned to the operator,
// then times what the workstation and the staff API run to show first content — the handler plus JSON
// serialisation of its answer, in-process (server time without the network):
//   the queue list (longest waiting first), "all visible" (newest first), "mine", a text search over every
//   message (a word that is there and one that is not), a filtered list (tag + period), and opening the long
//   conversation (header + newest 100 messages + client card + history), and paging back in it.
//
//   dotnet run -c Release --project bench/Omnichat.Bench.Workstation -- [--postgres "<connection string>"]
//       [--queued 10000] [--handled 10000] [--messages 3] [--long 10000] [--samples 200]

var o = Options.Parse(args);
await using var provider = await BenchHost.StartAsync("workstation", o.Postgres);

Console.WriteLine($"Provider {(o.Postgres is null ? "SQLite" : "PostgreSQL")}; seeding {o.Queued} queued and {o.Handled} closed conversations " +
                  $"({o.Messages} messages each) and one of {o.Long} messages …");
var seedWatch = Stopwatch.StartNew();
var world = await Seed.RunAsync(provider, o);
Console.WriteLine($"Seeded in {seedWatch.Elapsed.TotalSeconds:F1} s: {world.Conversations} conversations, {world.MessageCount} messages.");

var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
var operatorScope = new StaffScope(world.Operator, new HashSet<string>(Permissions.BuiltIn[StaffRoles.Operator]), [world.Group], new DataBoundary(false, [], [], []));
var supervisorScope = new StaffScope(world.Operator, new HashSet<string>(Permissions.BuiltIn[StaffRoles.Supervisor]), [world.Group], DataBoundary.Everything);
var from = TimeProvider.System.GetUtcNow().AddDays(-3);

async Task MeasureAsync<T>(string what, Func<IServiceProvider, Task<T>> read, Func<T, string>? describe = null)
{
    var samples = new List<double>();
    T last = default!;
    for (var i = 0; i < o.Samples + 5; i++)
    {
        await using var scope = provider.CreateAsyncScope();
        var watch = Stopwatch.StartNew();
        last = await read(scope.ServiceProvider);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(last, json);
        watch.Stop();
        if (i >= 5 && bytes.Length > 0)
        {
            samples.Add(watch.Elapsed.TotalMilliseconds); // the first five warm caches and the JIT
        }
    }

    BenchHost.Report(what + (describe is null ? "" : $" [{describe(last)}]"), samples, "F1");
}

var list = (IServiceProvider sp) => sp.GetRequiredService<ListConversations.Handler>();
await MeasureAsync("queue of my groups, longest waiting first, page 1 of 50",
    sp => list(sp).HandleAsync(operatorScope, ListConversations.Scope.Queue, null, 1, 50, default, new ListConversations.Filter(WaitingFirst: true)),
    p => $"total {p.Total}");
await MeasureAsync("all visible (supervisor), newest first, page 1 of 50",
    sp => list(sp).HandleAsync(supervisorScope, ListConversations.Scope.All, null, 1, 50, default), p => $"total {p.Total}");
await MeasureAsync("mine (open and closed), page 1 of 50",
    sp => list(sp).HandleAsync(operatorScope, ListConversations.Scope.Mine, null, 1, 50, default), p => $"total {p.Total}");
await MeasureAsync("mine, page 100 of 50",
    sp => list(sp).HandleAsync(operatorScope, ListConversations.Scope.Mine, null, 100, 50, default), p => $"total {p.Total}");
await MeasureAsync("search a word in every message (found)",
    sp => list(sp).HandleAsync(supervisorScope, ListConversations.Scope.All, null, 1, 50, default, new ListConversations.Filter(Search: Seed.RareWord)),
    p => $"total {p.Total}");
await MeasureAsync("search a word in every message (absent)",
    sp => list(sp).HandleAsync(supervisorScope, ListConversations.Scope.All, null, 1, 50, default, new ListConversations.Filter(Search: "отсутствующее")),
    p => $"total {p.Total}");
await MeasureAsync("search a common word (in about a third of the messages)",
    sp => list(sp).HandleAsync(supervisorScope, ListConversations.Scope.All, null, 1, 50, default, new ListConversations.Filter(Search: "доставка")),
    p => $"total {p.Total}");
await MeasureAsync("search a two-letter word (too short for trigrams: a scan)",
    sp => list(sp).HandleAsync(supervisorScope, ListConversations.Scope.All, null, 1, 50, default, new ListConversations.Filter(Search: "ли")),
    p => $"total {p.Total}");
await MeasureAsync("filter: tag + last 3 days",
    sp => list(sp).HandleAsync(operatorScope, ListConversations.Scope.Mine, null, 1, 50, default, new ListConversations.Filter(From: from, Tag: "vip")),
    p => $"total {p.Total}");
await MeasureAsync("open the long conversation: header + newest 100 + card + history", async sp =>
{
    var get = sp.GetRequiredService<GetConversation.Handler>();
    var card = sp.GetRequiredService<ClientCard.Handler>();
    var header = await get.HandleAsync(operatorScope, world.Long, default);
    var messages = await get.LatestMessagesAsync(operatorScope, world.Long, null, 100, default);
    var client = await card.GetAsync(operatorScope, world.Long, default);
    var history = await card.HistoryAsync(operatorScope, world.Long, null, 20, default);
    return (header, messages, client, history);
}, r => $"{r.messages.Messages.Count} messages, seq {r.messages.Messages[0].Seq}–{r.messages.Messages[^1].Seq}");
await MeasureAsync("page back in the long conversation (100 before seq 5,000)",
    sp => sp.GetRequiredService<GetConversation.Handler>().LatestMessagesAsync(operatorScope, world.Long, 5000, 100, default),
    r => $"{r.Messages.Count} messages");



internal sealed record Options(string? Postgres, int Queued, int Handled, int Messages, int Long, int Samples)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Options(Value("--postgres"), Int("--queued", 10_000), Int("--handled", 10_000), Int("--messages", 3), Int("--long", 10_000),
            Int("--samples", 200));
    }
}

internal sealed record World(OperatorId Operator, SkillGroupId Group, Guid Long, int Conversations, long MessageCount);

internal static class Seed
{
    /// <summary>About one message in a hundred contains it.</summary>
    public const string RareWord = "Рекламация";

    private static readonly string[] Words =
    [
        "здравствуйте", "заказ", "доставка", "оплата", "карта", "возврат", "номер", "курьер", "адрес", "время", "спасибо", "помогите",
        "не", "пришёл", "где", "мой", "когда", "будет", "можно", "ли", "изменить", "отменить", "скидка", "промокод", "магазин", "сайт",
    ];

    public static async Task<World> RunAsync(IServiceProvider provider, Options o)
    {
        var random = new Random(7);
        var now = TimeProvider.System.GetUtcNow();
        ChannelId channel;
        SkillGroupId group;
        OperatorId op;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
            var ch = Channel.Create(ChannelKind.Webchat, "bench", null, null, null, now);
            db.Channels.Add(ch);
            var g = SkillGroup.Create("Поддержка", [ch.Id], [], [], now);
            g.Configure(new GroupRoutingSettings(Strategy: RoutingStrategy.Manual), now); // the queue stays a queue
            db.SkillGroups.Add(g);
            var o1 = Operator.Create(OperatorId.From(Guid.CreateVersion7()), "bench.op", "Оператор", 5, [g.Id], now);
            db.Operators.Add(o1);
            await db.SaveChangesAsync();
            (channel, group, op) = (ch.Id, g.Id, o1.Id);
        }

        string Text()
        {
            var words = Enumerable.Range(0, random.Next(4, 14)).Select(_ => Words[random.Next(Words.Length)]).ToList();
            if (random.Next(100) == 0)
            {
                words.Insert(random.Next(words.Count), RareWord);
            }

            return string.Join(' ', words);
        }

        long messages = 0;
        var total = o.Queued + o.Handled;
        for (var batch = 0; batch < total; batch += 500)
        {
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
            for (var i = batch; i < Math.Min(total, batch + 500); i++)
            {
                var at = now.AddMinutes(-(total - i) * 5.0 / 60); // spread over about a week
                var client = Client.Create($"Клиент {i}", null, null, at);
                db.Clients.Add(client);
                var c = Conversation.Open(channel, client.Id, null, null, Actor.ForClient(client.Id), at);
                for (var m = 0; m < o.Messages; m++)
                {
                    c.AppendMessage(m % 2 == 0 ? MessageDirection.In : MessageDirection.Out,
                        m % 2 == 0 ? Actor.ForClient(client.Id) : Actor.ForOperator(op), Text(), null, null, at.AddSeconds(m));
                    messages++;
                }

                c.Enqueue(group, 0, Actor.System, at);
                if (i >= o.Queued)
                {
                    c.Assign(op, Actor.System, at);
                    if (random.Next(10) == 0)
                    {
                        c.SetTags(["vip"], Actor.ForOperator(op), at);
                    }

                    c.Close(null, Actor.ForOperator(op), at.AddMinutes(3));
                }

                db.Conversations.Add(c);
            }

            await db.SaveChangesAsync();
        }

        Guid longId;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
            var client = Client.Create("Постоянный клиент", "+7 900 000-00-01", "long@example.com", now);
            db.Clients.Add(client);
            var c = Conversation.Open(channel, client.Id, null, null, Actor.ForClient(client.Id), now.AddHours(-6));
            c.Enqueue(group, 0, Actor.System, now.AddHours(-6));
            c.Assign(op, Actor.System, now.AddHours(-6));
            db.Conversations.Add(c);
            await db.SaveChangesAsync();
            longId = c.Id.Value;
        }

        for (var batch = 0; batch < o.Long; batch += 1000)
        {
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
            var c = await db.Conversations.FirstAsync(x => x.Id == ConversationId.From(longId));
            for (var m = batch; m < Math.Min(o.Long, batch + 1000); m++)
            {
                c.AppendMessage(m % 2 == 0 ? MessageDirection.In : MessageDirection.Out,
                    m % 2 == 0 ? Actor.ForClient(c.ClientId) : Actor.ForOperator(op), Text(), null, null, now.AddHours(-6).AddSeconds(m * 2));
                messages++;
            }

            await db.SaveChangesAsync();
        }

        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
            await db.OutboxMessages.ExecuteDeleteAsync(); // the seed's events are history, not work
            if (db.Database.IsNpgsql())
            {
                await db.Database.ExecuteSqlRawAsync("ANALYZE");
            }
        }

        return new World(op, group, longId, total + 1, messages);
    }
}
