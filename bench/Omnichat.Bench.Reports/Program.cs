using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omnichat.Bench;
using Omnichat.Bench.Reports;
using Omnichat.Core.Kernel;
using Omnichat.Core.Reporting;

// Reports benchmark (issue 9) on PostgreSQL: "1,000,000 conversations and 10,000,000 messages over 90 days: any report over
// the whole period ≤ 1 s; a live dashboard refresh ≤ 50 ms; CSV export ≥ 100,000 rows/s and XLSX ≥ 30,000 rows/s with server
// memory growth ≤ 200 MB". Phases:
//   generate  dimensions through the domain, then clients, conversations (the real aggregate, in memory), messages, events and
//             their report rows (ConversationMetrics.Compute) with binary COPY; a database with conversations is truncated first;
//   rollup    report_intervals through RebuildReports.RewriteIntervalsAsync, operator times through OperatorTimeRollup;
//   measure   checks the summary against the generator's own counts and a one-day rebuild, then times every report, the
//             conversation list, the live dashboard and the exports.
//
//   dotnet run -c Release --project bench/Omnichat.Bench.Reports -- --postgres "<connection string>"
//       [--phase generate|rollup|measure|all] [--conversations 1000000] [--days 90] [--samples 10] [--seed 1]
//       [--time-zone Europe/Moscow] [--operators 100] [--live 300]

var o = Options.Parse(args);
if (o.Postgres is null)
{
    Console.Error.WriteLine("--postgres \"Host=…;Database=…\" is required: the reports benchmark runs on PostgreSQL.");
    return 2;
}

await using var provider = await BenchHost.StartAsync("reports", o.Postgres,
    (services, _) => services.AddReporting(runWorkers: false).PostConfigure<OmnichatOptions>(x => x.Reports.TimeZone = o.TimeZone));
Console.WriteLine($"PostgreSQL, phase {o.Phase}, report time zone {o.TimeZone}.");

Expected? expected = null;
if (o.Phase is "generate" or "all")
{
    Console.WriteLine($"Generate: {o.Conversations:N0} conversations over {o.Days} days, seed {o.Seed} …");
    expected = await new Generator(provider, o).RunAsync();
}

await using (var connection = new NpgsqlConnection(o.Postgres))
{
    await connection.OpenAsync();
    await BulkIndexes.RestoreAsync(connection); // an interrupted generation left indexes to create
    expected ??= await Meta.LoadAsync(connection);
}

if (expected is null)
{
    Console.Error.WriteLine("The database has no generated data set: run --phase generate first.");
    return 2;
}

Console.WriteLine($"Data set: {expected.Conversations:N0} conversations, {expected.Messages:N0} messages, {expected.Events:N0} events, " +
                  $"{expected.From:u} – {expected.To:u} ({expected.Days} days).");

if (o.Phase is "rollup" or "all")
{
    await Rollup.RunAsync(provider, expected);
}

if (o.Phase is "measure" or "all")
{
    return await new Measure(provider, o, expected).RunAsync();
}

return 0;

internal sealed record Options(string? Postgres, string Phase, int Conversations, int Days, int Samples, int Seed, string TimeZone, int Operators, int Live)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var phase = Value("--phase") ?? "all";
        if (phase is not ("generate" or "rollup" or "measure" or "all"))
        {
            throw new ArgumentException("--phase is generate, rollup, measure or all.");
        }

        return new Options(Value("--postgres"), phase, Int("--conversations", 1_000_000), Int("--days", 90), Int("--samples", 10), Int("--seed", 1),
            Value("--time-zone") ?? "Europe/Moscow", Int("--operators", 100), Int("--live", 300));
    }
}

/// <summary>The report roll-ups of the whole generated period, the way the product builds them.</summary>
internal static class Rollup
{
    public static async Task RunAsync(IServiceProvider provider, Expected expected)
    {
        Console.WriteLine("Rollup:");
        var low = Intervals.StartOf(expected.From);
        var high = Intervals.StartOf(TimeProvider.System.GetUtcNow()) + Intervals.Seconds;
        var watch = Stopwatch.StartNew();
        long rows;
        await using (var scope = provider.CreateAsyncScope())
        {
            rows = await scope.ServiceProvider.GetRequiredService<RebuildReports>().RewriteIntervalsAsync(low, high, default);
        }

        Console.WriteLine($"  RewriteIntervalsAsync over {(high - low) / 86400.0:F1} days: {rows:N0} interval rows in {watch.Elapsed.TotalSeconds:F1} s");

        watch.Restart();
        var now = TimeProvider.System.GetUtcNow();
        var count = 0;
        var perInterval = new List<double>();
        await using (var scope = provider.CreateAsyncScope())
        {
            var rollup = scope.ServiceProvider.GetRequiredService<OperatorTimeRollup>();
            for (var interval = low; interval < Intervals.StartOf(now) + Intervals.Seconds; interval += Intervals.Seconds)
            {
                var one = Stopwatch.StartNew();
                await rollup.ComputeAsync(interval, now, default);
                perInterval.Add(one.Elapsed.TotalMilliseconds);
                count++;
            }
        }

        Console.WriteLine($"  OperatorTimeRollup.ComputeAsync for {count:N0} 15-minute intervals: {watch.Elapsed.TotalSeconds:F1} s");
        BenchHost.Report("    per interval", perInterval, "F1");
    }
}
