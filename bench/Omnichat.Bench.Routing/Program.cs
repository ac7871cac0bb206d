using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Channels;
using Omnichat.Core.Clients;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;
using Omnichat.Bench;
using Omnichat.Core.Routing;

// Routing benchmark (issue: routing engine). Seeds G groups, O operators (each in 1–3 groups, capacity C)
// and Q queued conversations, then measures
//   1. "operator became free" → offer: a full operator's conversation is closed and the engine routes
//      the operator's groups; timed from the start of routing to the committed assignment;
//   2. "conversation queued" → offer: a new conversation is queued while operators have room;
//   3. R randomized operations from W concurrent workers (close, status flips, transfers to groups,
//      new conversations, routing passes), then every invariant is checked against the database.
//
//   dotnet run -c Release --project bench/Omnichat.Bench.Routing -- [--postgres "<connection string>"]
//       [--groups 100] [--operators 1000] [--queued 10000] [--samples 500] [--operations 100000] [--workers 4]

var o = Options.Parse(args);
await using var provider = await BenchHost.StartAsync("routing", o.Postgres);

Console.WriteLine($"Provider {(o.Postgres is null ? "SQLite" : "PostgreSQL")}; seeding {o.Groups} groups, {o.Operators} operators (capacity {o.Capacity}), {o.Queued} queued …");
var seed = await Seed.RunAsync(provider, o);
Console.WriteLine($"Seeded in {seed.Elapsed.TotalSeconds:F1} s; {seed.Assigned} assigned by the first routing pass, {seed.Waiting} waiting.");

// 1. Operator becomes free → the next conversation of their groups is assigned.
var freed = new List<double>();
for (var i = 0; i < o.Samples; i++)
{
    await using var scope = provider.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
    var held = await db.Conversations.Where(c => c.Status == ConversationStatus.Assigned).OrderBy(c => c.AssignedAt).FirstAsync();
    var op = held.OperatorId!.Value;
    var released = held.Close(null, Actor.ForOperator(op), TimeProvider.System.GetUtcNow());
    await OperatorCapacity.ReleaseAsync(db, released, null, startWrapUp: false, TimeProvider.System.GetUtcNow(), default);
    await db.SaveChangesAsync();
    var groups = await db.Set<OperatorSkillGroup>().Where(m => m.OperatorId == op).Select(m => m.SkillGroupId).ToListAsync();
    var engine = scope.ServiceProvider.GetRequiredService<RoutingEngine>();
    var watch = Stopwatch.StartNew();
    var made = await engine.RouteAsync(groups, default);
    watch.Stop();
    if (made < 1)
    {
        throw new InvalidOperationException("A freed operator got nothing although their groups have waiting conversations.");
    }

    freed.Add(watch.Elapsed.TotalMilliseconds);
}

BenchHost.Report("operator became free → assigned", freed);

// 2. A conversation is queued while an operator has room (make room first, outside the timing).
var queued = new List<double>();
for (var i = 0; i < o.Samples; i++)
{
    await using var scope = provider.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
    var now = TimeProvider.System.GetUtcNow();
    var group = seed.Groups[i % seed.Groups.Count];
    // An empty group queue with a member who has room: park its waiting conversations elsewhere.
    var member = await db.Operators.Where(x => x.SkillGroups.Any(m => m.SkillGroupId == group)).OrderBy(x => x.Load).FirstAsync();
    if (member.Load >= member.Capacity)
    {
        var held = await db.Conversations.FirstAsync(c => c.Status == ConversationStatus.Assigned && c.OperatorId == member.Id);
        held.Close(null, Actor.ForOperator(member.Id), now);
        member.Release(now, TimeSpan.Zero);
    }

    member.SetStatus(OperatorStatus.Ready, null, now);
    await db.Conversations.Where(c => c.Status == ConversationStatus.Queued && c.SkillGroupId == group)
        .ExecuteUpdateAsync(s => s.SetProperty(c => c.SkillGroupId, seed.Parking));
    await db.SaveChangesAsync();
    var client = Client.Create("bench", null, null, now);
    db.Clients.Add(client);
    var conversation = Conversation.Open(seed.Channel, client.Id, null, null, Actor.System, now);
    db.Conversations.Add(conversation);
    await db.SaveChangesAsync();

    var watch = Stopwatch.StartNew();
    conversation.Enqueue(group, 0, Actor.System, TimeProvider.System.GetUtcNow());
    await db.SaveChangesAsync();
    var made = await scope.ServiceProvider.GetRequiredService<RoutingEngine>().RouteAsync([group], default);
    watch.Stop();
    if (made < 1)
    {
        throw new InvalidOperationException("A queued conversation was not assigned although a member had room.");
    }

    queued.Add(watch.Elapsed.TotalMilliseconds);
}

