using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Reporting;

/// <summary>
/// Writes any report table, the conversation list (one row per conversation with its figures) or the transcripts of
/// the matching conversations (one row per message) as CSV or XLSX, streaming from the database to the output.
/// </summary>
public sealed class ReportExporter(OmnichatDbContext db, RunReport reports, ListReportConversations conversations)
{
    public const string Conversations = "conversations";
    public const string Transcripts = "transcripts";

    public static IEnumerable<string> Exportable => RunReport.Tables.Append(Conversations).Append(Transcripts);

    public static string FileName(string report, ReportQuery q, string format, TimeZoneInfo zone) =>
        $"omnichat-{report}-{TimeZoneInfo.ConvertTime(q.From, zone):yyyyMMdd}-{TimeZoneInfo.ConvertTime(q.To.AddSeconds(-1), zone):yyyyMMdd}.{format}";

    /// <summary>Counts the rows an export will have (for the progress bar); null when it is cheap to skip.</summary>
    public async Task<long?> CountAsync(StaffScope scope, string report, ReportQuery q, CancellationToken cancellationToken) => report switch
    {
        Conversations => await conversations.CountAsync(scope, q, cancellationToken),
        Transcripts => await db.Messages.Where(m => conversations.Matching(scope, q).Select(c => c.Id).Contains(m.ConversationId)
                                                    && m.Direction != MessageDirection.Note).LongCountAsync(cancellationToken),
        _ => null,
    };

    public async Task WriteAsync(Stream output, StaffScope scope, string report, string format, ReportQuery q, bool english, char separator,
        Action<long>? progress, CancellationToken cancellationToken)
    {
        if (!Exportable.Contains(report))
        {
            throw new NotFoundException("Report", report);
        }

        if (!ExportWriter.Formats.Contains(format))
        {
            throw new FieldValidationException("format", "'format' is one of: json, csv, xlsx.");
        }

        await q.ValidateAsync(db, scope, cancellationToken);
        await using var sortInMemory = await SortInMemoryAsync(report, cancellationToken);
        await using var writer = await ExportWriter.CreateAsync(output, format, report, separator, reports.Zone, cancellationToken);
        long rows = 0;
        switch (report)
        {
            case Conversations:
                await writer.HeaderAsync(ConversationTitles(english), cancellationToken);
                await StreamingRead.RunAsync(db, async ct =>
                {
                    await foreach (var r in conversations.StreamAsync(scope, q, ct))
                    {
                        await writer.RowAsync(
                        [
                            r.Id.ToString(), r.CreatedAt, r.Channel, r.SkillGroup, r.Operator, r.Client, r.Status.ToString().ToLowerInvariant(), r.Topic, r.Resolution,
                            string.Join(", ", r.Tags), r.FirstQueuedAt, r.AnsweredAt, r.WaitSeconds, r.FirstResponseSeconds, r.HandleSeconds, r.ResolutionSeconds,
                            r.ClosedAt, r.ClosedBy?.ToString().ToLowerInvariant(), r.Transfers, r.MissedOffers, r.Abandoned, r.Rating, r.ClientMessages, r.OperatorMessages,
                        ], ct);
                        Tick(ref rows, progress);
                    }
                }, cancellationToken);

                break;
            case Transcripts:
                await writer.HeaderAsync(english
                    ? ["Conversation", "No.", "Time", "Direction", "Author", "Author id", "Text", "Files"]
                    : ["Обращение", "№", "Время", "Направление", "Автор", "Id автора", "Текст", "Файлы"], cancellationToken);
                var ids = conversations.Matching(scope, q).Select(c => c.Id);
                var messages = db.Messages.AsNoTracking().Where(m => ids.Contains(m.ConversationId) && m.Direction != MessageDirection.Note)
                    .OrderBy(m => m.ConversationId).ThenBy(m => m.Seq)
                    .Select(m => new { m.ConversationId, m.Seq, m.CreatedAt, m.Direction, m.AuthorKind, m.AuthorId, m.Text, Files = m.Attachments.Select(a => a.FileName).ToList() });
                await StreamingRead.RunAsync(db, async ct =>
                {
                    await foreach (var m in messages.AsAsyncEnumerable().WithCancellation(ct))
                    {
                        await writer.RowAsync(
                        [
                            m.ConversationId.ToString(), m.Seq, m.CreatedAt, m.Direction.ToString().ToLowerInvariant(), m.AuthorKind.ToString().ToLowerInvariant(),
                            m.AuthorId, m.Text, string.Join(", ", m.Files),
                        ], ct);
                        Tick(ref rows, progress);
                    }
                }, cancellationToken);

                break;
            default:
                var result = await reports.HandleAsync(scope, report, q, english, cancellationToken);
                await writer.HeaderAsync([english ? "Row" : "Строка", .. result.Columns.Select(c => c.Title)], cancellationToken);
                foreach (var row in result.Rows.Concat(result.Total is { } t && report != "summary" ? [t] : []))
                {
                    await writer.RowAsync([row.Label, .. result.Columns.Select(c => (object?)row.Values.GetValueOrDefault(c.Id))], cancellationToken);
                    Tick(ref rows, progress);
                }

                break;
        }

        progress?.Invoke(rows);
    }

    /// <summary>Sort memory for one export's query on PostgreSQL (<see cref="ExportSortMemory"/>).</summary>
    public const string ExportSortMemory = "256MB";

    /// <summary>
    /// The row exports sort a whole period before their first row; on PostgreSQL the export's connection gets more sort
    /// memory for the time of the export (<c>SET work_mem</c>, reset afterwards; the pool also resets returned
    /// connections), so the sort runs in memory instead of spilling to disk (3.4 s instead of 3.8 s for a million
    /// conversations). Null when not needed.
    /// </summary>
    private async Task<IAsyncDisposable?> SortInMemoryAsync(string report, CancellationToken cancellationToken)
    {
        if (report is not (Conversations or Transcripts) || !db.Database.IsNpgsql())
        {
            return null;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SET work_mem = '" + ExportSortMemory + "'", cancellationToken);
        return new SortMemory(db);
    }

    private sealed class SortMemory(OmnichatDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await db.Database.ExecuteSqlRawAsync("RESET work_mem");
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
            {
                // A broken connection is not reused; the pool resets a returned one anyway. The export's own error stands.
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private static void Tick(ref long rows, Action<long>? progress)
    {
        rows++;
        if (rows % 5000 == 0)
        {
            progress?.Invoke(rows);
        }
    }

    public static IReadOnlyList<string> ConversationTitles(bool english) => english
        ?
        [
            "Id", "Created", "Channel", "Skill group", "Operator", "Client", "Status", "Topic", "Resolution", "Tags", "Queued", "Answered", "Wait, s",
            "First response, s", "Handle time, s", "Resolution time, s", "Closed", "Closed by", "Transfers", "Missed offers", "Abandoned", "Rating",
            "Client messages", "Operator messages",
        ]
        :
        [
            "Id", "Создано", "Канал", "Скилл-группа", "Оператор", "Клиент", "Статус", "Тема", "Результат", "Теги", "В очереди с", "Принято", "Ожидание, с",
            "Первый ответ, с", "Время обработки, с", "Время решения, с", "Закрыто", "Кем закрыто", "Переводы", "Пропущенные предложения", "Потеряно", "Оценка",
            "Сообщений клиента", "Сообщений оператора",
        ];
}
