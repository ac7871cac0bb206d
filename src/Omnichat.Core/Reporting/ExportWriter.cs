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
    private readonly SpoolStream? _spool;
    private readonly Spreadsheet? _xlsx;
    private readonly TimeZoneInfo _zone;
    private readonly CultureInfo _numbers;
    private DataCell[] _cells = [];

    private ExportWriter(CsvWriter? csv, SpoolStream? spool, Spreadsheet? xlsx, TimeZoneInfo zone, CultureInfo numbers)
    {
        _csv = csv;
        _spool = spool;
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
            // The zip container underneath writes synchronously at times: the spool passes it on asynchronously.
            var xlsxSpool = new SpoolStream(output);
            var spreadsheet = await Spreadsheet.CreateNewAsync(xlsxSpool, new SpreadCheetahOptions { BufferSize = 65536 }, cancellationToken);
            await spreadsheet.StartWorksheetAsync(sheet, token: cancellationToken);
            return new ExportWriter(null, xlsxSpool, spreadsheet, zone, CultureInfo.InvariantCulture);
        }

        var numbers = separator == ';' ? CultureInfo.GetCultureInfo("ru-RU") : CultureInfo.InvariantCulture;
        var config = new CsvConfiguration(numbers)
        {
            Delimiter = separator.ToString(),
            InjectionOptions = InjectionOptions.Escape,
            NewLine = "\r\n",
        };
        // The CSV writer writes synchronously; the spool takes those writes in memory and passes them on asynchronously
        // (servers refuse synchronous writes to a response), a buffer's worth at a time.
        var spool = new SpoolStream(output);
        var writer = new StreamWriter(spool, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 16384, leaveOpen: true);
        return new ExportWriter(new CsvWriter(writer, config), spool, null, zone, numbers);
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
            await _spool!.DrainAsync(64 * 1024, cancellationToken);
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
        await _spool!.DrainAsync(64 * 1024, cancellationToken);
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
            await _spool!.DrainAsync(0, CancellationToken.None);
            await _spool.DisposeAsync();
        }

        if (_xlsx is not null)
        {
            await _xlsx.FinishAsync();
            await _xlsx.DisposeAsync();
            await _spool!.DrainAsync(0, CancellationToken.None);
            await _spool.DisposeAsync();
        }
    }
}

/// <summary>Takes synchronous writes into memory and passes them to the real stream asynchronously when drained.</summary>
internal sealed class SpoolStream(Stream inner) : Stream
{
    private readonly MemoryStream _buffer = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => _buffer.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _buffer.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _buffer.Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _buffer.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Sync flushes keep the bytes here; <see cref="DrainAsync"/> passes them on.</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Writes what is held to the real stream once it is at least <paramref name="threshold"/> bytes.</summary>
    public async Task DrainAsync(int threshold, CancellationToken cancellationToken)
    {
        if (_buffer.Length == 0 || _buffer.Length < threshold)
        {
            return;
        }

        await inner.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), cancellationToken);
        _buffer.SetLength(0);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer.Dispose();
        }

        base.Dispose(disposing);
    }
}
