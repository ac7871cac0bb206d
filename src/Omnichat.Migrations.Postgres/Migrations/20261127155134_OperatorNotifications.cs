using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Omnichat.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OperatorNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "NotifyDesktop",
                table: "operators",
                type: "boolean",
                nullable: false,
                defaultValue: true); // existing operators keep notifications on

            migrationBuilder.AddColumn<bool>(
                name: "NotifySound",
                table: "operators",
                type: "boolean",
                nullable: false,
                defaultValue: true); // existing operators keep notifications on
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NotifyDesktop",
                table: "operators");

            migrationBuilder.DropColumn(
                name: "NotifySound",
                table: "operators");
        }
    }
}