BenchHost.Report("conversation queued → assigned (incl. the enqueue commit)", queued);

// 3. Randomized concurrent operations, then the invariants.
Console.WriteLine($"Running {o.Operations} randomized operations from {o.Workers} workers …");
var done = 0;
var conflicts = 0;
var total = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, o.Workers).Select(w => Task.Run(async () =>
{
    var random = new Random(w);
    while (Interlocked.Increment(ref done) <= o.Operations)
    {
        try
        {
            await Chaos.OneAsync(provider, seed, random);
        }
        catch (Exception ex) when (ex is DbUpdateException or OmnichatException)
        {
            Interlocked.Increment(ref conflicts); // refused or lost a race: state unchanged by design
        }
    }
})));
total.Stop();
Console.WriteLine($"{o.Operations} operations in {total.Elapsed.TotalSeconds:F1} s ({o.Operations / total.Elapsed.TotalSeconds:F0}/s); {conflicts} refused or lost a race (no effect).");

await using (var scope = provider.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<RoutingEngine>().RouteAsync(null, default);
}

var violations = await Invariants.CheckAsync(provider);
Console.WriteLine(violations.Count == 0 ? "Invariant violations: 0" : $"Invariant violations: {violations.Count}\n  " + string.Join("\n  ", violations.Take(20)));
return violations.Count == 0 ? 0 : 1;


internal sealed record Options(string? Postgres, int Groups, int Operators, int Capacity, int Queued, int Samples, int Operations, int Workers)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Options(Value("--postgres"), Int("--groups", 100), Int("--operators", 1000), Int("--capacity", 3), Int("--queued", 10_000),
            Int("--samples", 500), Int("--operations", 100_000), Int("--workers", 4));
    }
}

internal sealed record SeedResult(ChannelId Channel, List<SkillGroupId> Groups, SkillGroupId Parking, List<OperatorId> Operators, TimeSpan Elapsed, int Assigned, int Waiting);

internal static class Seed
{
    public static async Task<SeedResult> RunAsync(IServiceProvider provider, Options o)
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(42);
        var now = TimeProvider.System.GetUtcNow();
        var groups = new List<SkillGroupId>();
        var operators = new List<OperatorId>();
        ChannelId channel;
        SkillGroupId parking;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
            var ch = Channel.Create(ChannelKind.Webchat, "bench", null, null, null, now);
            db.Channels.Add(ch);
            channel = ch.Id;
            for (var g = 0; g < o.Groups; g++)
            {
                var group = SkillGroup.Create($"group {g:D3}", [], [], [], now);
                db.SkillGroups.Add(group);
                groups.Add(group.Id);
            }

