namespace Omnichat.Core.Kernel;

/// <summary>
/// Case-insensitive text matching that works for Cyrillic on both databases: <see cref="Fold"/> maps to
/// PostgreSQL's <c>lower()</c> under the ICU root collation (Unicode-aware even when the database's locale is
/// C) and to <c>oc_fold</c> on SQLite, a
/// function <see cref="SqliteTuning"/> registers on every connection (SQLite's own <c>lower()</c> folds
/// ASCII only).
/// </summary>
public static class TextSearch
{
    public const string SqliteFunction = "oc_fold";

    /// <summary>PostgreSQL's predefined ICU root collation (PostgreSQL built with ICU, as Debian's is).</summary>
    public const string PostgresCollation = "und-x-icu";

    /// <summary>Lower-cases text inside a query; not for use outside LINQ to the database.</summary>
    public static string? Fold(string? text) => text?.ToLowerInvariant();
}
