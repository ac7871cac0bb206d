using System.Globalization;
using System.Reflection;
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
    private readonly List<Action<NpgsqlBinaryImporter, T>> _columns = [];

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
            var providerType = converter?.ProviderClrType ?? p.ClrType;
            providerType = Nullable.GetUnderlyingType(providerType) ?? providerType;
            var typed = typeof(EntityCopier<T>).GetMethod(nameof(Typed), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(providerType);
            _columns.Add((Action<NpgsqlBinaryImporter, T>)typed.Invoke(null, [get, Facets().Replace(columnType, "")])!);
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
            foreach (var write in _columns)
            {
                write(importer, row);
            }

            n++;
        }

        await importer.CompleteAsync(cancellationToken);
        return n;
    }

    /// <summary>A column writer with the provider value's own type, so Npgsql resolves the column's converter once, not per value.</summary>
    private static Action<NpgsqlBinaryImporter, T> Typed<TValue>(Func<T, object?> get, string dataType) => (importer, row) =>
    {
        if (get(row) is { } value)
        {
            importer.Write((TValue)value, dataType);
        }
        else
        {
            importer.WriteNull();
        }
    };

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
