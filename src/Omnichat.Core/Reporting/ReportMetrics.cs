namespace Omnichat.Core.Reporting;

/// <summary>How a figure is shown: a count, a duration in seconds, or a share (0–1).</summary>
public enum MetricKind
{
    Count,
    Seconds,
    Share,
    Number,
}

/// <summary>A figure of a report row, computed from summed counters (PRODUCT "Definitions").</summary>
public sealed record ReportMetric(string Id, string Ru, string En, MetricKind Kind, Func<ReportCounters, double?> Value)
{
    public string Title(bool english) => english ? En : Ru;
}

public static class ReportMetrics
{
    private static double? Ratio(double part, double whole) => whole > 0 ? Math.Round(part / whole, 4) : null;

    private static double? Mean(long ms, long count) => count > 0 ? Math.Round(ms / 1000.0 / count, 1, MidpointRounding.AwayFromZero) : null;

    /// <summary>The figures of the conversation reports (summary, intervals, by dimension), in column order.</summary>
    public static IReadOnlyList<ReportMetric> Conversation { get; } =
    [
        new("conversations", "Обращения", "Conversations", MetricKind.Count, c => c.Conversations),
        new("offered", "Поступило в очередь", "Offered", MetricKind.Count, c => c.Offered),
        new("answered", "Принято", "Answered", MetricKind.Count, c => c.Answered),
        new("abandoned", "Потеряно", "Abandoned", MetricKind.Count, c => c.Abandoned),
        new("abandonedShort", "Короткие потери", "Short abandons", MetricKind.Count, c => c.AbandonedShort),
        new("abandonRate", "Доля потерянных", "Abandon rate", MetricKind.Share, c => Ratio(c.Abandoned - c.AbandonedShort, c.Offered - c.AbandonedShort)),
        new("flowedOut", "Переведено из очереди", "Flowed out", MetricKind.Count, c => c.FlowedOut),
        new("serviceLevel", "Уровень сервиса", "Service level", MetricKind.Share, c => Ratio(c.AnsweredInSl, c.Offered - c.AbandonedInSl)),
        new("asa", "Среднее время ответа (ASA), с", "ASA, s", MetricKind.Seconds, c => Mean(c.WaitAnsweredMs, c.Answered)),
        new("waitMean", "Среднее ожидание, с", "Mean wait, s", MetricKind.Seconds, c => Mean(c.WaitAnsweredMs + c.WaitAbandonedMs, c.Answered + c.Abandoned)),
        new("waitMax", "Макс. ожидание, с", "Max wait, s", MetricKind.Seconds, c => c.Answered + c.Abandoned > 0 ? Math.Round(c.WaitMaxMs / 1000.0, 1) : null),
        new("waitP50", "Ожидание, медиана, с", "Wait median, s", MetricKind.Seconds, c => Percentile(c, 0.5)),
        new("waitP90", "Ожидание, 90-й перцентиль, с", "Wait 90th percentile, s", MetricKind.Seconds, c => Percentile(c, 0.9)),
        new("missedOffers", "Пропущенные предложения", "Missed offers", MetricKind.Count, c => c.MissedOffers + c.DeclinedOffers),
        new("transfers", "Переводы", "Transfers", MetricKind.Count, c => c.TransfersOut + c.FlowedOut),
        new("handled", "Обработано", "Handled", MetricKind.Count, c => c.Handled),
        new("aht", "Среднее время обработки (AHT), с", "AHT, s", MetricKind.Seconds, c => Mean(c.HandleMs, c.Handled)),
        new("wrapUp", "Постобработка, с", "Wrap-up, s", MetricKind.Seconds, c => Mean(c.WrapUpMs, c.Handled)),
        new("firstResponse", "Время первого ответа, с", "First response, s", MetricKind.Seconds, c => Mean(c.FirstResponseMs, c.FirstResponses)),
        new("replyTime", "Время ответа на сообщение, с", "Reply time, s", MetricKind.Seconds, c => Mean(c.ReplyMs, c.Replies)),
        new("closed", "Закрыто", "Closed", MetricKind.Count, c => c.Closed),
        new("resolution", "Время решения, с", "Resolution time, s", MetricKind.Seconds, c => Mean(c.ResolutionMs, c.Closed)),
        new("rated", "Оценено", "Rated", MetricKind.Count, c => c.Rated),
        new("csat", "CSAT", "CSAT", MetricKind.Share, c => Ratio(c.Rating4 + c.Rating5, c.Rated)),
    ];

    /// <summary>Operator activity: time per state (seconds), occupancy and concurrency.</summary>
    public static IReadOnlyList<string> ActivityColumns { get; } = ["ready", "notReady", "engaged", "available", "occupancy", "concurrency"];

    /// <summary>Drill-down metrics: conversations that counted in the counter behind the figure.</summary>
    public static IReadOnlyDictionary<string, string> Drill { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["conversations"] = nameof(ReportCounters.Conversations),
        ["offered"] = nameof(ReportCounters.Offered),
        ["answered"] = nameof(ReportCounters.Answered),
        ["answeredInSl"] = nameof(ReportCounters.AnsweredInSl),
        ["abandoned"] = nameof(ReportCounters.Abandoned),
        ["abandonedShort"] = nameof(ReportCounters.AbandonedShort),
        ["flowedOut"] = nameof(ReportCounters.FlowedOut),
        ["missedOffers"] = nameof(ReportCounters.MissedOffers),
        ["declinedOffers"] = nameof(ReportCounters.DeclinedOffers),
        ["handled"] = nameof(ReportCounters.Handled),
        ["transfers"] = nameof(ReportCounters.TransfersOut),
        ["closed"] = nameof(ReportCounters.Closed),
        ["rated"] = nameof(ReportCounters.Rated),
        ["rating1"] = nameof(ReportCounters.Rating1),
        ["rating2"] = nameof(ReportCounters.Rating2),
        ["rating3"] = nameof(ReportCounters.Rating3),
        ["rating4"] = nameof(ReportCounters.Rating4),
        ["rating5"] = nameof(ReportCounters.Rating5),
    };

    public static IEnumerable<string> DrillMetrics => Drill.Keys;

    public static string? DrillCounter(string metric) => Drill.TryGetValue(metric, out var c) ? c : null;

    /// <summary>
    /// A waiting-time percentile of answered conversations from the histogram (10/20/30/60/120/300/600 s buckets),
    /// interpolated linearly inside the bucket; beyond 600 s the maximum bounds the last bucket.
    /// </summary>
    public static double? Percentile(ReportCounters c, double p)
    {
        var counts = ReportCounters.WaitBuckets.Select(b => (long)b.Counter.GetValue(c)!).ToList();
        var total = counts.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = p * total;
        var lower = 0.0;
        long seen = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            var upper = ReportCounters.WaitBuckets[i].UpToSeconds == int.MaxValue
                ? Math.Max(600, c.WaitMaxMs / 1000.0) : ReportCounters.WaitBuckets[i].UpToSeconds;
            if (counts[i] > 0 && seen + counts[i] >= rank)
            {
                return Math.Round(lower + ((upper - lower) * (rank - seen) / counts[i]), 1);
            }

            seen += counts[i];
            lower = upper;
        }

        return Math.Round(lower, 1);
    }
}
