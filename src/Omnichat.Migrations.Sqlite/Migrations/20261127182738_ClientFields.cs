using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Omnichat.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ClientFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Fields",
                table: "clients",
                type: "TEXT",
                nullable: false,
                defaultValue: "{}");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Fields",
                table: "clients");
        }
    }
}