            var park = SkillGroup.Create("parking (manual)", [], [], [], now);
            park.Configure(new GroupRoutingSettings(Strategy: RoutingStrategy.Manual), now);
            db.SkillGroups.Add(park);
            parking = park.Id;
            await db.SaveChangesAsync();
        }

        // Operators: each in 1–3 groups with random levels; every group gets at least its share.
        for (var batch = 0; batch < o.Operators; batch += 500)
        {
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
            for (var i = batch; i < Math.Min(o.Operators, batch + 500); i++)
            {
                var memberships = new[] { groups[i % groups.Count] }
                    .Concat(Enumerable.Range(0, random.Next(0, 3)).Select(_ => groups[random.Next(groups.Count)]))
                    .Distinct().Select(g => new SkillMembership(g, random.Next(1, 11)));
                var op = Operator.Create(OperatorId.From(Guid.CreateVersion7()), $"bench{i}", $"Bench {i}", o.Capacity, memberships, now);
                op.SetStatus(OperatorStatus.Ready, null, now);
                db.Operators.Add(op);
                operators.Add(op.Id);
            }

            await db.SaveChangesAsync();
        }

        // Enough conversations to fill every operator and leave Queued waiting.
        var conversations = o.Queued + o.Operators * o.Capacity;
        for (var batch = 0; batch < conversations; batch += 1000)
        {
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = batch; i < Math.Min(conversations, batch + 1000); i++)
            {
                var client = Client.Create(null, null, null, now);
                db.Clients.Add(client);
                var c = Conversation.Open(channel, client.Id, null, null, Actor.System, now.AddSeconds(-conversations + i));
                c.Enqueue(groups[random.Next(groups.Count)], random.Next(3) == 0 ? 1 : 0, Actor.System, now.AddSeconds(-conversations + i));
                db.Conversations.Add(c);
            }

            await db.SaveChangesAsync();
        }

        int assigned;
        await using (var scope = provider.CreateAsyncScope())
        {
            assigned = await scope.ServiceProvider.GetRequiredService<RoutingEngine>().RouteAsync(null, default);
        }

        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
            // The seed's events are history, not work for a dispatcher.
            await db.OutboxMessages.ExecuteDeleteAsync();
            var waiting = await db.Conversations.CountAsync(c => c.Status == ConversationStatus.Queued);
            return new SeedResult(channel, groups, parking, operators, watch.Elapsed, assigned, waiting);
        }
    }
}

internal static class Chaos
{
    public static async Task OneAsync(IServiceProvider provider, SeedResult seed, Random random)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        var engine = scope.ServiceProvider.GetRequiredService<RoutingEngine>();
        var now = TimeProvider.System.GetUtcNow();
        var op = seed.Operators[random.Next(seed.Operators.Count)];
        var groups = await db.Set<OperatorSkillGroup>().Where(m => m.OperatorId == op).Select(m => m.SkillGroupId).ToListAsync();
        switch (random.Next(10))
        {
            case 0 or 1 or 2: // the operator closes one of their conversations
            {
                var c = await db.Conversations.FirstOrDefaultAsync(x => x.OperatorId == op && x.Status == ConversationStatus.Assigned);
                if (c is null)
                {
                    break;
                }

                var released = c.Close(null, Actor.ForOperator(op), now);
                await OperatorCapacity.ReleaseAsync(db, released, c.SkillGroupId, startWrapUp: false, now, default);
                await db.SaveChangesAsync();
                break;
            }

            case 3: // break, or back to ready
            {
                var o = await db.Operators.FirstAsync(x => x.Id == op);
                o.SetStatus(o.Status == OperatorStatus.Ready ? OperatorStatus.NotReady : OperatorStatus.Ready, null, now);
                await db.SaveChangesAsync();
                break;
            }

            case 4: // transfer one of theirs to another group's queue
            {
                var c = await db.Conversations.FirstOrDefaultAsync(x => x.OperatorId == op && x.Status == ConversationStatus.Assigned);
                if (c is null)
                {
                    break;
                }

                var released = c.TransferToGroup(seed.Groups[random.Next(seed.Groups.Count)], null, Actor.ForOperator(op), now);
                await OperatorCapacity.ReleaseAsync(db, released, null, startWrapUp: false, now, default);
                await db.SaveChangesAsync();
                groups.Add(c.SkillGroupId!.Value);
                break;
            }

            case 5 or 6: // a new client writes
            {
                var client = Client.Create(null, null, null, now);
                db.Clients.Add(client);
                var c = Conversation.Open(seed.Channel, client.Id, null, null, Actor.System, now);
                var group = seed.Groups[random.Next(seed.Groups.Count)];
                c.Enqueue(group, random.Next(3) == 0 ? 1 : 0, Actor.System, now);
                db.Conversations.Add(c);
                await db.SaveChangesAsync();
                groups = [group];
                break;
            }

            default:
                break; // a routing pass only (the listener of an earlier event, or the sweep)
        }

        await engine.RouteAsync(groups, default);
    }
}

internal static class Invariants
{
    public static async Task<List<string>> CheckAsync(IServiceProvider provider)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        var violations = await RoutingAudit.LoadViolationsAsync(db, default);
        var unserved = await RoutingAudit.UnservedAsync(db, TimeProvider.System.GetUtcNow(), default);
        if (unserved.Count > 0)
        {
            violations.Add($"{unserved.Count} conversations wait beside a free eligible operator");
        }

        return violations;
    }
}
