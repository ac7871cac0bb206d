using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omnichat.Core.Channels;
using Omnichat.Core.Clients;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;
using Omnichat.Core.Organisation;
using Omnichat.Core.Reporting;
using Omnichat.Core.Routing;

namespace Omnichat.Bench.Reports;

/// <summary>What the generator did, counted by itself (not by the metrics code): the report summary must say the same.</summary>
internal sealed class Expected
{
    public long Conversations { get; set; }

    public long Messages { get; set; }

    public long Events { get; set; }

    public long Offered { get; set; }

    public long Answered { get; set; }

    public long Abandoned { get; set; }

    public long Handled { get; set; }

    public long Closed { get; set; }

    public long Rated { get; set; }

    public long MissedOffers { get; set; }

    public long Transfers { get; set; }

    public long OpenAtEnd { get; set; }

    public long QueuedAtEnd { get; set; }

    /// <summary>Start of the generated period (UTC).</summary>
    public DateTimeOffset From { get; set; }

    /// <summary>End of the generated period: "now" when it was generated.</summary>
    public DateTimeOffset To { get; set; }

    public int Days { get; set; }
}

/// <summary>Metadata the later phases read (the period, the generator's own counts), kept in the bench database.</summary>
internal static class Meta
{
    private const string Table = "bench_reports_meta";

    public static async Task SaveAsync(NpgsqlConnection connection, Expected expected)
    {
        await using (var create = new NpgsqlCommand($"CREATE TABLE IF NOT EXISTS {Table} (key text PRIMARY KEY, value text NOT NULL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var save = new NpgsqlCommand(
            $"INSERT INTO {Table} (key, value) VALUES ('expected', @v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", connection);
        save.Parameters.AddWithValue("v", JsonSerializer.Serialize(expected));
        await save.ExecuteNonQueryAsync();
    }

    public static async Task<Expected?> LoadAsync(NpgsqlConnection connection)
    {
        await using var exists = new NpgsqlCommand($"SELECT to_regclass('{Table}') IS NOT NULL", connection);
        if (await exists.ExecuteScalarAsync() is not true)
        {
            return null;
        }

        await using var load = new NpgsqlCommand($"SELECT value FROM {Table} WHERE key = 'expected'", connection);
        return await load.ExecuteScalarAsync() is string json ? JsonSerializer.Deserialize<Expected>(json) : null;
    }
}

/// <summary>
/// Secondary indexes of the big tables are dropped during the bulk load and created again afterwards (their definitions
/// are kept in a bench table until then, so an interrupted run restores them at the next start).
/// </summary>
internal static class BulkIndexes
{
    private const string Table = "bench_reports_dropped_indexes";

