using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Omnichat.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Files : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_message_attachments_MessageId",
                table: "message_attachments");

            migrationBuilder.AlterColumn<Guid>(
                name: "MessageId",
                table: "message_attachments",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AddColumn<Guid>(
                name: "ChannelId",
                table: "message_attachments",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "ConversationId",
                table: "message_attachments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CreatedAt",
                table: "message_attachments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "Height",
                table: "message_attachments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviewKey",
                table: "message_attachments",
                type: "TEXT",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Sha256",
                table: "message_attachments",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "UploadedBy",
                table: "message_attachments",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "UploadedByKind",
                table: "message_attachments",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Width",
                table: "message_attachments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_message_attachments_ConversationId",
                table: "message_attachments",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_message_attachments_MessageId_CreatedAt",
                table: "message_attachments",
                columns: new[] { "MessageId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_message_attachments_UploadedBy_MessageId",
                table: "message_attachments",
                columns: new[] { "UploadedBy", "MessageId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_message_attachments_ConversationId",
                table: "message_attachments");

            migrationBuilder.DropIndex(
                name: "IX_message_attachments_MessageId_CreatedAt",
                table: "message_attachments");

            migrationBuilder.DropIndex(
                name: "IX_message_attachments_UploadedBy_MessageId",
                table: "message_attachments");

            migrationBuilder.DropColumn(
                name: "ChannelId",
                table: "message_attachments");

            migrationBuilder.DropColumn(
                name: "ConversationId",
                table: "message_attachments");

            migrationBuilder.DropColumn(
                name: "CreatedAt",
                table: "message_attachments");

            migrationBuilder.DropColumn(
                name: "Height",
                table: "message_attachments");

            migrationBuilder.DropColumn(
                name: "PreviewKey",
                table: "message_attachments");

            migrationBuilder.DropColumn(
                name: "Sha256",
                table: "message_attachments");

            migrationBuilder.DropColumn(
                name: "UploadedBy",
                table: "message_attachments");

            migrationBuilder.DropColumn(
                name: "UploadedByKind",
                table: "message_attachments");

            migrationBuilder.DropColumn(
                name: "Width",
                table: "message_attachments");

            migrationBuilder.AlterColumn<Guid>(
                name: "MessageId",
                table: "message_attachments",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_message_attachments_MessageId",
                table: "message_attachments",
                column: "MessageId");
        }
    }
}
