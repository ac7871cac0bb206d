using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Omnichat.Core.Kernel;
using Omnichat.Core.Reporting;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Reporting;

/// <summary>Reports through the real HTTP pipeline against hand-computed figures (see <see cref="ReportWorld"/>).</summary>
public abstract class ReportsApiTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The reporting job's passes are run by the tests themselves (its first pass at start-up finds nothing to do).</summary>
    protected override void Configure(OmnichatApp app) => app.WithSetting("Omnichat:Reports:RollupInterval", "01:00:00");

    private static JsonElement Row(JsonElement report, string key) =>
        report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == key);

    private static double? Value(JsonElement row, string metric) =>
        row.GetProperty("values").GetProperty(metric) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;

    [Fact]
    public async Task Reports_show_the_hand_computed_figures_by_group_operator_and_interval_with_drill_down()
    {
        var w = await ReportWorld.CreateAsync(App);

        var groups = await w.ReportAsync("groups");
        var a = Row(groups, w.A.ToString());
        Assert.Equal("Группа A", a.GetProperty("label").GetString());
        Assert.Equal(6, Value(a, "offered"));
        Assert.Equal(3, Value(a, "answered"));
        Assert.Equal(2, Value(a, "abandoned"));
        Assert.Equal(1, Value(a, "abandonedShort"));
        Assert.Equal(0.2, Value(a, "serviceLevel")); // 1 ÷ (6 − 1 abandoned within 20 s)
        Assert.Equal(25, Value(a, "asa"));
        Assert.Equal(40, Value(a, "waitMax"));
        Assert.Equal(0.2, Value(a, "abandonRate"));
        Assert.Equal(1, Value(a, "missedOffers"));
        var b = Row(groups, w.B.ToString());
        Assert.Equal(1, Value(b, "offered"));
        Assert.Equal(1.0, Value(b, "serviceLevel")); // 20 s within B's 30 s

        var summary = await w.ReportAsync("summary");
        var total = summary.GetProperty("total");
        Assert.Equal(335, Value(total, "aht"));
        Assert.Equal(39, Value(total, "firstResponse"));
        Assert.Equal(0.5, Value(total, "csat"));
        Assert.Equal(193.3, Value(total, "resolution"));

        var operators = await w.ReportAsync("operators");
        Assert.Equal(2, Value(Row(operators, w.Anna.ToString()), "handled"));
        Assert.Equal(1, Value(Row(operators, w.Boris.ToString()), "transfers"));
        var missed = await w.ReportAsync("missed");
        Assert.Equal(1, Value(Row(missed, w.Boris.ToString()), "missedOffers"));
        var csat = await w.ReportAsync("csat");
        Assert.Equal(1, Value(Row(csat, "5"), "rated"));
        Assert.Equal(1, Value(Row(csat, "2"), "rated"));
        Assert.Equal(0, Value(Row(csat, "1"), "rated"));

        // By interval: four 15-minute buckets, everything in the first (each part counts where it started).
        var intervals = await w.ReportAsync("intervals", "bucket=15min");
        Assert.Equal(4, intervals.GetProperty("rows").GetArrayLength());
        Assert.Equal(7, Value(intervals.GetProperty("rows")[0], "offered"));
        Assert.Equal(0, Value(intervals.GetProperty("rows")[1], "offered"));
        var hours = await w.ReportAsync("intervals", "bucket=hour&lang=en");
        Assert.Equal("Offered", hours.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "offered").GetProperty("title").GetString());

        // Drill-down from group A's "abandoned" cell: exactly the two conversations behind it.
        var drill = await w.ReportAsync("conversations", $"metric=abandoned&skillGroupId={w.A}");
        Assert.Equal(new[] { w.Conversations["c2"], w.Conversations["c3"] }.Order(),
            drill.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).Order());
        var c3 = drill.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == w.Conversations["c3"]);
        Assert.Equal(40, c3.GetProperty("waitSeconds").GetDouble());
        Assert.True(c3.GetProperty("abandoned").GetBoolean());

        // The analysts' list: filters, text search, sort; names are data, never markup to run.
        var list = await w.ReportAsync("conversations", "sort=-wait&pageSize=2");
        Assert.Equal(6, list.GetProperty("total").GetInt32());
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
        foreach (var (sort, descending) in new[] { ("wait", false), ("-wait", true), ("handle", false), ("-handle", true) })
        {
            var field = sort.TrimStart('-') == "wait" ? "waitSeconds" : "handleSeconds";
            var values = (await w.ReportAsync("conversations", "sort=" + sort)).GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty(field)).Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).ToList();
            Assert.True(values.Count >= 2, sort);
            Assert.Equal(descending ? values.OrderDescending() : values.Order(), values);
        }

        var found = await w.ReportAsync("conversations", "search=оплата");
        Assert.Equal(w.Conversations["c1"], Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal("Иван <script>alert(1)</script>", found.GetProperty("items")[0].GetProperty("client").GetString());
        var rated = await w.ReportAsync("conversations", "rating=2");
        Assert.Equal(w.Conversations["c4"], Assert.Single(rated.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());

        // A supervisor scoped to group A sees group A's figures only; B's id as a filter is refused like an unknown one.
        var scoped = await w.ReportAsync("summary", "", w.Supervisor);
        Assert.Equal(6, Value(scoped.GetProperty("total"), "offered"));
        var foreign = await w.Supervisor.GetAsync($"/api/v1/reports/groups?{ReportWorld.Period}&skillGroupId={w.B}", Ct);
        var message = await AssertInvalidFieldAsync(foreign, "skillGroupId");
        var unknown = await w.Supervisor.GetAsync($"/api/v1/reports/groups?{ReportWorld.Period}&skillGroupId={Guid.NewGuid()}", Ct);
        Assert.Equal(message.Split('\'')[0], (await AssertInvalidFieldAsync(unknown, "skillGroupId")).Split('\'')[0]);
        var scopedList = await w.ReportAsync("conversations", "", w.Supervisor);
        Assert.Equal(5, scopedList.GetProperty("total").GetInt32()); // C4 ended in group B
    }

    [Fact]
    public async Task Exports_stream_csv_with_bom_semicolons_and_neutralised_formulas_and_xlsx_reads_back()
    {
        var w = await ReportWorld.CreateAsync(App);

        var csv = await w.S.Admin.GetAsync($"/api/v1/reports/conversations?{ReportWorld.Period}&format=csv&separator=;&sort=created", Ct);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains("omnichat-conversations-20261102-20261102.csv", csv.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var bytes = await csv.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("Id;Создано;Канал;Скилл-группа;Оператор;Клиент", lines[0], StringComparison.Ordinal);
        // The hostile topic of C2 is text that starts with an apostrophe, never a formula.
        var c2 = lines.Single(l => l.StartsWith(w.Conversations["c2"].ToString(), StringComparison.Ordinal));
        Assert.Contains("'=HYPERLINK(", c2, StringComparison.Ordinal);
        Assert.DoesNotContain(";=HYPERLINK", c2, StringComparison.Ordinal);
        // Semicolon CSV for Russian Excel uses decimal commas (C1's first response was 39 s, its handling 330 s).
        var c1 = lines.Single(l => l.StartsWith(w.Conversations["c1"].ToString(), StringComparison.Ordinal));
        Assert.Contains(";330;", c1, StringComparison.Ordinal);

        var xlsx = await w.S.Admin.GetAsync($"/api/v1/reports/groups?{ReportWorld.Period}&format=xlsx&lang=en", Ct);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        await using (var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Ct)))
        {
            var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
            Assert.Equal(3, rows.Count); // A, B, total
            var a = rows.Single(r => (string)r["Row"] == "Группа A");
            Assert.Equal(6d, Convert.ToDouble(a["Offered"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(0.2d, Convert.ToDouble(a["Service level"], System.Globalization.CultureInfo.InvariantCulture));
        }

        // A transcript export has one row per message, the hostile message text neutralised.
        var transcripts = await w.S.Admin.GetStringAsync($"/api/v1/reports/transcripts?{ReportWorld.Period}&format=csv", Ct);
        Assert.Contains(",'=HYPERLINK(", transcripts.Replace("\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(1 + 5, transcripts.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        // A long export in the background: queued, produced with its row count, downloadable by its owner only, audited.
        var started = await w.S.Admin.PostAsJsonAsync("/api/v1/exports", new
        {
            report = "conversations", format = "xlsx", query = new Dictionary<string, string[]> { ["from"] = ["2026-11-02"], ["to"] = ["2026-11-02"] },
        }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await Scenario.Json(started)).GetProperty("id").GetGuid();
        var done = await Scenario.EventuallyAsync(async () => await Scenario.Json(await w.S.Admin.GetAsync($"/api/v1/exports/{id}", Ct)),
            e => e.GetProperty("status").GetString() is "done" or "failed", "the export finished");
        Assert.Equal("done", done.GetProperty("status").GetString());
        Assert.Equal(6, done.GetProperty("rows").GetInt64());
        Assert.Equal(1.0, done.GetProperty("progress").GetDouble());
        var file = await w.S.Admin.GetAsync(done.GetProperty("downloadUrl").GetString(), Ct);
        await using (var stream = new MemoryStream(await file.Content.ReadAsByteArrayAsync(Ct)))
        {
            Assert.Equal(6, stream.Query(useHeaderRow: true).Count());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await w.Supervisor.GetAsync($"/api/v1/exports/{id}/file", Ct)).StatusCode);
        await App.InScopeAsync(async db => Assert.True(await db.AuditRecords.CountAsync(r => r.Action == "report.export", Ct) >= 3));
    }

    [Fact]
    public async Task Export_reads_stream_instead_of_being_buffered_by_the_retrying_strategy()
    {
        // EF buffers a whole result whenever the running strategy may retry (PostgreSQL's does); an export's read must not.
        await App.InScopeAsync(async db =>
        {
            var retrying = Provider == DatabaseProvider.Postgres;
            Assert.Equal(retrying, db.Database.CreateExecutionStrategy().RetriesOnFailure);
            bool? insideRetries = null;
            var rows = 0;
            await StreamingRead.RunAsync(db, async ct =>
            {
                insideRetries = Microsoft.EntityFrameworkCore.Storage.ExecutionStrategy.Current?.RetriesOnFailure ?? false;
                await foreach (var _ in db.Operators.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
                {
                    rows++;
                }
            }, Ct);
            Assert.False(insideRetries);
            Assert.True(rows > 0);
            Assert.Equal(retrying, db.Database.CreateExecutionStrategy().RetriesOnFailure); // retrying again outside
        });
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_error_naming_the_field_and_never_a_500()
    {
        var w = await ReportWorld.CreateAsync(App);
        async Task Refused(string query, string field) =>
            await AssertInvalidFieldAsync(await w.S.Admin.GetAsync("/api/v1/reports/groups?" + query, Ct), field);

        await Refused("from=2026-11-03&to=2026-11-01", "from");
        await Refused("from=2020-01-01&to=2026-11-01", "to");
        await Refused("from=1900-01-01T00:00:00Z&to=1900-01-02T00:00:00Z", "from");
        await Refused("from=yesterday", "from");
        await Refused("preset=forever", "preset");
        await Refused("preset=today&from=2026-11-01", "preset");
        await Refused("skillGroupId=not-a-guid", "skillGroupId");
        await Refused($"skillGroupId={Guid.NewGuid()}", "skillGroupId");
        await Refused($"operatorId={Guid.NewGuid()}", "operatorId");
        await Refused("rating=6", "rating");
        await Refused("status=deleted", "status");
        await Refused("sort=created;DROP TABLE conversations", "sort");
        await Refused("metric=1 OR 1=1", "metric");
        await Refused("from=2026-01-01&to=2026-11-01&bucket=century", "bucket");
        await AssertInvalidFieldAsync(await w.S.Admin.GetAsync("/api/v1/reports/intervals?from=2025-11-01&to=2026-11-01&bucket=15min", Ct), "bucket");
        await AssertInvalidFieldAsync(await w.S.Admin.GetAsync($"/api/v1/reports/groups?{ReportWorld.Period}&format=pdf", Ct), "format");
        await AssertInvalidFieldAsync(await w.S.Admin.GetAsync($"/api/v1/reports/groups?{ReportWorld.Period}&format=csv&separator=|", Ct), "separator");
        await AssertProblemAsync(await w.S.Admin.GetAsync($"/api/v1/reports/nothing?{ReportWorld.Period}", Ct), HttpStatusCode.NotFound);
        await AssertInvalidFieldAsync(await w.S.Admin.PostAsJsonAsync("/api/v1/exports", new { report = "../../etc/passwd", format = "csv" }, Ct), "report");
        await AssertInvalidFieldAsync(await w.S.Admin.PostAsJsonAsync("/api/v1/exports", new { report = "groups", format = "exe" }, Ct), "format");

        // A text search with SQL in it is only text; an empty period answers zeros, not an error.
        var sql = await w.ReportAsync("conversations", "search=" + Uri.EscapeDataString("' OR '1'='1"));
        Assert.Equal(0, sql.GetProperty("total").GetInt32());
        var empty = await w.S.Admin.GetAsync("/api/v1/reports/summary?from=2026-10-01&to=2026-10-01", Ct);
        Assert.Equal(0, Value((await Scenario.Json(empty)).GetProperty("total"), "offered"));

        // Analysts may read but an operator may not; exporting needs reports.export.
        var op = await App.SignedInClientAsync("anna", "Operator-Passw0rd");
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync($"/api/v1/reports/summary?{ReportWorld.Period}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync($"/api/v1/reports/summary?{ReportWorld.Period}&format=csv", Ct)).StatusCode);
    }

    [Fact]
    public async Task Operator_activity_rebuild_and_a_late_answer_that_corrects_its_own_interval()
    {
        var w = await ReportWorld.CreateAsync(App);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OperatorTimeRollup>()
                .ComputeAsync(Intervals.StartOf(ReportWorld.T0), TimeProvider.System.GetUtcNow(), Ct);
        }

        // Anna 10:00–10:15: ready 6 min, lunch 4 min, ready 5 min; conversations C1 10:00:10–10:05:10, C4 10:04:20–10:10:00, C6 from 10:05:40.
        var activity = await w.ReportAsync("activity");
        var anna = Row(activity, w.Anna.ToString());
        Assert.Equal(660, Value(anna, "ready"));
        Assert.Equal(240, Value(anna, "notReady:lunch"));
        Assert.Equal(890, Value(anna, "engaged")); // with at least one conversation from 10:00:10
        Assert.Equal(0.9889, Value(anna, "occupancy")); // 890 ÷ 900 (ready or engaged)
        Assert.Equal(1.35, Value(anna, "concurrency")); // (300 + 340 + 560) ÷ 890

        // C5 (queued at 10:14) is answered now: the 10:00 interval gets the answer, no later interval does.
        await App.InScopeAsync(async db =>
        {
            var c5 = await db.Conversations.SingleAsync(c => c.Id == ConversationId.From(w.Conversations["c5"]), Ct);
            c5.Assign(OperatorId.From(w.Boris), Core.Conversations.Actor.System, ReportWorld.At(17));
            await db.SaveChangesAsync(Ct);
        });
        await Scenario.EventuallyAsync(async () => await w.ReportAsync("groups"),
            g => Value(Row(g, w.A.ToString()), "answered") == 4, "the late answer counted");
        var intervals = await w.ReportAsync("intervals", "bucket=15min");
        Assert.Equal(5, Value(intervals.GetProperty("rows")[0], "answered"));
        Assert.Equal(0, Value(intervals.GetProperty("rows")[1], "answered"));

        // Wipe the roll-up and rebuild the period from the events: the same figures come back.
        var before = (await w.ReportAsync("groups")).GetRawText();
        await App.InScopeAsync(async db => await db.ReportIntervals.ExecuteDeleteAsync(Ct));
        Assert.Equal(0, Value((await w.ReportAsync("summary")).GetProperty("total"), "offered"));
        var rebuilt = await w.S.Admin.PostAsJsonAsync("/api/v1/reports/rebuild", new { from = "2026-11-02", to = "2026-11-02" }, Ct);
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.Equal(6, (await Scenario.Json(rebuilt)).GetProperty("conversations").GetInt64());
        Assert.Equal(before, (await w.ReportAsync("groups")).GetRawText());
        await AssertInvalidFieldAsync(await w.S.Admin.PostAsJsonAsync("/api/v1/reports/rebuild", new { from = "2026-11-03", to = "2026-11-01" }, Ct), "from");
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Supervisor.PostAsJsonAsync("/api/v1/reports/rebuild", new { from = "2026-11-02" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Hourly_roll_ups_answer_whole_hour_queries_with_the_same_figures_as_the_15_minute_rows_and_changed_hours_stay_exact()
    {
        // The job's first pass (at start-up) is over before the data arrives; its next pass is an hour away.
        await Scenario.EventuallyAsync(() => App.InScopeAsync(db => db.ReportJobStates.AnyAsync(s => s.Name == ReportingJob.RollupState, Ct)),
            done => done, "the reporting job's first pass");
        var w = await ReportWorld.CreateAsync(App);
        var hour = ReportHourRollup.HourOf(Intervals.StartOf(ReportWorld.T0));
        string[] reports =
        [
            "summary", "groups", "channels", "operators", "branches", "regions", "topics", "missed", "csat", "activity", "intervals?bucket=hour",
            "intervals?bucket=day", "intervals?bucket=15min", "topics?topic=billing", "groups?channelId=" + w.Channel,
        ];
        async Task<List<string>> AllAsync() => [.. await Task.WhenAll(reports.Select(async r =>
        {
            var (name, query) = r.Contains('?', StringComparison.Ordinal) ? (r.Split('?')[0], r.Split('?')[1]) : (r, "");
            return (await w.ReportAsync(name, query)).GetRawText();
        }))];

        // The listeners marked the hour: until the job runs, reports read it from the 15-minute rows.
        var marked = await App.InScopeAsync(db => db.ReportDirtyHours.AsNoTracking().SingleAsync(h => h.HourStart == hour, Ct));
        var fromIntervals = await AllAsync();
        await App.InScopeAsync(async db => Assert.Equal(0, await db.ReportHourGroups.CountAsync(Ct)));

        // A stale stamp (a change landed after the job read the mark) leaves the mark; the current one removes it.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var rollup = scope.ServiceProvider.GetRequiredService<ReportHourRollup>();
            await rollup.ComputeAsync(hour, marked.Stamp - 1, Ct);
            Assert.True(await scope.ServiceProvider.GetRequiredService<OmnichatDbContext>().ReportDirtyHours.AnyAsync(h => h.HourStart == hour, Ct));
            Assert.Equal(1, await rollup.ComputeMarkedAsync(200, Ct));
            Assert.False(await scope.ServiceProvider.GetRequiredService<OmnichatDbContext>().ReportDirtyHours.AnyAsync(Ct));
        }

        // Now the same figures come from the hourly rows: which table answered depends on the filters and the cut.
        Assert.Equal(fromIntervals, await AllAsync());
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
            Assert.Equal(7, await db.ReportHourGroups.Where(g => g.IntervalStart == hour).SumAsync(g => g.Offered, Ct));
            var admin = new Core.Access.StaffScope(OperatorId.New(), new HashSet<string>(), [], Core.Access.DataBoundary.Everything);
            var zone = TimeZoneInfo.Utc;
            ReportQuery Query(string text) => ReportQuery.Parse(n => [.. System.Web.HttpUtility.ParseQueryString(text).GetValues(n) ?? []], zone, ReportWorld.T0);
            async Task<string?> SourceAsync(string query, System.Linq.Expressions.Expression<Func<ReportInterval, object?>> key)
            {
                var source = new ReportSource(db, admin, Query(query));
                await source.SumAsync(key, Ct);
                return source.LastSource;
            }

            Assert.Equal(ReportSource.HourGroups, await SourceAsync(ReportWorld.Period, r => r.SkillGroupId));
            Assert.Equal(ReportSource.HourGroups, await SourceAsync(ReportWorld.Period + $"&channelId={w.Channel}", r => r.ChannelId));
            Assert.Equal(ReportSource.HourOperators, await SourceAsync(ReportWorld.Period, r => r.OperatorId));
            Assert.Equal(ReportSource.Fine, await SourceAsync(ReportWorld.Period + $"&skillGroupId={w.A}", r => r.OperatorId));
            Assert.Equal(ReportSource.Fine, await SourceAsync(ReportWorld.Period + "&topic=billing", r => r.SkillGroupId));
            Assert.Equal(ReportSource.Fine, await SourceAsync("from=2026-11-02T10:15:00Z&to=2026-11-02T11:00:00Z", r => r.SkillGroupId));

            // Partial hours at either end come from the 15-minute rows, the whole hours between from the hourly ones.
            foreach (var period in new[] { "from=2026-11-02T09:00:00Z&to=2026-11-02T10:15:00Z", "from=2026-11-02T09:45:00Z&to=2026-11-02T11:30:00Z" })
            {
                var mixed = new ReportSource(db, admin, Query(period));
                var sums = await mixed.SumAsync(r => r.SkillGroupId, Ct);
                Assert.Equal(ReportSource.HourGroups, mixed.LastSource);
                var fine = await new ReportSource(db, admin, Query(period)) { FineOnly = true }.SumAsync(r => r.SkillGroupId, Ct);
                Assert.Equal(7, sums.Sum(s => s.Totals.Offered));
                Assert.Equal(fine.OrderBy(s => s.Key?.ToString()).Select(s => (s.Key, s.Totals.Offered, s.Totals.Answered, s.Totals.WaitMaxMs, s.Totals.HandleMs)),
                    sums.OrderBy(s => s.Key?.ToString()).Select(s => (s.Key, s.Totals.Offered, s.Totals.Answered, s.Totals.WaitMaxMs, s.Totals.HandleMs)));
            }

            Assert.Equal(ReportSource.HourTopics, await SourceAsync(ReportWorld.Period + "&topic=billing", r => r.Topic));
            Assert.Equal(ReportSource.HourBranches, await SourceAsync(ReportWorld.Period, r => r.RegionId));
            Assert.Equal(ReportSource.HourBranches, await SourceAsync(ReportWorld.Period, r => 1));
            Assert.Equal(ReportSource.Fine, await SourceAsync(ReportWorld.Period + "&topic=billing", r => r.BranchId));
        }

        // A scoped supervisor's boundary reads dimensions the hourly rows lack: the 15-minute rows answer, still inside it.
        Assert.Equal(6, Value((await w.ReportAsync("summary", "", w.Supervisor)).GetProperty("total"), "offered"));

        // A late answer for C5 marks the hour again and shows at once; after the job, the hourly rows agree.
        await App.InScopeAsync(async db =>
        {
            var c5 = await db.Conversations.SingleAsync(c => c.Id == ConversationId.From(w.Conversations["c5"]), Ct);
            c5.Assign(OperatorId.From(w.Boris), Core.Conversations.Actor.System, ReportWorld.At(17));
            await db.SaveChangesAsync(Ct);
        });
        var after = await Scenario.EventuallyAsync(async () => await w.ReportAsync("groups"),
            g => Value(Row(g, w.A.ToString()), "answered") == 4, "the late answer counted before the hourly rows are computed again");
        await App.InScopeAsync(async db => Assert.True(await db.ReportDirtyHours.AnyAsync(h => h.HourStart == hour, Ct)));
        await App.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ReportingJob>().Single().RunOnceAsync(Ct);

        await App.InScopeAsync(async db => Assert.False(await db.ReportDirtyHours.AnyAsync(Ct)));
        Assert.Equal(after.GetRawText(), (await w.ReportAsync("groups")).GetRawText());
    }

    [Fact]
    public async Task Scheduled_reports_are_validated_and_produce_an_export_mailed_as_an_attachment()
    {
        var w = await ReportWorld.CreateAsync(App);
        await AssertInvalidFieldAsync(await w.S.Admin.PostAsJsonAsync("/api/v1/report-schedules", new { name = "x", report = "groups", format = "csv", period = "yesterday", frequency = "hourly", hour = 7 }, Ct), "frequency");
        await AssertInvalidFieldAsync(await w.S.Admin.PostAsJsonAsync("/api/v1/report-schedules", new { name = "x", report = "groups", format = "csv", period = "yesterday", frequency = "daily", hour = 24 }, Ct), "hour");
        await AssertInvalidFieldAsync(await w.S.Admin.PostAsJsonAsync("/api/v1/report-schedules", new { name = "x", report = "groups", format = "csv", period = "yesterday", frequency = "daily", hour = 7, email = "a@b.c\r\nBcc: x@y.z" }, Ct), "email");
        await AssertInvalidFieldAsync(await w.S.Admin.PostAsJsonAsync("/api/v1/report-schedules", new { name = "x", report = "groups", format = "csv", period = "yesterday", frequency = "daily", hour = 7, filters = new Dictionary<string, string[]> { ["from"] = ["2020-01-01"] } }, Ct), "filters");

        var created = await w.S.Admin.PostAsJsonAsync("/api/v1/report-schedules", new
        {
            name = "Группы за день", report = "groups", format = "xlsx", period = "yesterday", frequency = "daily", hour = 7, email = "boss@example.com",
            filters = new Dictionary<string, string[]> { ["skillGroupId"] = [w.A.ToString()] },
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedule = await Scenario.Json(created);
        var id = schedule.GetProperty("id").GetGuid();
        Assert.True(schedule.GetProperty("nextRunAt").GetDateTimeOffset() > TimeProvider.System.GetUtcNow());
        Assert.Equal(HttpStatusCode.NotFound, (await w.Supervisor.DeleteAsync($"/api/v1/report-schedules/{id}", Ct)).StatusCode);

        // Due now: the worker's pass queues the export over the day before the run; the export worker produces and mails it.
        await App.InScopeAsync(async db => await db.ReportSchedules.Where(s => s.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.NextRunAt, new DateTimeOffset(2026, 11, 3, 7, 0, 0, TimeSpan.Zero)), Ct));
        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReportSchedules>().StartDueAsync(Ct);
        }

        var exports = await Scenario.EventuallyAsync(async () => await Scenario.Json(await w.S.Admin.GetAsync("/api/v1/exports", Ct)),
            e => e.GetArrayLength() == 1 && e[0].GetProperty("status").GetString() == "done", "the scheduled export");
        Assert.StartsWith("omnichat-groups-20261102-20261102", exports[0].GetProperty("fileName").GetString(), StringComparison.Ordinal);
        await App.InScopeAsync(async db =>
        {
            var mail = await db.OutgoingMails.SingleAsync(m => m.Kind == "report", Ct);
            Assert.Equal("boss@example.com", mail.ToAddress);
        });
        var listed = await Scenario.Json(await w.S.Admin.GetAsync("/api/v1/report-schedules", Ct));
        Assert.True(listed[0].GetProperty("nextRunAt").GetDateTimeOffset() > TimeProvider.System.GetUtcNow());
        Assert.Equal(HttpStatusCode.NoContent, (await w.S.Admin.DeleteAsync($"/api/v1/report-schedules/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_live_dashboard_shows_queues_operators_and_today_inside_the_scope()
    {
        var s = await Scenario.CreateAsync(App);
        var (channel, key) = await s.ChannelAsync("Live");
        var group = await s.GroupAsync("Live team", channel);
        var other = await s.GroupAsync("Other team", channel);
        var (anna, _) = await s.OperatorAsync("liveop", group, capacity: 2);
        var (client, _) = await s.ClientAsync(key);
        (await client.PostAsJsonAsync("/api/client/v1/messages", new { clientMessageId = "x1", text = "hello" }, Ct)).EnsureSuccessStatusCode();

        var live = await Scenario.EventuallyAsync(async () => await Scenario.Json(await s.Admin.GetAsync("/api/v1/reports/live", Ct)),
            d => d.GetProperty("total").GetProperty("active").GetInt32() == 1 && d.GetProperty("total").GetProperty("today").GetProperty("answered").GetInt64() == 1,
            "the conversation answered today");
        var op = live.GetProperty("operators").EnumerateArray().Single(o => o.GetProperty("id").GetGuid() == anna);
        Assert.Equal("ready", op.GetProperty("status").GetString());
        Assert.Equal(1, op.GetProperty("active").GetInt32());
        Assert.Equal(2, op.GetProperty("capacity").GetInt32());
        var row = live.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("id").GetGuid() == group);
        Assert.Equal(1, row.GetProperty("operatorsReady").GetInt32());
        Assert.Equal(1.0, row.GetProperty("today").GetProperty("serviceLevel").GetDouble());

        // A supervisor of the other team sees neither the conversation nor the operator.
        (await s.Admin.PostAsJsonAsync("/api/v1/operators", new
        {
            login = "othersup", password = "Supervisor-Passw0rd", displayName = "Other", roles = new[] { "supervisor" },
            scope = new { all = false, skillGroupIds = new[] { other } },
        }, Ct)).EnsureSuccessStatusCode();
        var otherSup = await App.SignedInClientAsync("othersup", "Supervisor-Passw0rd");
        var theirs = await Scenario.Json(await otherSup.GetAsync("/api/v1/reports/live", Ct));
        Assert.Equal(0, theirs.GetProperty("total").GetProperty("active").GetInt32());
        Assert.Equal(0, theirs.GetProperty("total").GetProperty("today").GetProperty("offered").GetInt64());
        Assert.DoesNotContain(theirs.GetProperty("operators").EnumerateArray(), o => o.GetProperty("id").GetGuid() == anna);
        await AssertInvalidFieldAsync(await otherSup.GetAsync($"/api/v1/reports/live?skillGroupId={group}", Ct), "skillGroupId");
    }
}

public sealed class ReportsApiTestsOnSqlite() : ReportsApiTests(DatabaseProvider.Sqlite);

public sealed class ReportsApiTestsOnPostgres() : ReportsApiTests(DatabaseProvider.Postgres);
