using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Omnichat.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ConversationHandling : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_messages_ConversationId_ClientMessageId",
                table: "messages");

            migrationBuilder.AddColumn<string>(
                name: "StatusReason",
                table: "operators",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "OperatorReadSeq",
                table: "conversations",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_messages_AuthorId_ClientMessageId",
                table: "messages",
                columns: new[] { "AuthorId", "ClientMessageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_conversations_one_open_per_client_channel",
                table: "conversations",
                columns: new[] { "ClientId", "ChannelId" },
                unique: true,
                filter: "\"Status\" NOT IN ('Closed', 'Rated')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_messages_AuthorId_ClientMessageId",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "IX_conversations_one_open_per_client_channel",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "StatusReason",
                table: "operators");

            migrationBuilder.DropColumn(
                name: "OperatorReadSeq",
                table: "conversations");

            migrationBuilder.CreateIndex(
                name: "IX_messages_ConversationId_ClientMessageId",
                table: "messages",
                columns: new[] { "ConversationId", "ClientMessageId" },
                unique: true);
        }
    }
}