    public static async Task DropAsync(NpgsqlConnection connection, IReadOnlyList<string> tables)
    {
        await Exec(connection, $"CREATE TABLE IF NOT EXISTS {Table} (name text PRIMARY KEY, definition text NOT NULL)");
        await using var find = new NpgsqlCommand("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = 'public'::regnamespace
            JOIN pg_index x ON x.indexrelid = c.oid
            WHERE i.schemaname = 'public' AND i.tablename = ANY(@t) AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
            """, connection);
        find.Parameters.AddWithValue("t", tables.ToArray());
        var list = new List<(string Name, string Definition)>();
        await using (var reader = await find.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                list.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, definition) in list)
        {
            await using var save = new NpgsqlCommand($"INSERT INTO {Table} (name, definition) VALUES (@n, @d) ON CONFLICT DO NOTHING", connection);
            save.Parameters.AddWithValue("n", name);
            save.Parameters.AddWithValue("d", definition);
            await save.ExecuteNonQueryAsync();
            await Exec(connection, $"DROP INDEX \"{name}\"");
        }

        Console.WriteLine($"  dropped {list.Count} secondary indexes of {string.Join(", ", tables)} for the load");
    }

    /// <summary>Creates the dropped indexes again (no-op when none are pending).</summary>
    public static async Task RestoreAsync(NpgsqlConnection connection)
    {
        await using var exists = new NpgsqlCommand($"SELECT to_regclass('{Table}') IS NOT NULL", connection);
        if (await exists.ExecuteScalarAsync() is not true)
        {
            return;
        }

        var list = new List<(string Name, string Definition)>();
        await using (var find = new NpgsqlCommand($"SELECT name, definition FROM {Table} ORDER BY name", connection))
        await using (var reader = await find.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                list.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        await Exec(connection, "SET maintenance_work_mem = '512MB'");
        foreach (var (name, definition) in list)
        {
            var watch = Stopwatch.StartNew();
            await Exec(connection, definition);
            await using var done = new NpgsqlCommand($"DELETE FROM {Table} WHERE name = @n", connection);
            done.Parameters.AddWithValue("n", name);
            await done.ExecuteNonQueryAsync();
            Console.WriteLine($"  index {name}: {watch.Elapsed.TotalSeconds:F1} s");
        }
    }

    public static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// Generates the data set: dimensions through the domain factories and SaveChanges, then clients, conversations (driven
/// through the real <see cref="Conversation"/> aggregate in memory), their messages and events, and their report rows
/// (<see cref="ConversationMetrics.Compute"/>, as the product computes them) written with binary COPY in batches.
/// </summary>
internal sealed class Generator(IServiceProvider provider, Options o)
{
    private const int Batch = 5000;

    private static readonly string[] Topics =
    [
        "Доставка", "Оплата", "Возврат", "Статус заказа", "Изменение заказа", "Отмена заказа", "Промокод", "Бонусы", "Личный кабинет", "Пароль",
        "Гарантия", "Ремонт", "Качество товара", "Наличие", "Самовывоз", "Курьер", "Счёт и документы", "Рассрочка", "Жалоба", "Другое",
    ];

    private static readonly string[] Words =
    [
        "здравствуйте", "заказ", "доставка", "оплата", "карта", "возврат", "номер", "курьер", "адрес", "время", "спасибо", "помогите",
        "не", "пришёл", "где", "мой", "когда", "будет", "можно", "ли", "изменить", "отменить", "скидка", "промокод", "магазин", "сайт",
        "подскажите", "пожалуйста", "товар", "сегодня", "завтра", "вчера", "деньги", "чек", "уточните", "проверю", "минуту",
    ];

    private static readonly string[] FirstNames = ["Анна", "Иван", "Мария", "Пётр", "Ольга", "Сергей", "Елена", "Дмитрий", "Наталья", "Алексей"];

    private static readonly string[] LastNames = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов"];

    private readonly Random _random = new(o.Seed);
    private readonly Expected _expected = new();
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone);
    private DateTimeOffset _now;
    private DateTimeOffset _from;
    private List<ChannelId> _channels = [];
    private List<SkillGroup> _groups = [];
    private Dictionary<SkillGroupId, GroupThresholds> _thresholds = [];
    private List<(BranchId Branch, RegionId Region)> _places = [];
    private List<Operator> _operators = [];
    private Dictionary<SkillGroupId, List<int>> _members = [];

    /// <summary>Per operator: shifts (UTC start, end), in order.</summary>
    private List<(DateTimeOffset Start, DateTimeOffset End)>[] _shifts = [];

    private List<ClientId> _clients = [];

    public async Task<Expected> RunAsync()
    {
        var total = Stopwatch.StartNew();
        _now = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        _from = _now.AddDays(-o.Days);
        (_expected.From, _expected.To, _expected.Days) = (_from, _now, o.Days);

        await using var connection = new NpgsqlConnection(o.Postgres);
        await connection.OpenAsync();
        await PrepareAsync(connection);

        var step = Stopwatch.StartNew();
        await DimensionsAsync();
        Console.WriteLine($"  dimensions: {_channels.Count} channels, {_groups.Count} skill groups, {_operators.Count} operators " +
                          $"({_operators.Sum(x => x.StatusChanges.Count):N0} status changes), {_places.Count} branches in {_places.Select(p => p.Region).Distinct().Count()} regions: " +
                          $"{step.Elapsed.TotalSeconds:F1} s");

        var bulk = new[] { "clients", "conversations", "messages", "conversation_events", "report_contributions", "report_handlings" };
        await BulkIndexes.DropAsync(connection, bulk);
        try
        {
            // Foreign keys are not checked row by row during the load (the generator writes consistent data); superuser only.
            await BulkIndexes.Exec(connection, "SET session_replication_role = replica");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            Console.WriteLine("  (not a superuser: foreign keys are checked during the load)");
        }

        step.Restart();
        await ClientsAsync(connection);
        Console.WriteLine($"  clients: {_clients.Count:N0} in {step.Elapsed.TotalSeconds:F1} s ({CopyLog.Rate(_clients.Count, step.Elapsed)})");

        step.Restart();
        var live = await ConversationsAsync(connection);
        Console.WriteLine($"  conversations: {_expected.Conversations:N0} with {_expected.Messages:N0} messages, {_expected.Events:N0} events and their report rows " +
                          $"in {step.Elapsed.TotalSeconds:F1} s ({(_expected.Conversations / step.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)} conversations/s)");

        await BulkIndexes.Exec(connection, "SET session_replication_role = DEFAULT");
        step.Restart();
        await BulkIndexes.RestoreAsync(connection);
        Console.WriteLine($"  indexes created again: {step.Elapsed.TotalSeconds:F1} s");

        step.Restart();
        await FinishOperatorsAsync(live);
        await Meta.SaveAsync(connection, _expected);
        await BulkIndexes.Exec(connection, "ANALYZE");
        Console.WriteLine($"  operators' load, outbox cleared, ANALYZE: {step.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"Generated in {total.Elapsed.TotalSeconds:F1} s.");
        return _expected;
    }

    /// <summary>Refuses nothing: a database that already has conversations is emptied first (every table but the migrations history).</summary>
    private static async Task PrepareAsync(NpgsqlConnection connection)
    {
        await BulkIndexes.RestoreAsync(connection);
        await using var count = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM conversations)", connection);
        if (await count.ExecuteScalarAsync() is true)
        {
            Console.WriteLine("  the database has conversations: truncating every table (except the migrations history) first");
            await using var tables = new NpgsqlCommand(
                "SELECT string_agg(format('%I', tablename), ', ') FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'",
                connection);
            var list = (string)(await tables.ExecuteScalarAsync())!;
            await BulkIndexes.Exec(connection, $"TRUNCATE {list} RESTART IDENTITY CASCADE");
        }
    }

    private static DateTimeOffset Ms(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    private async Task DimensionsAsync()
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        var at = _from.AddDays(-30);

        foreach (var (code, ru, en) in StatusReason.Defaults)
        {
            if (!await db.StatusReasons.AnyAsync(r => r.Code == code))
            {
                db.StatusReasons.Add(new StatusReason { Code = code, NameRu = ru, NameEn = en, Position = db.StatusReasons.Local.Count });
            }
        }

        var regions = Enumerable.Range(1, 4).Select(i => Region.Create($"Регион {i}", null, at)).ToList();
        var branches = Enumerable.Range(1, 8).Select(i => Branch.Create($"Филиал {i}", o.TimeZone, at)).ToList();
        db.Regions.AddRange(regions);
        db.Branches.AddRange(branches);
        _places = [.. branches.Select((b, i) => (b.Id, regions[i / 2].Id))];

        // No "mobile" channel kind: the mobile app talks to the generic client API.
        var channels = new[]
        {
            Channel.Create(ChannelKind.Webchat, "Сайт", null, null, null, at), Channel.Create(ChannelKind.Api, "Мобильное приложение", null, null, null, at),
            Channel.Create(ChannelKind.Viber, "Viber", null, null, null, at), Channel.Create(ChannelKind.Vk, "ВКонтакте", null, null, null, at),
            Channel.Create(ChannelKind.Telegram, "Telegram", null, null, null, at),
        };
        db.Channels.AddRange(channels);
        _channels = [.. channels.Select(c => c.Id)];

        string[] groupNames =
        [
            "Общие вопросы", "Доставка", "Оплата", "Возвраты", "VIP", "Юрлица", "Техподдержка", "Претензии", "Маркетплейс", "Бонусная программа",
            "Ночная смена", "Англоязычные",
        ];
        _groups = [.. groupNames.Select((name, i) =>
        {
            var g = SkillGroup.Create(name, _channels, [], [], at);
            g.Configure(new GroupRoutingSettings(WrapUpSeconds: i % 3 * 30, DefaultCapacity: 3), at);
            g.SetReportingThresholds(i % 4 == 0 ? 30 : 20, i % 2 == 0 ? 5 : 10, at);
            return g;
        })];
        db.SkillGroups.AddRange(_groups);
        _thresholds = _groups.ToDictionary(g => g.Id, g => new GroupThresholds(g.ServiceLevelSeconds, g.ShortAbandonSeconds, g.WrapUpSeconds));

        _operators = [];
        _members = _groups.ToDictionary(g => g.Id, _ => new List<int>());
        for (var i = 0; i < o.Operators; i++)
        {
            var groups = new HashSet<int> { i % _groups.Count };
            var more = _random.Next(3);
            while (groups.Count < 1 + more)
            {
                groups.Add(_random.Next(_groups.Count));
            }

            var op = Operator.Create(OperatorId.From(Guid.CreateVersion7()), $"operator{i + 1:D3}",
                $"{LastNames[_random.Next(LastNames.Length)]}а {FirstNames[_random.Next(FirstNames.Length)]} ({i + 1})", 3 + _random.Next(3),
                groups.Select(g => new SkillMembership(_groups[g].Id, 1 + _random.Next(10))), at);
            foreach (var g in groups)
            {
                _members[_groups[g].Id].Add(i);
            }

            _operators.Add(op);
        }

        Shifts();
        db.Operators.AddRange(_operators);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Shifts of about nine hours (day, evening or night, in the report time zone), five days a week, each with breaks and a
    /// lunch: the status history (ready / not-ready with a reason / offline) goes through <see cref="Operator.SetStatus"/>.
    /// A fifth of the operators are on a shift that covers "now" (some on a break), so the live dashboard has a staffed floor.
    /// </summary>
    private void Shifts()
    {
        _shifts = new List<(DateTimeOffset, DateTimeOffset)>[_operators.Count];
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_from, _zone).DateTime).AddDays(-1);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_now, _zone).DateTime);
        for (var i = 0; i < _operators.Count; i++)
        {
            var op = _operators[i];
            var list = _shifts[i] = [];
            var startHour = (i % 20) switch { < 10 => 8.0, < 17 => 14.0, _ => 22.0 };
            var onDuty = i % 5 == 0;
            for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
            {
                if ((day.DayNumber + i) % 7 >= 5)
                {
                    continue; // two days off a week, staggered
                }

                var start = Ms(ReportQuery.LocalMidnight(day, _zone).AddHours(startHour).AddMinutes(_random.Next(60)));
                var end = start.AddHours(9);
                if (list.Count > 0 && start < list[^1].End)
                {
                    continue;
                }

                if (start > _now)
                {
                    break; // a shift that covers "now" is kept: its changes after now do not happen
                }

                list.Add((start, end));
            }

            if (onDuty && (list.Count == 0 || list[^1].End <= _now))
            {
                var start = Ms(_now.AddMinutes(-60 - _random.Next(240)));
                while (list.Count > 0 && list[^1].End > start)
                {
                    list.RemoveAt(list.Count - 1);
                }

                list.Add((start, start.AddHours(9)));
            }

            foreach (var (start, end) in list)
            {
                var changes = new List<(DateTimeOffset At, OperatorStatus Status, string? Reason)> { (start, OperatorStatus.Ready, null) };
                var lunch = start.AddHours(4 + _random.NextDouble());
                changes.Add((lunch, OperatorStatus.NotReady, "lunch"));
                changes.Add((lunch.AddMinutes(30 + _random.Next(15)), OperatorStatus.Ready, null));
                foreach (var h in new[] { 2.0, 6.5 })
                {
                    var pause = start.AddHours(h + (_random.NextDouble() / 2));
                    var reason = _random.Next(20) == 0 ? "training" : _random.Next(15) == 0 ? "meeting" : "break";
                    changes.Add((pause, OperatorStatus.NotReady, reason));
                    changes.Add((pause.AddMinutes(reason == "break" ? 10 + _random.Next(6) : 45), OperatorStatus.Ready, null));
                }

                changes.Add((end, OperatorStatus.Offline, null));
                foreach (var (at, status, reason) in changes.OrderBy(c => c.At))
                {
                    if (at <= _now)
                    {
                        op.SetStatus(status, reason, Ms(at));
                    }
                }
            }
        }
    }

    private async Task ClientsAsync(NpgsqlConnection connection)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        var copier = new EntityCopier<Client>(db);
        var count = Math.Max(100, o.Conversations * 3 / 10);
        _clients = new List<ClientId>(count);
        for (var done = 0; done < count; done += 50_000)
        {
            var batch = new List<Client>();
            for (var i = done; i < Math.Min(count, done + 50_000); i++)
            {
                batch.Add(NewClient(i, _from.AddDays(-_random.Next(700))));
            }

            await copier.CopyAsync(connection, batch);
            _clients.AddRange(batch.Select(c => c.Id));
        }
    }

    private Client NewClient(int i, DateTimeOffset at)
    {
        var name = $"{FirstNames[_random.Next(FirstNames.Length)]} {LastNames[_random.Next(LastNames.Length)]}";
        return _random.Next(3) switch
        {
            0 => Client.Create(name, $"+7 9{_random.Next(100_000_000, 999_999_999)}", null, Ms(at)),
            1 => Client.Create(name, null, $"client{i}@example.com", Ms(at)),
            _ => Client.Create(null, null, null, Ms(at)),
        };
    }

    /// <summary>Arrivals per hour of the local day (relative), and weekends at 70%.</summary>
    private static readonly double[] HourWeights =
        [0.15, 0.1, 0.08, 0.07, 0.08, 0.12, 0.25, 0.45, 0.75, 0.95, 1.0, 1.0, 0.95, 0.95, 1.0, 0.98, 0.92, 0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.22];

    private List<DateTimeOffset> ArrivalTimes(int count)
    {
        var span = (_now - _from).TotalSeconds;
        var list = new List<DateTimeOffset>(count);
        while (list.Count < count)
        {
            var t = _from.AddSeconds(_random.NextDouble() * span);
            var local = TimeZoneInfo.ConvertTime(t, _zone);
            var w = HourWeights[local.Hour] * (local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.7 : 1.0);
            if (_random.NextDouble() < w)
            {
                list.Add(Ms(t));
            }
        }

        list.Sort();
        return list;
    }

    /// <returns>The conversations still assigned at the end (operator loads).</returns>
    private async Task<List<OperatorId>> ConversationsAsync(NpgsqlConnection connection)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        var clientCopier = new EntityCopier<Client>(db);
        var conversationCopier = new EntityCopier<Conversation>(db);
        var messageCopier = new EntityCopier<Message>(db);
        var eventCopier = new EntityCopier<ConversationEvent>(db);
        var factCopier = new EntityCopier<ReportConversation>(db);
        var contributionCopier = new EntityCopier<ReportContribution>(db);
        var handlingCopier = new EntityCopier<ReportHandling>(db);

        // The last few hundred arrive in the last half hour and are still waiting or being handled "now".
        var liveCount = Math.Min(o.Live, o.Conversations / 20);
        var times = ArrivalTimes(o.Conversations - liveCount);
        times.AddRange(Enumerable.Range(0, liveCount).Select(_ => Ms(_now.AddSeconds(-_random.Next(1800)))).Order());
        var liveFrom = o.Conversations - liveCount;
        var assignedAtEnd = new List<OperatorId>();
        GroupThresholds Thresholds(SkillGroupId? g) => g is { } id && _thresholds.TryGetValue(id, out var t) ? t : GroupThresholds.Default;
        var waitTime = TimeSpan.Zero;
        var watch = Stopwatch.StartNew();

        // The COPY of one batch runs while the next is simulated (PostgreSQL on one core, the generator on the other).
        Task? pending = null;
        for (var done = 0; done < times.Count; done += Batch)
        {
            var newClients = new List<Client>();
            var conversations = new List<Conversation>(Batch);
            for (var i = done; i < Math.Min(times.Count, done + Batch); i++)
            {
                var c = Simulate(times[i], i >= liveFrom, newClients);
                conversations.Add(c);
                _expected.Messages += c.Messages.Count;
                _expected.Events += c.Events.Count;
                if (c.IsOpen)
                {
                    _expected.OpenAtEnd++;
                    if (c.Status == ConversationStatus.Queued)
                    {
                        _expected.QueuedAtEnd++;
                    }
                    else if (c.Status == ConversationStatus.Assigned)
                    {
                        assignedAtEnd.Add(c.OperatorId!.Value);
                    }
                }
            }

            var results = conversations.Select(c => ConversationMetrics.Compute(
                new ConversationInput(c.Id, c.ChannelId, c.SkillGroupId, c.OperatorId, c.BranchId, c.RegionId, c.Topic, c.CreatedAt, c.ClosedAt, c.Rating,
                    c.Events, [.. c.Messages.Where(m => m.Direction != MessageDirection.Note).Select(m => (m.Direction, m.AuthorKind, m.CreatedAt))]),
                Thresholds, _now)).ToList();

            var wait = Stopwatch.StartNew();
            if (pending is not null)
            {
                await pending;
            }

            waitTime += wait.Elapsed;
            pending = Task.Run(async () =>
            {
                await clientCopier.CopyAsync(connection, newClients);
                await conversationCopier.CopyAsync(connection, conversations);
                await messageCopier.CopyAsync(connection, conversations.SelectMany(c => c.Messages));
                await eventCopier.CopyAsync(connection, conversations.SelectMany(c => c.Events));
                await factCopier.CopyAsync(connection, results.Select(r => r.Facts));
                await contributionCopier.CopyAsync(connection, results.SelectMany(r => r.Contributions));
                await handlingCopier.CopyAsync(connection, results.SelectMany(r => r.Handlings));
            });
            _expected.Conversations += conversations.Count;
            if ((done / Batch) % 20 == 19)
            {
                Console.WriteLine($"    {_expected.Conversations:N0} conversations, {watch.Elapsed.TotalSeconds:F0} s (waiting for COPY {waitTime.TotalSeconds:F0} s)");
            }
        }

        if (pending is not null)
        {
            var wait = Stopwatch.StartNew();
            await pending;
            waitTime += wait.Elapsed;
        }

        Console.WriteLine($"    simulation and metrics {(watch.Elapsed - waitTime).TotalSeconds:F1} s, waiting for COPY (overlapped) {waitTime.TotalSeconds:F1} s; " +
                          $"{_expected.OpenAtEnd} open at the end ({_expected.QueuedAtEnd} queued)");
        return assignedAtEnd;
    }

    private int Skewed(int n) => Math.Min(n - 1, (int)(n * Math.Pow(_random.NextDouble(), 1.6)));

    /// <summary>An operator of the group, preferably one on shift at <paramref name="at"/>.</summary>
    private OperatorId PickOperator(SkillGroupId group, DateTimeOffset at, OperatorId? not = null)
    {
        var members = _members[group];
        var start = _random.Next(members.Count);
        OperatorId? fallback = null;
        for (var k = 0; k < members.Count; k++)
        {
            var i = members[(start + k) % members.Count];
            var id = _operators[i].Id;
            if (id == not)
            {
                continue;
            }

            fallback ??= id;
            if (OnShift(i, at))
            {
                return id;
            }
        }

        return fallback ?? _operators[(start + 1) % _operators.Count].Id;
    }

    private bool OnShift(int op, DateTimeOffset at)
    {
        var list = _shifts[op];
        int lo = 0, hi = list.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (list[mid].End <= at)
            {
                lo = mid + 1;
            }
            else if (list[mid].Start > at)
            {
                hi = mid - 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private string Text(int min, int max) => string.Join(' ', Enumerable.Range(0, _random.Next(min, max)).Select(_ => Words[_random.Next(Words.Length)]));

    private double WaitSeconds()
    {
        var u = _random.NextDouble();
        return u < 0.55 ? _random.NextDouble() * 15
            : u < 0.85 ? 15 + (_random.NextDouble() * 45)
            : u < 0.97 ? 60 + (_random.NextDouble() * 240)
            : 300 + (_random.NextDouble() * 1200);
    }

    /// <summary>Handling time: log-normal around six minutes, one to ninety minutes.</summary>
    private double HandleSeconds()
    {
        var normal = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
        return Math.Clamp(Math.Exp(Math.Log(360) + (0.7 * normal)), 60, 5400);
    }

    private int Score()
    {
        var u = _random.Next(100);
        return u < 55 ? 5 : u < 75 ? 4 : u < 85 ? 3 : u < 90 ? 2 : 1;
    }

    /// <summary>
    /// One conversation through the real aggregate: opened with a first client message, queued, sometimes offered and
    /// missed or declined first, assigned (or the offer accepted), messages both ways, sometimes transferred to another group
    /// or operator, closed with a topic and sometimes rated; some clients give up while queued. Steps later than "now" do
    /// not happen, so the last conversations are still waiting or being handled.
    /// </summary>
    private Conversation Simulate(DateTimeOffset createdAt, bool live, List<Client> newClients)
    {
        var r = _random;
        var now = _now;
        ClientId clientId;
        if (createdAt > now.AddHours(-3))
        {
            // Possibly still open at the end: a client of its own (one open conversation per client and channel).
            var client = NewClient(_clients.Count + newClients.Count, createdAt);
            newClients.Add(client);
            clientId = client.Id;
        }
        else
        {
            clientId = _clients[Skewed(_clients.Count)];
        }

        var clientActor = Actor.ForClient(clientId);
        var channel = _channels[Skewed(_channels.Count)];
        var place = _places[r.Next(_places.Count)];
        var topic = r.Next(10) < 6 ? Topics[Skewed(Topics.Length)] : null;
        var c = Conversation.Open(channel, clientId, place.Branch, place.Region, clientActor, createdAt, topic);
        c.AppendMessage(MessageDirection.In, clientActor, Text(3, 15), null, null, createdAt);

        var group = _groups[Skewed(_groups.Count)].Id;
        var t = createdAt.AddMilliseconds(200 + r.Next(2000));
        if (t > now)
        {
            return c;
        }

        c.Enqueue(group, 0, Actor.System, t);
        _expected.Offered++;
        var queuedAt = t;

        // Some clients give up while waiting.
        if (!live && r.Next(100) < 8)
        {
            var gaveUp = queuedAt.AddMilliseconds(r.Next(100) < 30 ? r.Next(5000) : 5000 + r.Next(600_000));
            if (r.Next(3) == 0 && queuedAt.AddMilliseconds((gaveUp - queuedAt).TotalMilliseconds / 2) is var again && again <= now)
            {
                c.AppendMessage(MessageDirection.In, clientActor, Text(2, 8), null, null, Ms(again));
            }

            if (gaveUp > now)
            {
                return c;
            }

            c.Close(null, clientActor, gaveUp);
            _expected.Abandoned++;
            _expected.Closed++;
            return c;
        }

        if (live && r.Next(2) == 0)
        {
            return c; // still waiting now
        }

        t = live ? Ms(createdAt.AddSeconds((now - createdAt).TotalSeconds * r.NextDouble() * 0.3)) : Ms(queuedAt.AddSeconds(WaitSeconds()));
        if (t <= queuedAt)
        {
            t = queuedAt.AddMilliseconds(1);
        }

        if (t > now)
        {
            return c;
        }

        OperatorId op;
        if (r.Next(100) < 15)
        {
            // Offered first; a quarter of the offers lapse or are declined and go to someone else.
            op = PickOperator(group, t);
            c.Offer(op, t.AddSeconds(30), t);
            if (r.Next(4) == 0)
            {
                var declined = r.Next(5) < 2;
                t = declined ? t.AddMilliseconds(2000 + r.Next(8000)) : t.AddSeconds(30);
                if (t > now)
                {
                    return c;
                }

                c.MissOffer(declined, t);
                _expected.MissedOffers++;
                t = t.AddMilliseconds(500 + r.Next(3000));
                if (t > now)
                {
                    return c;
                }

                op = PickOperator(group, t, op);
                c.Offer(op, t.AddSeconds(30), t);
            }

            t = t.AddMilliseconds(1000 + r.Next(8000));
            if (t > now)
            {
                return c;
            }

            c.AcceptOffer(op, t);
        }
        else
        {
            op = PickOperator(group, t);
            c.Assign(op, Actor.System, t);
        }

        _expected.Answered++;
        var opActor = Actor.ForOperator(op);

        // The conversation: the first answer within a minute, then messages both ways spread over the handling time.
        var duration = live ? 1e9 : HandleSeconds();
        var end = t.AddSeconds(duration);
        var transferAt = !live && r.Next(100) < 6 ? Ms(t.AddSeconds(duration * (0.3 + (r.NextDouble() * 0.3)))) : (DateTimeOffset?)null;
        var more = 2 + r.Next(16);
        var at = t.AddMilliseconds(3000 + r.Next(60_000));
        var step = Math.Max(5, (duration - 60) / Math.Max(1, more));
        var direction = MessageDirection.Out;
        for (var m = 0; m < more; m++)
        {
            at = Ms(at);
            if (at > now || at >= end)
            {
                break;
            }

            if (transferAt is { } tt && at >= tt)
            {
                transferAt = null;
                if (r.Next(10) < 6)
                {
                    var other = _groups[(_groups.FindIndex(g => g.Id == group) + 1 + r.Next(_groups.Count - 1)) % _groups.Count].Id;
                    c.TransferToGroup(other, "Вопрос другой группы", opActor, tt);
                    _expected.Transfers++;
                    _expected.Offered++;
                    group = other;
                    var answered = Ms(tt.AddSeconds(WaitSeconds()));
                    if (answered > now)
                    {
                        return c;
                    }

                    op = PickOperator(group, answered);
                    c.Assign(op, Actor.System, answered);
                    _expected.Answered++;
                    at = answered.AddMilliseconds(2000 + r.Next(30_000));
                    end = end.AddSeconds((answered - tt).TotalSeconds);
                }
                else
                {
                    var to = PickOperator(group, tt, op);
                    c.TransferToOperator(to, "Передаю коллеге", opActor, tt);
                    _expected.Transfers++;
                    op = to;
                }

                opActor = Actor.ForOperator(op);
                continue;
            }

            var message = direction == MessageDirection.Out
                ? c.AppendMessage(MessageDirection.Out, opActor, Text(4, 20), null, null, at)
                : c.AppendMessage(MessageDirection.In, clientActor, Text(2, 12), null, null, at);
            if (message.Direction == MessageDirection.Out)
            {
                message.SetDeliveryStatus(DeliveryStatus.Read);
            }

            direction = direction == MessageDirection.Out ? MessageDirection.In : MessageDirection.Out;
            at = at.AddSeconds(step * (0.5 + r.NextDouble()));
        }

        end = Ms(end);
        if (end > now)
        {
            return c;
        }

        if (r.Next(10) == 0)
        {
            c.Close(null, clientActor, end);
        }
        else
        {
            c.Close(c.Topic ?? Topics[Skewed(Topics.Length)], opActor, end);
        }

        _expected.Handled++;
        _expected.Closed++;
        if (r.Next(100) < 30)
        {
            var rated = Ms(end.AddSeconds(10 + r.Next(300)));
            if (rated <= now)
            {
                c.Rate(Score(), r.Next(10) == 0 ? "Спасибо за помощь" : null, clientActor, rated);
                _expected.Rated++;
            }
        }

        return c;
    }

    /// <summary>The operators' current load (their still-assigned conversations) through the domain; the outbox the generation filled is cleared.</summary>
    private async Task FinishOperatorsAsync(List<OperatorId> assigned)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmnichatDbContext>();
        var operators = await db.Operators.ToDictionaryAsync(x => x.Id);
        foreach (var id in assigned)
        {
            operators[id].Reserve(_now, force: true);
        }

        await db.SaveChangesAsync();
        await db.OutboxMessages.ExecuteDeleteAsync();
    }
}
