using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Reporting;

/// <summary>
/// A report request: the period (rounded out to whole 15-minute intervals), the bucket for reports over time, the
/// filters (any of several ids per dimension), and for the conversation list also status, rating, text, sort and page.
/// Parsed from query-string style parameters, so the API, the pages and saved schedules read it the same way.
/// </summary>
public sealed record ReportQuery
{
    public const int MaxDays = 400;
    public const int MaxIds = 200;

    public DateTimeOffset From { get; init; }

    public DateTimeOffset To { get; init; }

    public string Bucket { get; init; } = "day";

    public IReadOnlyList<ChannelId> Channels { get; init; } = [];

    public IReadOnlyList<SkillGroupId> Groups { get; init; } = [];

    public IReadOnlyList<OperatorId> Operators { get; init; } = [];

    public IReadOnlyList<BranchId> Branches { get; init; } = [];

    public IReadOnlyList<RegionId> Regions { get; init; } = [];

    public IReadOnlyList<string> Topics { get; init; } = [];

    public IReadOnlyList<ConversationStatus> Statuses { get; init; } = [];

    public IReadOnlyList<int> Ratings { get; init; } = [];

    public string? Search { get; init; }

    /// <summary>Drill-down: only conversations that counted in this counter (offered, answered, abandoned…).</summary>
    public string? Metric { get; init; }

    public string Sort { get; init; } = "-created";

    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 50;

    public static readonly IReadOnlyList<string> Buckets = ["15min", "hour", "day", "week", "month"];

    public static readonly IReadOnlyList<string> Presets = ["today", "yesterday", "last-7-days", "last-30-days", "last-90-days", "this-week", "this-month", "last-month"];

    public static readonly IReadOnlyList<string> Sorts = ["created", "-created", "wait", "-wait", "first-response", "-first-response", "handle", "-handle", "rating", "-rating"];

    /// <summary>Parameter names this query reads (everything else is the caller's business, e.g. <c>format</c>).</summary>
    public static readonly IReadOnlyList<string> Names =
        ["from", "to", "preset", "bucket", "channelId", "skillGroupId", "operatorId", "branchId", "regionId", "topic", "status", "rating", "search", "metric", "sort", "page", "pageSize"];

