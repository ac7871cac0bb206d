using Microsoft.EntityFrameworkCore;

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

    /// <summary>
    /// The messages whose text contains <paramref name="word"/> in any case, through an index: on SQLite the
    /// FTS5 trigram table (words of three or more characters; shorter ones scan), on PostgreSQL a
    /// <c>pg_trgm</c> GIN index over the folded text that serves the <c>LIKE</c>.
    /// </summary>
    public static IQueryable<Conversations.Message> MessagesContaining(OmnichatDbContext db, string word)
    {
        var folded = word.ToLowerInvariant();
        if (db.Database.IsSqlite() && folded.EnumerateRunes().Count() >= 3)
        {
            var phrase = "\"" + folded.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            return db.Messages.FromSql(
                $"SELECT m.* FROM messages AS m WHERE m.\"Id\" IN (SELECT \"MessageId\" FROM messages_fts WHERE messages_fts MATCH {phrase})");
        }

        var pattern = "%" + folded.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
        return db.Messages.Where(m => EF.Functions.Like(Fold(m.Text)!, pattern, "\\"));
    }
}
