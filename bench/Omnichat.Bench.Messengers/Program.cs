using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Bench;
using Omnichat.Channels;
using Omnichat.Core.Channels;
using Omnichat.Core.Channels.Messengers;
using Omnichat.Core.Kernel;

// Messenger ingest benchmark (issue 7). On a fresh database, for one Telegram channel:
//   1. acknowledgement: N webhook updates from U users through AcceptWebhook (secret check, parse, inbox insert) —
//      what a vendor waits for before its 200, in-process (no network);
//   2. redelivery: the same N again (all recognised as duplicates);
//   3. processing: the worker's inbox pass until empty (client lookup/creation, conversation, message) — events/s.
//
//   dotnet run -c Release --project bench/Omnichat.Bench.Messengers -- [--postgres "<connection string>"] [--updates 3000] [--users 300]

string? postgres = null;
var updates = 3000;
var users = 300;
for (var i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--postgres": postgres = args[++i]; break;
        case "--updates": updates = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--users": users = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
    }
}

await using var host = await BenchHost.StartAsync("messengers", postgres, (services, configuration) =>
{
    services.AddDataProtection();
    services.AddFiles(runSweep: false);
    services.AddMessengerAdapters();
    services.AddMessengerPipeline(configuration, runWorkers: false);
});

Guid channelId;
string secret;
await using (var scope = host.CreateAsyncScope())
{
    var created = await scope.ServiceProvider.GetRequiredService<CreateChannel.Handler>().HandleAsync(
        new CreateChannel.Request(ChannelKind.Telegram, "Bench bot", new System.Text.Json.Nodes.JsonObject { ["botToken"] = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ" }, null, null),
        CancellationToken.None);
    channelId = created.Id;
    secret = created.Secret!;
}

var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Telegram-Bot-Api-Secret-Token"] = secret };
byte[] Update(int n)
{
    var user = (5_000_000_000L + n % users).ToString(CultureInfo.InvariantCulture);
    var id = n.ToString(CultureInfo.InvariantCulture);
    return Encoding.UTF8.GetBytes("{\"update_id\":" + (100000 + n).ToString(CultureInfo.InvariantCulture) + ",\"message\":{\"message_id\":" + id
        + ",\"date\":1700000000,\"chat\":{\"id\":" + user + ",\"type\":\"private\"},\"from\":{\"id\":" + user
        + ",\"is_bot\":false,\"first_name\":\"User " + user + "\"},\"text\":\"Здравствуйте, вопрос номер " + id + " про заказ\"}}");
}

async Task<List<double>> AcceptAllAsync()
{
    var samples = new List<double>(updates);
    for (var n = 0; n < updates; n++)
    {
        var body = Update(n);
        await using var scope = host.CreateAsyncScope();
        var started = Stopwatch.GetTimestamp();
        var result = await scope.ServiceProvider.GetRequiredService<AcceptWebhook.Handler>().HandleAsync("telegram", channelId, headers, body, CancellationToken.None);
        samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (result.StatusCode != 200)
        {
            throw new InvalidOperationException($"Update {n}: {result.StatusCode} {result.Problem}");
        }
    }

    return samples;
}

Console.WriteLine($"Omnichat messenger ingest benchmark — {(postgres is null ? "SQLite" : "PostgreSQL")}, {updates} updates from {users} users, {Environment.ProcessorCount} cores");
BenchHost.Report("webhook acknowledged (verify + parse + inbox insert)", await AcceptAllAsync());
BenchHost.Report("redelivery recognised (same updates again)", await AcceptAllAsync());

var inbox = host.GetRequiredService<ProcessInboundEvents>();
var watch = Stopwatch.StartNew();
var processed = 0;
int pass;
while ((pass = await inbox.RunDueAsync(CancellationToken.None)) > 0)
{
    processed += pass;
}

watch.Stop();
await using (var scope = host.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
    var stored = await db.InboundEvents.CountAsync();
    var messages = await db.Messages.CountAsync();
    var conversations = await db.Conversations.CountAsync();
    Console.WriteLine($"inbox rows: {stored} (of {2 * updates} deliveries); messages: {messages}; conversations: {conversations}");
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"processing: {processed} events in {watch.Elapsed.TotalSeconds:F1} s = {processed / watch.Elapsed.TotalSeconds:F0} events/s (one worker)"));
