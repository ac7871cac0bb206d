using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Omnichat.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class MessageSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Conversation search (TextSearch.MessagesContaining): an FTS5 trigram index over message texts —
            // substring matches in any case, Cyrillic included. It keeps its own copy of the text with the
            // message and conversation ids (not an external-content table: the messages table has no integer
            // primary key, and VACUUM may renumber its rowids). Triggers keep it in step.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE messages_fts USING fts5("Text", "MessageId" UNINDEXED, "ConversationId" UNINDEXED, tokenize = 'trigram');
                INSERT INTO messages_fts ("Text", "MessageId", "ConversationId") SELECT "Text", "Id", "ConversationId" FROM messages WHERE "Text" IS NOT NULL;
                CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new."Text" IS NOT NULL BEGIN
                    INSERT INTO messages_fts ("Text", "MessageId", "ConversationId") VALUES (new."Text", new."Id", new."ConversationId");
                END;
                CREATE TRIGGER messages_fts_update AFTER UPDATE OF "Text" ON messages BEGIN
                    DELETE FROM messages_fts WHERE "MessageId" = old."Id";
                    INSERT INTO messages_fts ("Text", "MessageId", "ConversationId") SELECT new."Text", new."Id", new."ConversationId" WHERE new."Text" IS NOT NULL;
                END;
                CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
                    DELETE FROM messages_fts WHERE "MessageId" = old."Id";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS messages_fts_delete;
                DROP TRIGGER IF EXISTS messages_fts_update;
                DROP TRIGGER IF EXISTS messages_fts_insert;
                DROP TABLE IF EXISTS messages_fts;
                """);
        }
    }
}
