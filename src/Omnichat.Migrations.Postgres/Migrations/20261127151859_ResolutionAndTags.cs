using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Omnichat.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ResolutionAndTags : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "ResolutionCodes",
                table: "skill_groups",
                type: "text[]",
                nullable: false,
                defaultValue: Array.Empty<string>()); // existing rows: no codes / no tags

            migrationBuilder.AddColumn<bool>(
                name: "ResolutionRequired",
                table: "skill_groups",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Resolution",
                table: "conversations",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "Tags",
                table: "conversations",
                type: "text[]",
                nullable: false,
                defaultValue: Array.Empty<string>()); // existing rows: no codes / no tags
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ResolutionCodes",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "ResolutionRequired",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "Resolution",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "Tags",
                table: "conversations");
        }
    }
}
