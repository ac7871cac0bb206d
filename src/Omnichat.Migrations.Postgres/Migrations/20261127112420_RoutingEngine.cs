using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Omnichat.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class RoutingEngine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AutoAccept",
                table: "skill_groups",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<int>(
                name: "DefaultCapacity",
                table: "skill_groups",
                type: "integer",
                nullable: false,
                defaultValue: 3);

            migrationBuilder.AddColumn<string>(
                name: "MaxQueueAction",
                table: "skill_groups",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "KeepWaiting");

            migrationBuilder.AddColumn<int>(
                name: "MaxQueueSeconds",
                table: "skill_groups",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "MaxQueueTargetGroupId",
                table: "skill_groups",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MinSkillLevel",
                table: "skill_groups",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<bool>(
                name: "MissedOfferSetsNotReady",
                table: "skill_groups",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "OfferTimeoutSeconds",
                table: "skill_groups",
                type: "integer",
                nullable: false,
                defaultValue: 30);

            migrationBuilder.AddColumn<string>(
                name: "OfflineMessage",
                table: "skill_groups",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "OverflowAfterSeconds",
                table: "skill_groups",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "StickyMinutes",
                table: "skill_groups",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Strategy",
                table: "skill_groups",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "LeastBusy");

            migrationBuilder.AddColumn<int>(
                name: "WrapUpSeconds",
                table: "skill_groups",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "IdleSince",
                table: "operators",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastAssignedAt",
                table: "operators",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastSeenAt",
                table: "operators",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Load",
                table: "operators",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "Version",
                table: "operators",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "WrapUpUntil",
                table: "operators",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastAssignedAt",
                table: "operator_skill_groups",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "LastMissedOperatorId",
                table: "conversations",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "MaxQueueHandledAt",
                table: "conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "OfferExpiresAt",
                table: "conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "OfferedOperatorId",
                table: "conversations",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "OverflowedAt",
                table: "conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "PreferredOperatorId",
                table: "conversations",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "operator_status_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OperatorId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Reason = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_operator_status_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_operator_status_changes_operators_OperatorId",
                        column: x => x.OperatorId,
                        principalTable: "operators",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "routing_rules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    ChannelId = table.Column<Guid>(type: "uuid", nullable: true),
                    BranchId = table.Column<Guid>(type: "uuid", nullable: true),
                    RegionId = table.Column<Guid>(type: "uuid", nullable: true),
                    Topic = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    SkillGroupId = table.Column<Guid>(type: "uuid", nullable: false),
                    Priority = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_routing_rules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_routing_rules_branches_BranchId",
                        column: x => x.BranchId,
                        principalTable: "branches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_routing_rules_channels_ChannelId",
                        column: x => x.ChannelId,
                        principalTable: "channels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_routing_rules_regions_RegionId",
                        column: x => x.RegionId,
                        principalTable: "regions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_routing_rules_skill_groups_SkillGroupId",
                        column: x => x.SkillGroupId,
                        principalTable: "skill_groups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "skill_group_backups",
                columns: table => new
                {
                    SkillGroupId = table.Column<Guid>(type: "uuid", nullable: false),
                    BackupGroupId = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_skill_group_backups", x => new { x.SkillGroupId, x.BackupGroupId });
                    table.ForeignKey(
                        name: "FK_skill_group_backups_skill_groups_BackupGroupId",
                        column: x => x.BackupGroupId,
                        principalTable: "skill_groups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_skill_group_backups_skill_groups_SkillGroupId",
                        column: x => x.SkillGroupId,
                        principalTable: "skill_groups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "status_reasons",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    NameRu = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    NameEn = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_status_reasons", x => x.Code);
                });

            migrationBuilder.CreateIndex(
                name: "IX_skill_groups_MaxQueueTargetGroupId",
                table: "skill_groups",
                column: "MaxQueueTargetGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_operators_Status_Enabled",
                table: "operators",
                columns: new[] { "Status", "Enabled" });

            migrationBuilder.CreateIndex(
                name: "IX_operators_WrapUpUntil",
                table: "operators",
                column: "WrapUpUntil");

            migrationBuilder.CreateIndex(
                name: "IX_conversations_OfferedOperatorId",
                table: "conversations",
                column: "OfferedOperatorId");

            migrationBuilder.CreateIndex(
                name: "IX_conversations_OfferExpiresAt",
                table: "conversations",
                column: "OfferExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_operator_status_changes_At",
                table: "operator_status_changes",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_operator_status_changes_OperatorId_At",
                table: "operator_status_changes",
                columns: new[] { "OperatorId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_routing_rules_BranchId",
                table: "routing_rules",
                column: "BranchId");

            migrationBuilder.CreateIndex(
                name: "IX_routing_rules_ChannelId",
                table: "routing_rules",
                column: "ChannelId");

            migrationBuilder.CreateIndex(
                name: "IX_routing_rules_Position",
                table: "routing_rules",
                column: "Position");

            migrationBuilder.CreateIndex(
                name: "IX_routing_rules_RegionId",
                table: "routing_rules",
                column: "RegionId");

            migrationBuilder.CreateIndex(
                name: "IX_routing_rules_SkillGroupId",
                table: "routing_rules",
                column: "SkillGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_skill_group_backups_BackupGroupId",
                table: "skill_group_backups",
                column: "BackupGroupId");

            migrationBuilder.AddForeignKey(
                name: "FK_conversations_operators_OfferedOperatorId",
                table: "conversations",
                column: "OfferedOperatorId",
                principalTable: "operators",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_skill_groups_skill_groups_MaxQueueTargetGroupId",
                table: "skill_groups",
                column: "MaxQueueTargetGroupId",
                principalTable: "skill_groups",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_conversations_operators_OfferedOperatorId",
                table: "conversations");

            migrationBuilder.DropForeignKey(
                name: "FK_skill_groups_skill_groups_MaxQueueTargetGroupId",
                table: "skill_groups");

            migrationBuilder.DropTable(
                name: "operator_status_changes");

            migrationBuilder.DropTable(
                name: "routing_rules");

            migrationBuilder.DropTable(
                name: "skill_group_backups");

            migrationBuilder.DropTable(
                name: "status_reasons");

            migrationBuilder.DropIndex(
                name: "IX_skill_groups_MaxQueueTargetGroupId",
                table: "skill_groups");

            migrationBuilder.DropIndex(
                name: "IX_operators_Status_Enabled",
                table: "operators");

            migrationBuilder.DropIndex(
                name: "IX_operators_WrapUpUntil",
                table: "operators");

            migrationBuilder.DropIndex(
                name: "IX_conversations_OfferedOperatorId",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "IX_conversations_OfferExpiresAt",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "AutoAccept",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "DefaultCapacity",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "MaxQueueAction",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "MaxQueueSeconds",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "MaxQueueTargetGroupId",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "MinSkillLevel",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "MissedOfferSetsNotReady",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "OfferTimeoutSeconds",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "OfflineMessage",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "OverflowAfterSeconds",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "StickyMinutes",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "Strategy",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "WrapUpSeconds",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "IdleSince",
                table: "operators");

            migrationBuilder.DropColumn(
                name: "LastAssignedAt",
                table: "operators");

            migrationBuilder.DropColumn(
                name: "LastSeenAt",
                table: "operators");

            migrationBuilder.DropColumn(
                name: "Load",
                table: "operators");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "operators");

            migrationBuilder.DropColumn(
                name: "WrapUpUntil",
                table: "operators");

            migrationBuilder.DropColumn(
                name: "LastAssignedAt",
                table: "operator_skill_groups");

            migrationBuilder.DropColumn(
                name: "LastMissedOperatorId",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "MaxQueueHandledAt",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "OfferExpiresAt",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "OfferedOperatorId",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "OverflowedAt",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "PreferredOperatorId",
                table: "conversations");
        }
    }
}
