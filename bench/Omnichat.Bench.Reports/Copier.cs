using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Omnichat.Bench.Reports;

/// <summary>
/// Writes entities of one EF entity type with PostgreSQL binary COPY, columns read from the EF model: each mapped
/// property's column name, value converter (typed ids, enums stored as strings, JSON fields) and column type.
/// Store-generated identity keys (PostgreSQL assigns them; COPY keeps row order) and computed columns are left out.
/// </summary>
internal sealed partial class EntityCopier<T>
    where T : class
{
    private readonly string _command;
    private readonly List<(Func<T, object?> Get, string DataType)> _columns = [];

    public EntityCopier(DbContext db)
    {
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = type.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} has no table.");
        var store = StoreObjectIdentifier.Table(table, type.GetSchema());
        var names = new List<string>();
        foreach (var p in type.GetProperties())
        {
            if (p.GetComputedColumnSql(store) is not null)
            {
                continue;
            }

            if (p.IsPrimaryKey() && NpgsqlPropertyExtensions.GetValueGenerationStrategy(p, store) is NpgsqlValueGenerationStrategy.IdentityByDefaultColumn
                    or NpgsqlValueGenerationStrategy.IdentityAlwaysColumn or NpgsqlValueGenerationStrategy.SerialColumn)
            {
                continue;
            }

            if (p.IsShadowProperty())
            {
                throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} is a shadow property: the copier reads CLR values only.");
            }

            var getter = p.GetGetter();
            var converter = p.GetTypeMapping().Converter;
            Func<T, object?> get = converter is null
                ? e => getter.GetClrValueUsingContainingEntity(e)
                : e => getter.GetClrValueUsingContainingEntity(e) is { } v ? converter.ConvertToProvider(v) : null;
            var columnType = p.GetColumnType(store) ?? throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} has no column type.");
            _columns.Add((get, Facets().Replace(columnType, "")));
            names.Add(p.GetColumnName(store) ?? throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} has no column."));
        }

        Table = table;
        _command = $"COPY \"{table}\" ({string.Join(", ", names.Select(n => $"\"{n}\""))}) FROM STDIN (FORMAT BINARY)";
    }

    public string Table { get; }

    public int Columns => _columns.Count;

    /// <summary>Copies the rows; returns how many.</summary>
    public async Task<long> CopyAsync(NpgsqlConnection connection, IEnumerable<T> rows, CancellationToken cancellationToken = default)
    {
        await using var importer = await connection.BeginBinaryImportAsync(_command, cancellationToken);
        long n = 0;
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var (get, dataType) in _columns)
            {
                if (get(row) is { } value)
                {
                    await importer.WriteAsync(value, dataType, cancellationToken);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
            }

            n++;
        }

        await importer.CompleteAsync(cancellationToken);
        return n;
    }

    /// <summary>"character varying(32)" → "character varying": the data type name without its facets.</summary>
    [GeneratedRegex(@"\(\d+(,\s*\d+)?\)")]
    private static partial Regex Facets();
}

/// <summary>A copy rate for the progress lines.</summary>
internal static class CopyLog
{
    public static string Rate(long rows, TimeSpan elapsed) =>
        (rows / Math.Max(elapsed.TotalSeconds, 1e-9)).ToString("N0", CultureInfo.InvariantCulture) + " rows/s";
}
