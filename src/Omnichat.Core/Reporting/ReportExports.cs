using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Access;
using Omnichat.Core.Files;
using Omnichat.Core.Kernel;
using Omnichat.Core.Mail;

namespace Omnichat.Core.Reporting;

public sealed record ReportExportView(Guid Id, string Report, string Format, ExportStatus Status, long Rows, long? TotalRows, double? Progress,
    string FileName, long Size, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, DateTimeOffset ExpiresAt, string? DownloadUrl)
{
    public static ReportExportView From(ReportExport e) => new(e.Id, e.Report, e.Format, e.Status, e.Rows, e.TotalRows,
        e.Status == ExportStatus.Done ? 1 : e.TotalRows is > 0 and var t ? Math.Min(0.99, Math.Round((double)e.Rows / t, 3)) : null,
        e.FileName, e.Size, e.Error, e.CreatedAt, e.FinishedAt, e.ExpiresAt, e.Status == ExportStatus.Done ? $"/api/v1/exports/{e.Id}/file" : null);
}

/// <summary>Wakes the export worker when an export is queued on this node.</summary>
public sealed class ReportExportSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Notify() => _signal.Release();

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}

/// <summary>
/// Background exports (PRODUCT A4): a request is queued, the worker writes the file (CSV or XLSX, streamed, any
/// size) with its progress, and the person who asked downloads it until it expires. Only the owner sees an export;
/// it is produced inside the owner's data boundary as it is when it runs; every finished export is audited.
/// </summary>
public sealed partial class ReportExports(
    OmnichatDbContext db, ReportExporter exporter, IFileStorage storage, MailQueue mail, ReportExportSignal signal, TimeProvider time,
    IOptions<OmnichatOptions> options, IServiceScopeFactory scopes, ILogger<ReportExports> logger)
{
    public const long MaxMailAttachmentBytes = 10 * 1024 * 1024;

    public async Task<ReportExportView> CreateAsync(StaffScope scope, string report, string format, ReportQuery q, bool english, char separator,
        CancellationToken cancellationToken, Guid? scheduleId = null)
    {
        if (!ReportExporter.Exportable.Contains(report))
        {
            throw new FieldValidationException("report", "'report' is one of: " + string.Join(", ", ReportExporter.Exportable) + ".");
        }

        if (!ExportWriter.Formats.Contains(format))
        {
            throw new FieldValidationException("format", "'format' is csv or xlsx.");
        }

        await q.ValidateAsync(db, scope, cancellationToken);
        var now = time.GetUtcNow();
        var export = new ReportExport
        {
            Id = Guid.CreateVersion7(), OwnerId = scope.OperatorId.Value, OwnerIsApiKey = scope.IsApiKey, English = english, Separator = separator.ToString(),
            Report = report, Format = format, Query = JsonSerializer.Serialize(q.ToParameters().ToList()), Status = ExportStatus.Queued,
            FileName = ReportExporter.FileName(report, q, format, options.Value.Reports.Zone), ScheduleId = scheduleId, CreatedAt = now,
            ExpiresAt = now + options.Value.Reports.ExportLifetime,
        };
        db.ReportExports.Add(export);
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return ReportExportView.From(export);
    }

    public async Task<IReadOnlyList<ReportExportView>> ListAsync(StaffScope scope, CancellationToken cancellationToken) =>
        [.. (await db.ReportExports.AsNoTracking().Where(e => e.OwnerId == scope.OperatorId.Value).OrderByDescending(e => e.CreatedAt).Take(50)
            .ToListAsync(cancellationToken)).Select(ReportExportView.From)];

    public async Task<ReportExportView> GetAsync(StaffScope scope, Guid id, CancellationToken cancellationToken) =>
        ReportExportView.From(await OwnAsync(scope, id, cancellationToken));

    public async Task<(Stream Content, string FileName, string ContentType)> OpenAsync(StaffScope scope, Guid id, CancellationToken cancellationToken)
    {
        var export = await OwnAsync(scope, id, cancellationToken);
        if (export.Status != ExportStatus.Done)
        {
            throw new ConflictException($"The export is {export.Status.ToString().ToLowerInvariant()}; download it when it is done.", "id");
        }

        try
        {
            return (await storage.OpenReadAsync(Key(export), cancellationToken), export.FileName, ExportWriter.ContentType(export.Format));
        }
        catch (FileNotFoundException)
        {
            throw new NotFoundException("Export file", id);
        }
    }

    private async Task<ReportExport> OwnAsync(StaffScope scope, Guid id, CancellationToken cancellationToken) =>
        await db.ReportExports.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.OwnerId == scope.OperatorId.Value, cancellationToken)
        ?? throw new NotFoundException("Export", id);

    private static string Key(ReportExport e) => FileKeys.Export(e.Id, e.Format);

    /// <summary>Claims the oldest queued export and produces it; false when there was none.</summary>
    public async Task<bool> RunNextAsync(CancellationToken cancellationToken)
    {
        var next = await db.ReportExports.AsNoTracking().Where(e => e.Status == ExportStatus.Queued).OrderBy(e => e.CreatedAt).Select(e => e.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (next == Guid.Empty)
        {
            return false;
        }

        // Claimed by one node only: the status changes from queued exactly once.
        var claimed = await db.ReportExports.Where(e => e.Id == next && e.Status == ExportStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, ExportStatus.Running), cancellationToken);
        if (claimed == 0)
        {
            return true;
        }

        var export = await db.ReportExports.AsNoTracking().FirstAsync(e => e.Id == next, cancellationToken);
        var temp = Path.Combine(Path.GetTempPath(), $"omnichat-export-{export.Id:N}.tmp");
        try
        {
            var principal = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(export.OwnerIsApiKey ? StaffScope.ApiKeyClaim : ClaimTypes.NameIdentifier, export.OwnerId.ToString())], "export"));
            var scope = await StaffScope.ForAsync(db, principal, cancellationToken);
            if (!scope.Has(Permissions.Export))
            {
                throw new ForbiddenException("The owner may no longer export reports.");
            }

            var parameters = JsonSerializer.Deserialize<List<KeyValuePair<string, string>>>(export.Query) ?? [];
            var q = ReportQuery.FromParameters(parameters, options.Value.Reports.Zone, time.GetUtcNow());
            var total = await exporter.CountAsync(scope, export.Report, q, cancellationToken);
            await db.ReportExports.Where(e => e.Id == export.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.TotalRows, total), cancellationToken);
            long rows = 0;
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 65536, useAsync: true))
            {
                var lastReport = DateTimeOffset.MinValue;
                await exporter.WriteAsync(file, scope, export.Report, export.Format, q, export.English, export.Separator[0], n =>
                {
                    rows = n;
                    if (time.GetUtcNow() - lastReport > TimeSpan.FromMilliseconds(500))
                    {
                        lastReport = time.GetUtcNow();
                        // Progress for the bar, through a context of its own: this one is busy reading the rows.
                        using var progressScope = scopes.CreateScope();
                        progressScope.ServiceProvider.GetRequiredService<OmnichatDbContext>().ReportExports.Where(e => e.Id == export.Id)
                            .ExecuteUpdate(s => s.SetProperty(e => e.Rows, n));
                    }
                }, cancellationToken);
            }

            var size = new FileInfo(temp).Length;
            await using (var file = File.OpenRead(temp))
            {
                await storage.SaveAsync(Key(export), file, cancellationToken);
            }

            var now = time.GetUtcNow();
            db.AuditRecords.Add(Audit.AuditRecord.Create(scope.Actor, "report.export", "report", export.Report, export.Id.ToString(), null,
                new { format = export.Format, rows, query = parameters.Select(p => p.Key + "=" + p.Value) }, now));
            await db.SaveChangesAsync(cancellationToken);
            if (export.ScheduleId is { } scheduleId)
            {
                await MailScheduledAsync(scheduleId, export, temp, size, cancellationToken);
            }

            await db.ReportExports.Where(e => e.Id == export.Id).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, ExportStatus.Done).SetProperty(e => e.Rows, rows).SetProperty(e => e.TotalRows, rows)
                .SetProperty(e => e.Size, size).SetProperty(e => e.FinishedAt, now), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, export.Id, ex);
            var message = ex is OmnichatException ? ex.Message : "The export failed; try again or narrow the period.";
            await db.ReportExports.Where(e => e.Id == export.Id).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, ExportStatus.Failed).SetProperty(e => e.Error, message).SetProperty(e => e.FinishedAt, time.GetUtcNow()),
                CancellationToken.None);
        }
        finally
        {
            File.Delete(temp);
        }

        return true;
    }

    private async Task MailScheduledAsync(Guid scheduleId, ReportExport export, string file, long size, CancellationToken cancellationToken)
    {
        var schedule = await db.ReportSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        if (schedule?.Email is not { Length: > 0 } to)
        {
            return;
        }

        var subject = (export.English ? "Report: " : "Отчёт: ") + schedule.Name;
        var attach = size <= MaxMailAttachmentBytes;
        var text = attach
            ? (export.English ? "The scheduled report is attached." : "Отчёт по расписанию во вложении.")
            : (export.English ? $"The report is too large to attach ({size} bytes); download it in Omnichat: /reports/exports"
                : $"Отчёт слишком велик для вложения ({size} байт); скачайте его в Omnichat: /reports/exports");
        mail.Enqueue(db, new MailDraft("report", to, null, subject, "<p>" + System.Net.WebUtility.HtmlEncode(text) + "</p>", text,
            attach ? [(export.FileName, ExportWriter.ContentType(export.Format), await File.ReadAllBytesAsync(file, cancellationToken))] : null));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = await db.ReportExports.Where(e => e.ExpiresAt < now).Take(100).ToListAsync(cancellationToken);
        foreach (var e in expired)
        {
            await storage.DeleteAsync(Key(e), cancellationToken);
            db.ReportExports.Remove(e);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export {ExportId} failed.")]
    private static partial void LogFailed(ILogger logger, Guid exportId, Exception exception);
}

/// <summary>Produces queued exports (worker nodes), woken by the signal or the poll interval.</summary>
public sealed partial class ReportExportWorker(IServiceScopeFactory scopes, ReportExportSignal signal, IOptions<OmnichatOptions> options,
    ILogger<ReportExportWorker> logger) : BackgroundService
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The export worker failed a pass; it tries again.")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                bool any;
                do
                {
                    await using var scope = scopes.CreateAsyncScope();
                    any = await scope.ServiceProvider.GetRequiredService<ReportExports>().RunNextAsync(stoppingToken);
                }
                while (any && !stoppingToken.IsCancellationRequested);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }

            try
            {
                await signal.WaitAsync(options.Value.Reports.ExportPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
