using System.Globalization;
using Omnichat.Core.Reporting;

namespace Omnichat.Web.Reports;

/// <summary>Report filters as URL parameters: the pages keep their state in the address, so every view and drill-down is a link.</summary>
public static class ReportLinks
{
    /// <summary>The filter parameters a report page passes on (not its own view settings).</summary>
    public static readonly string[] Filters = ["preset", "from", "to", "bucket", "channelId", "skillGroupId", "operatorId", "branchId", "regionId", "topic"];

    public static string Query(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The dimension filter a row of a by-dimension report stands for.</summary>
    public static string? DimensionOf(string report) => report switch
    {
        "groups" => "skillGroupId",
        "channels" => "channelId",
        "operators" or "missed" or "activity" => "operatorId",
        "branches" => "branchId",
        "regions" => "regionId",
        "topics" => "topic",
        _ => null,
    };

    /// <summary>The drill-down counter behind a column, if the column counts conversations.</summary>
    public static string? DrillOf(string report, string column, string rowKey) => report switch
    {
        "csat" when column == "rated" && rowKey is "1" or "2" or "3" or "4" or "5" => "rating" + rowKey,
        "csat" => "rated",
        _ => ReportMetrics.DrillCounter(column) is not null ? column
            : column is "serviceLevel" or "asa" or "waitMean" or "waitMax" or "waitP50" or "waitP90" ? "answered"
            : column is "aht" or "wrapUp" ? "handled"
            : column is "csat" ? "rated"
            : column is "abandonRate" ? "abandoned"
            : null,
    };

    /// <summary>The conversations behind one cell: the page's filters, the row's period and dimension, the counter.</summary>
    public static string Drill(IReadOnlyList<KeyValuePair<string, string>> filters, string report, ReportRow row, string metric)
    {
        var dimension = DimensionOf(report);
        var p = filters.Where(f => f.Key is not ("from" or "to" or "preset" or "bucket") && f.Key != dimension).ToList();
        if (row.From is { } from && row.To is { } to)
        {
            p.Add(new("from", Iso(from)));
            p.Add(new("to", Iso(to)));
        }

        if (dimension is not null && row.Key != "total")
        {
            p.Add(new(dimension, row.Key.Length == 0 ? "" : row.Key));
        }

        p.Add(new("metric", metric));
        return "/reports/conversations?" + Query(p);
    }
}
