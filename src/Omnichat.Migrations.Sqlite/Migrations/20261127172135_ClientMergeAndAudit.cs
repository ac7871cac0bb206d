using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Omnichat.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ClientMergeAndAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "EmailConfirmed",
                table: "clients",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "EmailKey",
                table: "clients",
                type: "TEXT",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "MergedIntoId",
                table: "clients",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PhoneConfirmed",
                table: "clients",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "PhoneKey",
                table: "clients",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            // Existing clients get their comparison keys (ContactKeys): phones keep only digits (the stored ones
            // contain digits, spaces, ( ) - + only), 8 and ten digits count as +7, fewer than five digits is none.
            migrationBuilder.Sql("""
                UPDATE clients SET "EmailKey" = lower(trim("Email")) WHERE "Email" IS NOT NULL AND trim("Email") <> '';
                UPDATE clients SET "PhoneKey" = replace(replace(replace(replace(replace("Phone", ' ', ''), '(', ''), ')', ''), '-', ''), '+', '')
                    WHERE "Phone" IS NOT NULL;
                UPDATE clients SET "PhoneKey" = '7' || substr("PhoneKey", 2) WHERE length("PhoneKey") = 11 AND substr("PhoneKey", 1, 1) = '8';
                UPDATE clients SET "PhoneKey" = NULL WHERE length("PhoneKey") < 5;
                """);

            migrationBuilder.CreateTable(
                name: "audit_records",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SubjectType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SubjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RelatedId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Details = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_records", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_clients_EmailKey",
                table: "clients",
                column: "EmailKey");

            migrationBuilder.CreateIndex(
                name: "IX_clients_PhoneKey",
                table: "clients",
                column: "PhoneKey");

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_At",
                table: "audit_records",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_SubjectType_RelatedId",
                table: "audit_records",
                columns: new[] { "SubjectType", "RelatedId" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_SubjectType_SubjectId",
                table: "audit_records",
                columns: new[] { "SubjectType", "SubjectId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_records");

            migrationBuilder.DropIndex(
                name: "IX_clients_EmailKey",
                table: "clients");

            migrationBuilder.DropIndex(
                name: "IX_clients_PhoneKey",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "EmailConfirmed",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "EmailKey",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "PhoneConfirmed",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "PhoneKey",
                table: "clients");
        }
    }
}
