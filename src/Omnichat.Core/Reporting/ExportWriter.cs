using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using SpreadCheetah;

namespace Omnichat.Core.Reporting;

/// <summary>
/// Writes rows to CSV or XLSX as they come (constant memory, any size). CSV is UTF-8 with a BOM (Excel reads the
/// Cyrillic right), comma-separated or, for Russian Excel, semicolon-separated with decimal commas; a text field that
/// starts like a formula (=, +, −, @, tab, CR) is prefixed with an apostrophe so spreadsheet programs never run it.
/// XLSX cells are typed (numbers, dates, text) — text is never a formula there.
/// </summary>
public sealed class ExportWriter : IAsyncDisposable
{
    private readonly CsvWriter? _csv;
    private readonly Spreadsheet? _xlsx;
    private readonly TimeZoneInfo _zone;
    private readonly CultureInfo _numbers;
    private DataCell[] _cells = [];

    private ExportWriter(CsvWriter? csv, Spreadsheet? xlsx, TimeZoneInfo zone, CultureInfo numbers)
    {
        _csv = csv;
        _xlsx = xlsx;
        _zone = zone;
        _numbers = numbers;
    }

    public static readonly IReadOnlyList<string> Formats = ["csv", "xlsx"];

    public static string ContentType(string format) =>
        format == "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8";

    public static async Task<ExportWriter> CreateAsync(Stream output, string format, string sheet, char separator, TimeZoneInfo zone,
        CancellationToken cancellationToken)
    {
        if (format == "xlsx")
        {
            var spreadsheet = await Spreadsheet.CreateNewAsync(output, new SpreadCheetahOptions { BufferSize = 65536 }, cancellationToken);
            await spreadsheet.StartWorksheetAsync(sheet, token: cancellationToken);
            return new ExportWriter(null, spreadsheet, zone, CultureInfo.InvariantCulture);
        }

        var numbers = separator == ';' ? CultureInfo.GetCultureInfo("ru-RU") : CultureInfo.InvariantCulture;
        var config = new CsvConfiguration(numbers)
        {
            Delimiter = separator.ToString(),
            InjectionOptions = InjectionOptions.Escape,
            NewLine = "\r\n",
        };
        var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 65536, leaveOpen: true);
        return new ExportWriter(new CsvWriter(writer, config), null, zone, numbers);
    }

    public Task HeaderAsync(IReadOnlyList<string> titles, CancellationToken cancellationToken) => RowAsync([.. titles], cancellationToken);

    /// <summary>One row: strings, numbers, booleans, times (written in the report time zone) or nulls (empty cells).</summary>
    public async Task RowAsync(object?[] values, CancellationToken cancellationToken)
    {
        if (_csv is not null)
        {
            foreach (var v in values)
            {
                _csv.WriteField(Text(v));
            }

            await _csv.NextRecordAsync();
            return;
        }

        if (_cells.Length != values.Length)
        {
            _cells = new DataCell[values.Length];
        }

        for (var i = 0; i < values.Length; i++)
        {
            _cells[i] = values[i] switch
            {
                null => new DataCell(),
                string s => new DataCell(s),
                int n => new DataCell(n),
                long n => new DataCell(n),
                double d => new DataCell(d),
                bool b => new DataCell(b),
                DateTimeOffset t => new DataCell(TimeZoneInfo.ConvertTime(t, _zone).DateTime),
                var other => new DataCell(other.ToString()),
            };
        }

        await _xlsx!.AddRowAsync(_cells, cancellationToken);
    }

    private string Text(object? v) => v switch
    {
        null => "",
        string s => s,
        DateTimeOffset t => TimeZoneInfo.ConvertTime(t, _zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double d => d.ToString(_numbers),
        IFormattable f => f.ToString(null, _numbers),
        var other => other.ToString() ?? "",
    };

    public async ValueTask DisposeAsync()
    {
        if (_csv is not null)
        {
            await _csv.FlushAsync();
            await _csv.DisposeAsync();
        }

        if (_xlsx is not null)
        {
            await _xlsx.FinishAsync();
            await _xlsx.DisposeAsync();
        }
    }
}
