using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Omnichat.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReplyTemplates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "reply_templates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Scope = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SkillGroupId = table.Column<Guid>(type: "uuid", nullable: true),
                    OwnerId = table.Column<Guid>(type: "uuid", nullable: true),
                    Title = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Category = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    Text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    UsageCount = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reply_templates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_reply_templates_operators_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "operators",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_reply_templates_skill_groups_SkillGroupId",
                        column: x => x.SkillGroupId,
                        principalTable: "skill_groups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "reply_template_favourites",
                columns: table => new
                {
                    OperatorId = table.Column<Guid>(type: "uuid", nullable: false),
                    TemplateId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reply_template_favourites", x => new { x.OperatorId, x.TemplateId });
                    table.ForeignKey(
                        name: "FK_reply_template_favourites_operators_OperatorId",
                        column: x => x.OperatorId,
                        principalTable: "operators",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_reply_template_favourites_reply_templates_TemplateId",
                        column: x => x.TemplateId,
                        principalTable: "reply_templates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_reply_template_favourites_TemplateId",
                table: "reply_template_favourites",
                column: "TemplateId");

            migrationBuilder.CreateIndex(
                name: "IX_reply_templates_OwnerId",
                table: "reply_templates",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_reply_templates_Scope_SkillGroupId",
                table: "reply_templates",
                columns: new[] { "Scope", "SkillGroupId" });

            migrationBuilder.CreateIndex(
                name: "IX_reply_templates_SkillGroupId",
                table: "reply_templates",
                column: "SkillGroupId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "reply_template_favourites");

            migrationBuilder.DropTable(
                name: "reply_templates");
        }
    }
}
