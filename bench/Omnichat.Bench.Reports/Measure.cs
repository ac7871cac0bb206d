using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;
using Omnichat.Core.Reporting;

namespace Omnichat.Bench.Reports;

/// <summary>Correctness checks, then timings of the reports, the conversation list, the live dashboard and the exports.</summary>
internal sealed class Measure(IServiceProvider provider, Options o, Expected expected)
{
    private StaffScope _scope = null!;
    private TimeZoneInfo _zone = null!;

    public async Task<int> RunAsync()
    {
        _zone = provider.GetRequiredService<IOptions<OmnichatOptions>>().Value.Reports.Zone;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
            var admin = await db.Operators.OrderBy(x => x.Login).Select(x => x.Id).FirstAsync();
            _scope = new StaffScope(admin, new HashSet<string>(Permissions.BuiltIn[StaffRoles.Administrator]), [], DataBoundary.Everything);
        }

        var failed = !await CheckAsync();
        await MeasureAsync();
        return failed ? 1 : 0;
    }

    /// <summary>The whole generated period as the API parses it: from/to as local dates of the report time zone.</summary>
    private ReportQuery Whole(params (string Name, string Value)[] more)
    {
        string Day(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, _zone).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var now = TimeProvider.System.GetUtcNow();
        return Query([("from", Day(expected.From)), ("to", Day(now > expected.To ? now : expected.To)), .. more]);
    }

    private ReportQuery Query(params (string Name, string Value)[] parameters)
    {
        var byName = parameters.ToLookup(p => p.Name, p => p.Value);
        return ReportQuery.Parse(name => [.. byName[name]], _zone, TimeProvider.System.GetUtcNow());
    }

    private async Task<ReportResult> ReportAsync(string report, ReportQuery q)
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RunReport>().HandleAsync(_scope, report, q, true, default);
    }

    private async Task<bool> CheckAsync()
    {
        Console.WriteLine("Check: the whole period's summary against what the generator did");
        var q = Whole();
        var total = (await ReportAsync("summary", q)).Total!;
        var ok = true;
        foreach (var (id, want) in new (string, long)[]
                 {
                     ("conversations", expected.Conversations), ("offered", expected.Offered), ("answered", expected.Answered),
                     ("abandoned", expected.Abandoned), ("handled", expected.Handled), ("closed", expected.Closed), ("rated", expected.Rated),
                     ("missedOffers", expected.MissedOffers), ("transfers", expected.Transfers),
                 })
        {
            var got = (long)(total.Values[id] ?? 0);
            var same = got == want;
            ok &= same;
            Console.WriteLine($"  {id,-14} report {got,12:N0}  generator {want,12:N0}  {(same ? "ok" : "MISMATCH")}");
        }

        // The day buckets of the intervals report must be the days' own summaries (bucket boundaries at local midnights).
        var byDay = await ReportAsync("intervals", Whole(("bucket", "day")));
        var wrongDays = new List<string>();
        foreach (var row in byDay.Rows)
        {
            var one = (await ReportAsync("summary", Query(("from", row.Label), ("to", row.Label)))).Total!;
            foreach (var id in new[] { "conversations", "offered", "handled" })
            {
                if (one.Values[id] != row.Values[id])
                {
                    wrongDays.Add($"{row.Label} {id}: bucket {row.Values[id]}, day {one.Values[id]}");
                }
            }
        }

        Console.WriteLine($"  intervals by day = each day's summary ({byDay.Rows.Count} days): " +
                          (wrongDays.Count == 0 ? "ok" : $"MISMATCH in {wrongDays.Count} figures, e.g. " + string.Join("; ", wrongDays.Take(4))));
        ok &= wrongDays.Count == 0;

        // Rebuilding one whole (local) day in the middle of the period must change nothing.
        var middle = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(expected.From.AddDays(expected.Days / 2.0), _zone).DateTime);
        var day = middle.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (dayFrom, dayTo) = ReportQuery.Period(day, day, null, _zone, TimeProvider.System.GetUtcNow()); // as the rebuild-reports command reads it
        var dayQuery = Query(("from", day), ("to", day));
        var before = (await ReportAsync("summary", dayQuery)).Total!;
        var activityBefore = await ReportAsync("activity", dayQuery);
        var watch = Stopwatch.StartNew();
        RebuildReports.Result rebuilt;
        await using (var scope = provider.CreateAsyncScope())
        {
            rebuilt = await scope.ServiceProvider.GetRequiredService<RebuildReports>().HandleAsync(dayFrom, dayTo, default);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var after = (await ReportAsync("summary", dayQuery)).Total!;
        var activityAfter = await ReportAsync("activity", dayQuery);
        var differences = before.Values.Where(v => after.Values.GetValueOrDefault(v.Key) != v.Value).Select(v => $"{v.Key}: {v.Value} → {after.Values.GetValueOrDefault(v.Key)}").ToList();
        var activityDifferences = activityBefore.Total!.Values.Where(v => activityAfter.Total!.Values.GetValueOrDefault(v.Key) != v.Value)
            .Select(v => $"activity {v.Key}: {v.Value} → {activityAfter.Total!.Values.GetValueOrDefault(v.Key)}").ToList();
        Console.WriteLine($"  rebuild of {middle:yyyy-MM-dd}: {rebuilt.Conversations:N0} conversations, {rebuilt.Contributions:N0} contributions, " +
                          $"{rebuilt.Intervals:N0} interval rows in {seconds:F1} s ({rebuilt.Conversations / seconds:N0} conversations/s); day summary " +
                          (differences.Count == 0 ? "identical" : "DIFFERENT: " + string.Join("; ", differences)) + "; activity total " +
                          (activityDifferences.Count == 0 ? "identical" : "DIFFERENT: " + string.Join("; ", activityDifferences)));
        ok &= differences.Count == 0 && activityDifferences.Count == 0;
        Console.WriteLine(ok ? "Check passed." : "CHECK FAILED.");
        return ok;
    }

    private async Task TimeAsync<T>(string what, Func<IServiceProvider, Task<T>> run, Func<T, string>? describe = null)
    {
        var samples = new List<double>();
        T last = default!;
        for (var i = 0; i <= o.Samples; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            var watch = Stopwatch.StartNew();
            last = await run(scope.ServiceProvider);
            watch.Stop();
            if (i > 0)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds); // the first warms caches and the JIT
            }
        }

        BenchHost.Report(what + (describe is null ? "" : $" [{describe(last)}]"), samples, "F1");
    }

    private async Task MeasureAsync()
    {
        Console.WriteLine($"Measure ({o.Samples} samples after one warm-up; administrator, unlimited scope):");
        var whole = Whole();
        Console.WriteLine($"  period {whole.From:u} – {whole.To:u}");
        var reports = (IServiceProvider sp) => sp.GetRequiredService<RunReport>();
        foreach (var table in RunReport.Tables)
        {
            if (table == "intervals")
            {
                foreach (var bucket in new[] { "hour", "day", "week", "month" })
                {
                    var q = Whole(("bucket", bucket));
                    await TimeAsync($"report intervals by {bucket}, whole period", sp => reports(sp).HandleAsync(_scope, table, q, true, default), r => $"{r.Rows.Count} rows");
                }

                var week = Query(("preset", "last-7-days"), ("bucket", "15min"));
                await TimeAsync("report intervals by 15min, last 7 days", sp => reports(sp).HandleAsync(_scope, table, week, true, default), r => $"{r.Rows.Count} rows");
                continue;
            }

            await TimeAsync($"report {table}, whole period", sp => reports(sp).HandleAsync(_scope, table, whole, true, default), r => $"{r.Rows.Count} rows");
        }

        var month = Query(("preset", "last-30-days"));
        await TimeAsync("report summary, last 30 days", sp => reports(sp).HandleAsync(_scope, "summary", month, true, default),
            r => $"{r.Total!.Values["conversations"]:N0} conversations");

        var list = (IServiceProvider sp) => sp.GetRequiredService<ListReportConversations>();
        await TimeAsync("conversation list, page 1, default sort (-created)", sp => list(sp).PageAsync(_scope, whole, default), p => $"total {p.Total:N0}");
        var byWait = Whole(("sort", "-wait"));
        await TimeAsync("conversation list, page 1, sort -wait", sp => list(sp).PageAsync(_scope, byWait, default), p => $"total {p.Total:N0}");

        await TimeAsync("live dashboard (all groups)", sp => sp.GetRequiredService<LiveDashboard>().HandleAsync(_scope, [], default),
            v => $"{v.Total.InQueue} queued, {v.Total.Active} active, {v.Operators.Count(x => x.Status == OperatorStatus.Ready)} ready, " +
                 $"{v.Total.Today.Offered:N0} offered today");

        // Exports: one warm-up of each format over the last day (JIT), then the whole period twice in turn; then a probe
        // with a full collection every 10,000 rows: the live managed heap shows whether the export holds rows (slower, not timed).
        var lastDay = Query(("preset", "today"));
        foreach (var format in new[] { "csv", "xlsx" })
        {
            await ExportAsync(format, lastDay, "warm-up (today)", probe: false);
        }

        for (var run = 1; run <= 2; run++)
        {
            foreach (var format in new[] { "csv", "xlsx" })
            {
                await ExportAsync(format, whole, $"run {run}", probe: false);
            }
        }

        foreach (var format in new[] { "csv", "xlsx" })
        {
            await ExportAsync(format, whole, "probe", probe: true);
        }
    }

    private async Task ExportAsync(string format, ReportQuery q, string label, bool probe)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var workingBefore = process.WorkingSet64;
        var privateBefore = process.PrivateMemorySize64;
        long workingPeak = workingBefore, privatePeak = privateBefore;
        var managedBefore = GC.GetTotalMemory(false);
        long managedPeak = managedBefore;
        void Sample()
        {
            process.Refresh();
            workingPeak = Math.Max(workingPeak, process.WorkingSet64);
            privatePeak = Math.Max(privatePeak, process.PrivateMemorySize64);
            managedPeak = Math.Max(managedPeak, GC.GetTotalMemory(false));
        }

        using var timer = new Timer(_ => Sample(), null, 0, 20);
        var watch = Stopwatch.StartNew();
        var output = new CountingStream(watch);
        double? firstRows = null;
        long rows = 0, liveBefore = GC.GetTotalMemory(true), liveMax = 0, nextProbe = 10_000;
        var liveSeries = new List<string>();
        await using (var scope = provider.CreateAsyncScope())
        {
            var exporter = scope.ServiceProvider.GetRequiredService<ReportExporter>();
            await exporter.WriteAsync(output, _scope, ReportExporter.Conversations, format, q, false, ',', n =>
            {
                firstRows ??= n > 0 ? watch.Elapsed.TotalMilliseconds : null;
                rows = n;
                if (probe && n >= nextProbe)
                {
                    var live = GC.GetTotalMemory(true) - liveBefore;
                    liveSeries.Add((live / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture));
                    liveMax = Math.Max(liveMax, live);
                    nextProbe += 10_000;
                }
            }, default);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await timer.DisposeAsync();
        Sample();
        const double Mb = 1024 * 1024;
        if (probe)
        {
            Console.WriteLine($"export conversations {format}, {label}: {rows:N0} rows; live managed heap after full collections every 10,000 rows: " +
                              $"at most {liveMax / Mb:F1} MB above the start (MB at each probe: {string.Join(", ", liveSeries)})");
            return;
        }

        var first = firstRows ?? seconds * 1000;
        var steady = rows > 5000 ? (rows - 5000) / Math.Max(seconds - (first / 1000), 1e-3) : double.NaN;
        Console.WriteLine($"export conversations {format}, {label}: {rows:N0} rows, {output.Length / Mb:F1} MB in {seconds:F2} s = {rows / seconds:N0} rows/s " +
                          $"(first bytes out after {output.FirstWriteMs:F0} ms, first 5,000 rows after {first:F0} ms, then {steady:N0} rows/s); memory growth (peak − before): working set " +
                          $"{(workingPeak - workingBefore) / Mb:F0} MB, private {(privatePeak - privateBefore) / Mb:F0} MB, managed heap {(managedPeak - managedBefore) / Mb:F0} MB");
    }
}

/// <summary>An output that keeps nothing: counts the bytes written (sync and async).</summary>
internal sealed class CountingStream(Stopwatch watch) : Stream
{
    private long _length;

    /// <summary>When the first bytes reached the output (what a client waits for), ms since the export started.</summary>
    public double? FirstWriteMs { get; private set; }

    private void Count(int bytes)
    {
        FirstWriteMs ??= watch.Elapsed.TotalMilliseconds;
        _length += bytes;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Count(count);

    public override void Write(ReadOnlySpan<byte> buffer) => Count(buffer.Length);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Count(count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Count(buffer.Length);
        return ValueTask.CompletedTask;
    }
}
