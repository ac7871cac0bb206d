using System.Globalization;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Core.Reporting;
using Omnichat.Server.Hosting;

namespace Omnichat.Server.Api;

/// <summary>Reports (PRODUCT A1–A4): live dashboard, historical reports and the conversation list as JSON, CSV or XLSX; background exports; schedules.</summary>
public static class ReportsApi
{
    public sealed record ExportRequest(string? Report, string? Format, string? Separator, string? Lang, IReadOnlyDictionary<string, string[]>? Query);

    public sealed record RebuildRequest(string? From, string? To);

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Reports").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/reports/live", async (HttpContext http, OmnichatDbContext db, LiveDashboard h, CancellationToken ct) =>
            {
                var scope = await StaffScope.ForAsync(db, http.User, ct);
                var q = new ReportQuery { Groups = Ids(http, "skillGroupId") };
                await q.ValidateAsync(db, scope, ct);
                return TypedResults.Ok(await h.HandleAsync(scope, q.Groups, ct));
            })
            .RequirePermission(Permissions.ViewReports, Permissions.SuperviseConversations)
            .WithSummary("The live dashboard: queues, active conversations, operators by status, today's service level (and over the last 30 minutes), ASA, " +
                         "abandonment, CSAT per skill group and channel; every operator's status, load and handled today. Optional skillGroupId filter.");

        api.MapGet("/reports/{report}", async (string report, HttpContext http, OmnichatDbContext db, RunReport reports, ListReportConversations list,
                ReportExporter exporter, IOptions<OmnichatOptions> options, TimeProvider time, CancellationToken ct) =>
            {
                var scope = await StaffScope.ForAsync(db, http.User, ct);
                var zone = options.Value.Reports.Zone;
                var q = ReportQuery.Parse(name => [.. http.Request.Query[name].OfType<string>()], zone, time.GetUtcNow());
                var format = http.Request.Query["format"].FirstOrDefault() ?? "json";
                var english = English(http);
                if (format == "json")
                {
                    return report switch
                    {
                        ReportExporter.Conversations => Results.Ok(await list.PageAsync(scope, q, ct)),
                        ReportExporter.Transcripts => throw new FieldValidationException("format", "Transcripts are exported as csv or xlsx."),
                        _ => Results.Ok(await reports.HandleAsync(scope, report, q, english, ct)),
                    };
                }

                if (!ExportWriter.Formats.Contains(format))
                {
                    throw new FieldValidationException("format", "'format' is one of: json, csv, xlsx.");
                }

                if (!scope.Has(Permissions.Export))
                {
                    throw new ForbiddenException("Exporting needs the reports.export permission.");
                }

                if (!ReportExporter.Exportable.Contains(report))
                {
                    throw new NotFoundException("Report", report);
                }

                var separator = Separator(http.Request.Query["separator"].FirstOrDefault());
                await q.ValidateAsync(db, scope, ct);
                db.AuditRecords.Add(Core.Audit.AuditRecord.Create(scope.Actor, "report.export", "report", report, null, null,
                    new { format, query = q.ToParameters().Select(p => p.Key + "=" + p.Value) }, time.GetUtcNow()));
                await db.SaveChangesAsync(ct);
                return Results.Stream(stream => exporter.WriteAsync(stream, scope, report, format, q, english, separator, null, ct),
                    ExportWriter.ContentType(format), ReportExporter.FileName(report, q, format, zone));
            })
            .RequirePermission(Permissions.ViewReports)
            .Produces<ReportResult>().Produces<ConversationReportPage>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A report: summary, intervals, groups, channels, operators, branches, regions, topics, csat, activity, missed, conversations " +
                         "(the analysts' list; paged as JSON), transcripts (export only). Period: from/to as ISO 8601 dates (local days, 'to' inclusive) or " +
                         "date-times, or preset (today, yesterday, last-7-days, last-30-days, last-90-days, this-week, this-month, last-month); bucket " +
                         "(15min, hour, day, week, month); filters channelId, skillGroupId, operatorId, branchId, regionId, topic (repeat or comma-separate), " +
                         "status, rating, search, metric (drill-down), sort, page, pageSize; format json | csv | xlsx (csv and xlsx stream any size; " +
                         "need reports.export); separator , or ; (Russian Excel: ';' with decimal commas); lang ru | en for titles.");

        var exports = api.MapGroup("/exports").RequirePermission(Permissions.Export);
        exports.MapPost("/", async (ExportRequest request, HttpContext http, OmnichatDbContext db, ReportExports h, IOptions<OmnichatOptions> options,
                TimeProvider time, CancellationToken ct) =>
            {
                var scope = await StaffScope.ForAsync(db, http.User, ct);
                var query = request.Query ?? new Dictionary<string, string[]>();
                var q = ReportQuery.Parse(name => query.TryGetValue(name, out var v) ? v : [], options.Value.Reports.Zone, time.GetUtcNow());
                var export = await h.CreateAsync(scope, request.Report ?? "", request.Format ?? "", q,
                    request.Lang is null ? English(http) : request.Lang == "en", Separator(request.Separator), ct);
                return TypedResults.Accepted($"/api/v1/exports/{export.Id}", export);
            })
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Start a background export (any report, 'conversations' or 'transcripts'; csv or xlsx); poll it for progress and download it when done.");
        exports.MapGet("/", async (HttpContext http, OmnichatDbContext db, ReportExports h, CancellationToken ct) =>
                TypedResults.Ok(await h.ListAsync(await StaffScope.ForAsync(db, http.User, ct), ct)))
            .WithSummary("My recent exports with their progress.");
        exports.MapGet("/{id:guid}", async (Guid id, HttpContext http, OmnichatDbContext db, ReportExports h, CancellationToken ct) =>
                TypedResults.Ok(await h.GetAsync(await StaffScope.ForAsync(db, http.User, ct), id, ct)))
            .ProducesProblem(StatusCodes.Status404NotFound).WithSummary("One of my exports: status, rows written, progress, download link when done.");
        exports.MapGet("/{id:guid}/file", async (Guid id, HttpContext http, OmnichatDbContext db, ReportExports h, CancellationToken ct) =>
            {
                var (content, name, type) = await h.OpenAsync(await StaffScope.ForAsync(db, http.User, ct), id, ct);
                return TypedResults.File(content, type, name);
            })
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).WithSummary("Download a finished export.");

        var schedules = api.MapGroup("/report-schedules").RequirePermission(Permissions.Export);
        schedules.MapGet("/", async (HttpContext http, OmnichatDbContext db, ReportSchedules h, CancellationToken ct) =>
                TypedResults.Ok(await h.ListAsync(await StaffScope.ForAsync(db, http.User, ct), ct)))
            .WithSummary("My scheduled reports.");
        schedules.MapPost("/", async (ReportSchedules.Request request, HttpContext http, OmnichatDbContext db, ReportSchedules h, CancellationToken ct) =>
            {
                var created = await h.CreateAsync(await StaffScope.ForAsync(db, http.User, ct), request, ct);
                return TypedResults.Created($"/api/v1/report-schedules/{created.Id}", created);
            })
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Schedule a report: name, report, format, period (yesterday, last-7-days, last-week, last-month), frequency (daily, weekly, " +
                         "monthly), hour (report time zone), optional e-mail, filters as in GET /reports/{report}.");
        schedules.MapPut("/{id:guid}", async (Guid id, ReportSchedules.Request request, HttpContext http, OmnichatDbContext db, ReportSchedules h,
                CancellationToken ct) => TypedResults.Ok(await h.UpdateAsync(await StaffScope.ForAsync(db, http.User, ct), id, request, ct)))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Change a scheduled report.");
        schedules.MapDelete("/{id:guid}", async (Guid id, HttpContext http, OmnichatDbContext db, ReportSchedules h, CancellationToken ct) =>
            {
                await h.DeleteAsync(await StaffScope.ForAsync(db, http.User, ct), id, ct);
                return TypedResults.NoContent();
            })
            .ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Delete a scheduled report.");

        api.MapPost("/reports/rebuild", async (RebuildRequest request, RebuildReports h, IOptions<OmnichatOptions> options, TimeProvider time,
                CancellationToken ct) =>
            {
                var (from, to) = ReportQuery.Period(request.From ?? throw new FieldValidationException("from", "'from' is required."), request.To, null,
                    options.Value.Reports.Zone, time.GetUtcNow());
                return TypedResults.Ok(await h.HandleAsync(from, to, ct));
            })
            .RequirePermission(Permissions.ManageIntegrations).ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Recompute the report data of a period from the recorded events (after a definition change or a restore).");
        return app;
    }

    private static bool English(HttpContext http) =>
        http.Request.Query["lang"].FirstOrDefault() is { } lang ? lang == "en" : CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    private static char Separator(string? value) => value switch
    {
        null or "" or "," => ',',
        ";" => ';',
        _ => throw new FieldValidationException("separator", "'separator' is ',' or ';'."),
    };

    private static List<SkillGroupId> Ids(HttpContext http, string name) =>
    [
        .. http.Request.Query[name].OfType<string>().SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => Guid.TryParse(v, out var g) ? SkillGroupId.From(g) : throw new FieldValidationException(name, $"'{name}' must be ids (GUIDs).")),
    ];
}
