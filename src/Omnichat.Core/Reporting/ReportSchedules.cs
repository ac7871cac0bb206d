using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Reporting;

public sealed record ReportScheduleView(Guid Id, string Name, string Report, string Format, string Period, string Frequency, int Hour, string? Email,
    bool Enabled, IReadOnlyDictionary<string, string[]> Filters, DateTimeOffset NextRunAt, DateTimeOffset? LastRunAt, Guid? LastExportId)
{
    public static ReportScheduleView From(ReportSchedule s) => new(s.Id, s.Name, s.Report, s.Format, s.Period, s.Frequency, s.Hour, s.Email, s.Enabled,
        (JsonSerializer.Deserialize<List<KeyValuePair<string, string>>>(s.Query) ?? []).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Select(p => p.Value).ToArray()),
        s.NextRunAt, s.LastRunAt, s.LastExportId);
}

/// <summary>
/// Scheduled reports (PRODUCT A4): a saved report with its filters, produced daily, weekly or monthly at a local hour
/// over the period just ended, kept for download and e-mailed (CSV/XLSX attached) when an address is given.
/// </summary>
public sealed partial class ReportSchedules(OmnichatDbContext db, ReportExports exports, TimeProvider time, IOptions<OmnichatOptions> options,
    ILogger<ReportSchedules> logger)
{
    public const int MaxPerOwner = 50;

    public static readonly IReadOnlyList<string> Periods = ["yesterday", "last-7-days", "last-week", "last-month"];

    public static readonly IReadOnlyList<string> Frequencies = ["daily", "weekly", "monthly"];

    public sealed record Request(string? Name, string? Report, string? Format, string? Period, string? Frequency, int? Hour, string? Email,
        IReadOnlyDictionary<string, string[]>? Filters, bool? Enabled, bool? English, string? Separator);

    private TimeZoneInfo Zone => options.Value.Reports.Zone;

    public async Task<IReadOnlyList<ReportScheduleView>> ListAsync(StaffScope scope, CancellationToken cancellationToken) =>
        [.. (await db.ReportSchedules.AsNoTracking().Where(s => s.OwnerId == scope.OperatorId.Value).OrderBy(s => s.Name).ToListAsync(cancellationToken))
            .Select(ReportScheduleView.From)];

    public async Task<ReportScheduleView> CreateAsync(StaffScope scope, Request r, CancellationToken cancellationToken)
    {
        if (await db.ReportSchedules.CountAsync(s => s.OwnerId == scope.OperatorId.Value, cancellationToken) >= MaxPerOwner)
        {
            throw new ConflictException($"At most {MaxPerOwner} scheduled reports per person.", "name");
        }

        var schedule = new ReportSchedule { Id = Guid.CreateVersion7(), OwnerId = scope.OperatorId.Value, CreatedAt = time.GetUtcNow() };
        await ApplyAsync(scope, schedule, r, cancellationToken);
        db.ReportSchedules.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        return ReportScheduleView.From(schedule);
    }

    public async Task<ReportScheduleView> UpdateAsync(StaffScope scope, Guid id, Request r, CancellationToken cancellationToken)
    {
        var schedule = await db.ReportSchedules.FirstOrDefaultAsync(s => s.Id == id && s.OwnerId == scope.OperatorId.Value, cancellationToken)
                       ?? throw new NotFoundException("Scheduled report", id);
        await ApplyAsync(scope, schedule, r, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return ReportScheduleView.From(schedule);
    }

    public async Task DeleteAsync(StaffScope scope, Guid id, CancellationToken cancellationToken)
    {
        var deleted = await db.ReportSchedules.Where(s => s.Id == id && s.OwnerId == scope.OperatorId.Value).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            throw new NotFoundException("Scheduled report", id);
        }
    }

    private async Task ApplyAsync(StaffScope scope, ReportSchedule s, Request r, CancellationToken cancellationToken)
    {
        var name = r.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200 || name.Any(char.IsControl))
        {
            throw new FieldValidationException("name", "'name' is 1–200 characters without control characters.");
        }

        if (r.Report is null || !ReportExporter.Exportable.Contains(r.Report))
        {
            throw new FieldValidationException("report", "'report' is one of: " + string.Join(", ", ReportExporter.Exportable) + ".");
        }

        if (r.Format is null || !ExportWriter.Formats.Contains(r.Format))
        {
            throw new FieldValidationException("format", "'format' is csv or xlsx.");
        }

        if (r.Period is null || !Periods.Contains(r.Period))
        {
            throw new FieldValidationException("period", "'period' is one of: " + string.Join(", ", Periods) + ".");
        }

        if (r.Frequency is null || !Frequencies.Contains(r.Frequency))
        {
            throw new FieldValidationException("frequency", "'frequency' is one of: " + string.Join(", ", Frequencies) + ".");
        }

        if (r.Hour is not (>= 0 and <= 23))
        {
            throw new FieldValidationException("hour", "'hour' is 0–23 (report time zone).");
        }

        var email = string.IsNullOrWhiteSpace(r.Email) ? null : r.Email.Trim();
        if (email is not null && (email.Length > 254 || !System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email))
        {
            throw new FieldValidationException("email", "'email' must be one e-mail address.");
        }

        if (r.Separator is not (null or "," or ";"))
        {
            throw new FieldValidationException("separator", "'separator' is ',' or ';'.");
        }

        var filters = r.Filters ?? new Dictionary<string, string[]>();
        var unknown = filters.Keys.FirstOrDefault(k => !ReportQuery.Names.Contains(k) || k is "from" or "to" or "preset" or "page" or "pageSize");
        if (unknown is not null)
        {
            throw new FieldValidationException("filters", $"'{unknown}' is not a filter of a scheduled report.");
        }

        var q = ReportQuery.Parse(n => filters.TryGetValue(n, out var v) ? v : [], Zone, time.GetUtcNow());
        await q.ValidateAsync(db, scope, cancellationToken);
        s.Name = name;
        s.Report = r.Report;
        s.Format = r.Format;
        s.Period = r.Period;
        s.Frequency = r.Frequency;
        s.Hour = r.Hour.Value;
        s.Email = email;
        s.Enabled = r.Enabled ?? true;
        s.Query = JsonSerializer.Serialize(q.ToParameters(withPeriod: false)
            .Append(new("english", (r.English ?? false) ? "1" : "0")).Append(new("separator", r.Separator ?? ",")).ToList());
        s.NextRunAt = NextRun(s.Frequency, s.Hour, time.GetUtcNow());
    }

    /// <summary>The first run time after <paramref name="now"/>: the hour of the next day, Monday or 1st of the month (report time zone).</summary>
    public DateTimeOffset NextRun(string frequency, int hour, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);
        for (var day = today; ; day = day.AddDays(1))
        {
            var fits = frequency switch
            {
                "weekly" => day.DayOfWeek == DayOfWeek.Monday,
                "monthly" => day.Day == 1,
                _ => true,
            };
            var at = ReportQuery.LocalMidnight(day, Zone).AddHours(hour);
            if (fits && at > now)
            {
                return at;
            }
        }
    }

    /// <summary>The period a run at <paramref name="runAt"/> covers.</summary>
    public (DateTimeOffset From, DateTimeOffset To) PeriodOf(string period, DateTimeOffset runAt)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(runAt, Zone).DateTime);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var first = new DateOnly(today.Year, today.Month, 1);
        var (from, to) = period switch
        {
            "last-7-days" => (today.AddDays(-7), today),
            "last-week" => (monday.AddDays(-7), monday),
            "last-month" => (first.AddMonths(-1), first),
            _ => (today.AddDays(-1), today),
        };
        return (ReportQuery.LocalMidnight(from, Zone), ReportQuery.LocalMidnight(to, Zone));
    }

    /// <summary>Queues an export for every due schedule (each claimed by one node) and moves it to its next run.</summary>
    public async Task StartDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await db.ReportSchedules.AsNoTracking().Where(s => s.Enabled && s.NextRunAt <= now).OrderBy(s => s.NextRunAt).Take(20).ToListAsync(cancellationToken);
        foreach (var s in due)
        {
            var next = NextRun(s.Frequency, s.Hour, now);
            var claimed = await db.ReportSchedules.Where(x => x.Id == s.Id && x.NextRunAt == s.NextRunAt)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.NextRunAt, next).SetProperty(x => x.LastRunAt, now), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            try
            {
                var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, s.OwnerId.ToString())], "schedule"));
                var scope = await StaffScope.ForAsync(db, principal, cancellationToken);
                var parameters = JsonSerializer.Deserialize<List<KeyValuePair<string, string>>>(s.Query) ?? [];
                var english = parameters.Exists(p => p.Key == "english" && p.Value == "1");
                var separator = parameters.FirstOrDefault(p => p.Key == "separator").Value is { Length: 1 } sep ? sep[0] : ',';
                var q = ReportQuery.FromParameters([.. parameters.Where(p => ReportQuery.Names.Contains(p.Key))], Zone, now, PeriodOf(s.Period, s.NextRunAt));
                var export = await exports.CreateAsync(scope, s.Report, s.Format, q, english, separator, cancellationToken, s.Id);
                await db.ReportSchedules.Where(x => x.Id == s.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastExportId, export.Id), cancellationToken);
            }
            catch (Exception ex) when (ex is OmnichatException or InvalidOperationException)
            {
                // The owner or a filter is gone: the schedule waits for its next run (and its owner to fix it).
                LogScheduleFailed(logger, s.Id, ex);
                db.ChangeTracker.Clear();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled report {ScheduleId} could not start.")]
    private static partial void LogScheduleFailed(ILogger logger, Guid scheduleId, Exception exception);
}
