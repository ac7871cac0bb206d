using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Omnichat.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class MessageSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Conversation search (TextSearch.MessagesContaining): a trigram GIN index over the folded text, the
            // same expression the query's LIKE uses, so substring searches in any case do not scan every message.
            // pg_trgm ships with PostgreSQL and is a trusted extension (the database owner may create it).
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX "IX_messages_text_trgm" ON messages USING gin (lower("Text" COLLATE "und-x-icu") gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_messages_text_trgm";""");
        }
    }
}