    /// <summary>Reads parameters (several values per name, or comma-separated); bad values name their parameter.</summary>
    public static ReportQuery Parse(Func<string, IReadOnlyList<string>> values, TimeZoneInfo zone, DateTimeOffset now)
    {
        IReadOnlyList<string> All(string name) => [.. values(name).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
        string? One(string name)
        {
            var v = values(name);
            if (v.Count > 1)
            {
                throw new FieldValidationException(name, $"'{name}' is given more than once.");
            }

            return v.Count == 0 || string.IsNullOrWhiteSpace(v[0]) ? null : v[0].Trim();
        }

        List<T> Ids<T>(string name, Func<Guid, T> make)
        {
            var list = All(name);
            if (list.Count > MaxIds)
            {
                throw new FieldValidationException(name, $"At most {MaxIds} values of '{name}'.");
            }

            return [.. list.Select(v => Guid.TryParse(v, out var g) ? make(g) : throw new FieldValidationException(name, $"'{name}' must be ids (GUIDs)."))];
        }

        var (from, to) = Period(One("from"), One("to"), One("preset"), zone, now);
        var bucket = One("bucket") ?? "day";
        if (!Buckets.Contains(bucket))
        {
            throw new FieldValidationException("bucket", "'bucket' is one of: " + string.Join(", ", Buckets) + ".");
        }

        var statuses = All("status").Select(s => Enum.TryParse<ConversationStatus>(s, true, out var st) && !int.TryParse(s, out _) ? st
            : throw new FieldValidationException("status", "'status' is one of: new, bot, queued, assigned, closed, rated.")).Distinct().ToList();
        var ratings = All("rating").Select(r => int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 5 ? n
            : throw new FieldValidationException("rating", "'rating' is 1 to 5.")).Distinct().ToList();
        var topics = All("topic");
        if (topics.Count > MaxIds || topics.Any(t => t.Length > Conversation.MaxTopicLength || t.Any(char.IsControl)))
        {
            throw new FieldValidationException("topic", $"'topic' is at most {MaxIds} topics of up to {Conversation.MaxTopicLength} characters without control characters.");
        }

        var search = One("search");
        if (search is { Length: > ListConversations.MaxSearchLength } || search?.Any(c => char.IsControl(c) && !char.IsWhiteSpace(c)) == true)
        {
            throw new FieldValidationException("search", $"'search' is at most {ListConversations.MaxSearchLength} characters without control characters.");
        }

        var metric = One("metric");
        if (metric is not null && ReportMetrics.DrillCounter(metric) is null)
        {
            throw new FieldValidationException("metric", "'metric' is one of: " + string.Join(", ", ReportMetrics.DrillMetrics) + ".");
        }

        var sort = One("sort") ?? "-created";
        if (!Sorts.Contains(sort))
        {
            throw new FieldValidationException("sort", "'sort' is one of: " + string.Join(", ", Sorts) + ".");
        }

        return new ReportQuery
        {
            From = from, To = to, Bucket = bucket,
            Channels = Ids("channelId", ChannelId.From), Groups = Ids("skillGroupId", SkillGroupId.From), Operators = Ids("operatorId", OperatorId.From),
            Branches = Ids("branchId", BranchId.From), Regions = Ids("regionId", RegionId.From), Topics = topics,
            Statuses = statuses, Ratings = ratings, Search = search, Metric = metric, Sort = sort,
            Page = Int("page", One("page"), 1, 1, 1_000_000), PageSize = Int("pageSize", One("pageSize"), 50, 1, 500),
        };
    }

    private static int Int(string name, string? value, int fallback, int min, int max) =>
        value is null ? fallback
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
        : throw new FieldValidationException(name, $"'{name}' is a whole number from {min} to {max}.");

    /// <summary>
    /// The period: <c>from</c>/<c>to</c> as ISO 8601 dates (local days of the report time zone, <c>to</c> inclusive) or
    /// date-times (<c>to</c> exclusive), or a preset; rounded out to whole 15-minute intervals.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To) Period(string? from, string? to, string? preset, TimeZoneInfo zone, DateTimeOffset now)
    {
        DateTimeOffset start, end;
        var today = LocalMidnight(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime), zone);
        if (preset is not null)
        {
            if (from is not null || to is not null)
            {
                throw new FieldValidationException("preset", "Give either a preset or from/to.");
            }

            var localToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
            (start, end) = preset switch
            {
                "today" => (today, now),
                "yesterday" => (LocalMidnight(localToday.AddDays(-1), zone), today),
                "last-7-days" => (LocalMidnight(localToday.AddDays(-6), zone), now),
                "last-30-days" => (LocalMidnight(localToday.AddDays(-29), zone), now),
                "last-90-days" => (LocalMidnight(localToday.AddDays(-89), zone), now),
                "this-week" => (LocalMidnight(localToday.AddDays(-(((int)localToday.DayOfWeek + 6) % 7)), zone), now),
                "this-month" => (LocalMidnight(new DateOnly(localToday.Year, localToday.Month, 1), zone), now),
                "last-month" => (LocalMidnight(new DateOnly(localToday.Year, localToday.Month, 1).AddMonths(-1), zone),
                    LocalMidnight(new DateOnly(localToday.Year, localToday.Month, 1), zone)),
                _ => throw new FieldValidationException("preset", "'preset' is one of: " + string.Join(", ", Presets) + "."),
            };
        }
        else
        {
            start = from is null ? today : Point(from, "from", zone, endOfDay: false);
            end = to is null ? now : Point(to, "to", zone, endOfDay: true);
        }

        if (start.Year < 2000 || end.Year > 2200)
        {
            throw new FieldValidationException(start.Year < 2000 ? "from" : "to", "The period must lie between the years 2000 and 2200.");
        }

        if (start >= end)
        {
            throw new FieldValidationException("from", "'from' must be before 'to'.");
        }

        if (end - start > TimeSpan.FromDays(MaxDays))
        {
            throw new FieldValidationException("to", $"A period is at most {MaxDays} days.");
        }

        var a = Intervals.StartOf(start);
        var b = Intervals.StartOf(end);
        if (b < end.ToUnixTimeSeconds())
        {
            b += Intervals.Seconds;
        }

        return (Intervals.ToTime(a), Intervals.ToTime(b));
    }

