using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Omnichat.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class MessengerPipeline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "messenger_deliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ChannelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AttachmentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Position = table.Column<long>(type: "INTEGER", nullable: false),
                    Recipient = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    IdempotencyKey = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClaimedUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    VendorMessageId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_messenger_deliveries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "messenger_inbox",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ChannelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClaimedUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_messenger_inbox", x => x.Id);
                    table.ForeignKey(
                        name: "FK_messenger_inbox_channels_ChannelId",
                        column: x => x.ChannelId,
                        principalTable: "channels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "messenger_poll_cursors",
                columns: table => new
                {
                    ChannelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Cursor = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_messenger_poll_cursors", x => x.ChannelId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_messenger_deliveries_ChannelId_VendorMessageId",
                table: "messenger_deliveries",
                columns: new[] { "ChannelId", "VendorMessageId" });

            migrationBuilder.CreateIndex(
                name: "IX_messenger_deliveries_ConversationId_Status_Position",
                table: "messenger_deliveries",
                columns: new[] { "ConversationId", "Status", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_messenger_deliveries_MessageId",
                table: "messenger_deliveries",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_messenger_deliveries_Status_NextAttemptAt",
                table: "messenger_deliveries",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_messenger_inbox_ChannelId_Key",
                table: "messenger_inbox",
                columns: new[] { "ChannelId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_messenger_inbox_Status_NextAttemptAt",
                table: "messenger_inbox",
                columns: new[] { "Status", "NextAttemptAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "messenger_deliveries");

            migrationBuilder.DropTable(
                name: "messenger_inbox");

            migrationBuilder.DropTable(
                name: "messenger_poll_cursors");
        }
    }
}