    private static DateTimeOffset Point(string text, string name, TimeZoneInfo zone, bool endOfDay)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return LocalMidnight(endOfDay ? day.AddDays(1) : day, zone);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && text.Contains('T', StringComparison.Ordinal))
        {
            return at;
        }

        throw new FieldValidationException(name, $"'{name}' must be an ISO 8601 date (2026-01-31) or date-time (2026-01-31T10:00:00Z).");
    }

    public static DateTimeOffset LocalMidnight(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>
    /// Checks the filter ids: each must exist and, for skill groups and operators, lie inside the caller's boundary —
    /// an id outside it is refused exactly like an unknown one, so nothing about it leaks.
    /// </summary>
    public async Task ValidateAsync(OmnichatDbContext db, StaffScope scope, CancellationToken cancellationToken)
    {
        await Check(db.Channels.Where(c => Channels.Contains(c.Id)).Select(c => c.Id), Channels, "channelId", "channel", cancellationToken);
        var groups = db.SkillGroups.Where(g => Groups.Contains(g.Id));
        if (!scope.Data.All)
        {
            var boundary = scope.BoundaryGroups;
            groups = groups.Where(g => boundary.Contains(g.Id));
        }

        await Check(groups.Select(g => g.Id), Groups, "skillGroupId", "skill group", cancellationToken);
        await Check(ReportScope.VisibleOperators(db, scope).Where(o => Operators.Contains(o.Id)).Select(o => o.Id), Operators, "operatorId", "operator", cancellationToken);
        await Check(db.Branches.Where(b => Branches.Contains(b.Id)).Select(b => b.Id), Branches, "branchId", "branch", cancellationToken);
        await Check(db.Regions.Where(r => Regions.Contains(r.Id)).Select(r => r.Id), Regions, "regionId", "region", cancellationToken);
    }

    private static async Task Check<T>(IQueryable<T> found, IReadOnlyList<T> wanted, string field, string what, CancellationToken cancellationToken)
    {
        if (wanted.Count == 0)
        {
            return;
        }

        var existing = await found.ToListAsync(cancellationToken);
        var missing = wanted.Where(w => !existing.Contains(w)).ToList();
        if (missing.Count > 0)
        {
            throw new FieldValidationException(field, $"Unknown {what} '{missing[0]}'.");
        }
    }

    /// <summary>The query back as parameters (links, saved schedules, background exports).</summary>
    public IEnumerable<KeyValuePair<string, string>> ToParameters(bool withPeriod = true)
    {
        if (withPeriod)
        {
            yield return new("from", From.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            yield return new("to", To.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        yield return new("bucket", Bucket);
        foreach (var (name, list) in new (string, IEnumerable<string>)[]
                 {
                     ("channelId", Channels.Select(x => x.ToString())), ("skillGroupId", Groups.Select(x => x.ToString())),
                     ("operatorId", Operators.Select(x => x.ToString())), ("branchId", Branches.Select(x => x.ToString())),
                     ("regionId", Regions.Select(x => x.ToString())), ("topic", Topics), ("status", Statuses.Select(s => s.ToString().ToLowerInvariant())),
                     ("rating", Ratings.Select(r => r.ToString(CultureInfo.InvariantCulture))),
                 })
        {
            foreach (var v in list)
            {
                yield return new(name, v);
            }
        }

        if (Search is not null)
        {
            yield return new("search", Search);
        }

        if (Metric is not null)
        {
            yield return new("metric", Metric);
        }

        yield return new("sort", Sort);
    }

    /// <summary>Reads parameters saved by <see cref="ToParameters"/>.</summary>
    public static ReportQuery FromParameters(IReadOnlyList<KeyValuePair<string, string>> parameters, TimeZoneInfo zone, DateTimeOffset now,
        (DateTimeOffset From, DateTimeOffset To)? period = null)
    {
        var q = Parse(name => [.. parameters.Where(p => p.Key == name && !(period is not null && (name == "from" || name == "to"))).Select(p => p.Value)], zone, now);
        return period is { } p ? q with { From = p.From, To = p.To } : q;
    }
}
