using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Omnichat.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReportingHourly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "report_dirty_hours",
                columns: table => new
                {
                    HourStart = table.Column<long>(type: "bigint", nullable: false),
                    Stamp = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_dirty_hours", x => x.HourStart);
                });

            // Hours that already have interval rows get their hourly roll-ups from the reporting job; until then reports read them from the interval rows.
            migrationBuilder.Sql("INSERT INTO report_dirty_hours (\"HourStart\", \"Stamp\") SELECT DISTINCT \"IntervalStart\" - (\"IntervalStart\" % 3600), 1 FROM report_intervals;");

            migrationBuilder.CreateTable(
                name: "report_hour_branches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IntervalStart = table.Column<long>(type: "bigint", nullable: false),
                    BranchId = table.Column<Guid>(type: "uuid", nullable: true),
                    RegionId = table.Column<Guid>(type: "uuid", nullable: true),
                    Conversations = table.Column<long>(type: "bigint", nullable: false),
                    Offered = table.Column<long>(type: "bigint", nullable: false),
                    Answered = table.Column<long>(type: "bigint", nullable: false),
                    AnsweredInSl = table.Column<long>(type: "bigint", nullable: false),
                    Abandoned = table.Column<long>(type: "bigint", nullable: false),
                    AbandonedShort = table.Column<long>(type: "bigint", nullable: false),
                    AbandonedInSl = table.Column<long>(type: "bigint", nullable: false),
                    FlowedOut = table.Column<long>(type: "bigint", nullable: false),
                    ClosedInQueue = table.Column<long>(type: "bigint", nullable: false),
                    WaitAnsweredMs = table.Column<long>(type: "bigint", nullable: false),
                    WaitAbandonedMs = table.Column<long>(type: "bigint", nullable: false),
                    WaitMaxMs = table.Column<long>(type: "bigint", nullable: false),
                    Wait10 = table.Column<long>(type: "bigint", nullable: false),
                    Wait20 = table.Column<long>(type: "bigint", nullable: false),
                    Wait30 = table.Column<long>(type: "bigint", nullable: false),
                    Wait60 = table.Column<long>(type: "bigint", nullable: false),
                    Wait120 = table.Column<long>(type: "bigint", nullable: false),
                    Wait300 = table.Column<long>(type: "bigint", nullable: false),
                    Wait600 = table.Column<long>(type: "bigint", nullable: false),
                    WaitLonger = table.Column<long>(type: "bigint", nullable: false),
                    MissedOffers = table.Column<long>(type: "bigint", nullable: false),
                    DeclinedOffers = table.Column<long>(type: "bigint", nullable: false),
                    Handled = table.Column<long>(type: "bigint", nullable: false),
                    HandleMs = table.Column<long>(type: "bigint", nullable: false),
                    WrapUpMs = table.Column<long>(type: "bigint", nullable: false),
                    TransfersOut = table.Column<long>(type: "bigint", nullable: false),
                    FirstResponses = table.Column<long>(type: "bigint", nullable: false),
                    FirstResponseMs = table.Column<long>(type: "bigint", nullable: false),
                    Replies = table.Column<long>(type: "bigint", nullable: false),
                    ReplyMs = table.Column<long>(type: "bigint", nullable: false),
                    Closed = table.Column<long>(type: "bigint", nullable: false),
                    ResolutionMs = table.Column<long>(type: "bigint", nullable: false),
                    Rated = table.Column<long>(type: "bigint", nullable: false),
                    Rating1 = table.Column<long>(type: "bigint", nullable: false),
                    Rating2 = table.Column<long>(type: "bigint", nullable: false),
                    Rating3 = table.Column<long>(type: "bigint", nullable: false),
                    Rating4 = table.Column<long>(type: "bigint", nullable: false),
                    Rating5 = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_hour_branches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_hour_groups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IntervalStart = table.Column<long>(type: "bigint", nullable: false),
                    SkillGroupId = table.Column<Guid>(type: "uuid", nullable: true),
                    ChannelId = table.Column<Guid>(type: "uuid", nullable: false),
                    Conversations = table.Column<long>(type: "bigint", nullable: false),
                    Offered = table.Column<long>(type: "bigint", nullable: false),
                    Answered = table.Column<long>(type: "bigint", nullable: false),
                    AnsweredInSl = table.Column<long>(type: "bigint", nullable: false),
                    Abandoned = table.Column<long>(type: "bigint", nullable: false),
                    AbandonedShort = table.Column<long>(type: "bigint", nullable: false),
                    AbandonedInSl = table.Column<long>(type: "bigint", nullable: false),
                    FlowedOut = table.Column<long>(type: "bigint", nullable: false),
                    ClosedInQueue = table.Column<long>(type: "bigint", nullable: false),
                    WaitAnsweredMs = table.Column<long>(type: "bigint", nullable: false),
                    WaitAbandonedMs = table.Column<long>(type: "bigint", nullable: false),
                    WaitMaxMs = table.Column<long>(type: "bigint", nullable: false),
                    Wait10 = table.Column<long>(type: "bigint", nullable: false),
                    Wait20 = table.Column<long>(type: "bigint", nullable: false),
                    Wait30 = table.Column<long>(type: "bigint", nullable: false),
                    Wait60 = table.Column<long>(type: "bigint", nullable: false),
                    Wait120 = table.Column<long>(type: "bigint", nullable: false),
                    Wait300 = table.Column<long>(type: "bigint", nullable: false),
                    Wait600 = table.Column<long>(type: "bigint", nullable: false),
                    WaitLonger = table.Column<long>(type: "bigint", nullable: false),
                    MissedOffers = table.Column<long>(type: "bigint", nullable: false),
                    DeclinedOffers = table.Column<long>(type: "bigint", nullable: false),
                    Handled = table.Column<long>(type: "bigint", nullable: false),
                    HandleMs = table.Column<long>(type: "bigint", nullable: false),
                    WrapUpMs = table.Column<long>(type: "bigint", nullable: false),
                    TransfersOut = table.Column<long>(type: "bigint", nullable: false),
                    FirstResponses = table.Column<long>(type: "bigint", nullable: false),
                    FirstResponseMs = table.Column<long>(type: "bigint", nullable: false),
                    Replies = table.Column<long>(type: "bigint", nullable: false),
                    ReplyMs = table.Column<long>(type: "bigint", nullable: false),
                    Closed = table.Column<long>(type: "bigint", nullable: false),
                    ResolutionMs = table.Column<long>(type: "bigint", nullable: false),
                    Rated = table.Column<long>(type: "bigint", nullable: false),
                    Rating1 = table.Column<long>(type: "bigint", nullable: false),
                    Rating2 = table.Column<long>(type: "bigint", nullable: false),
                    Rating3 = table.Column<long>(type: "bigint", nullable: false),
                    Rating4 = table.Column<long>(type: "bigint", nullable: false),
                    Rating5 = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_hour_groups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_hour_operators",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IntervalStart = table.Column<long>(type: "bigint", nullable: false),
                    OperatorId = table.Column<Guid>(type: "uuid", nullable: true),
                    Conversations = table.Column<long>(type: "bigint", nullable: false),
                    Offered = table.Column<long>(type: "bigint", nullable: false),
                    Answered = table.Column<long>(type: "bigint", nullable: false),
                    AnsweredInSl = table.Column<long>(type: "bigint", nullable: false),
                    Abandoned = table.Column<long>(type: "bigint", nullable: false),
                    AbandonedShort = table.Column<long>(type: "bigint", nullable: false),
                    AbandonedInSl = table.Column<long>(type: "bigint", nullable: false),
                    FlowedOut = table.Column<long>(type: "bigint", nullable: false),
                    ClosedInQueue = table.Column<long>(type: "bigint", nullable: false),
                    WaitAnsweredMs = table.Column<long>(type: "bigint", nullable: false),
                    WaitAbandonedMs = table.Column<long>(type: "bigint", nullable: false),
                    WaitMaxMs = table.Column<long>(type: "bigint", nullable: false),
                    Wait10 = table.Column<long>(type: "bigint", nullable: false),
                    Wait20 = table.Column<long>(type: "bigint", nullable: false),
                    Wait30 = table.Column<long>(type: "bigint", nullable: false),
                    Wait60 = table.Column<long>(type: "bigint", nullable: false),
                    Wait120 = table.Column<long>(type: "bigint", nullable: false),
                    Wait300 = table.Column<long>(type: "bigint", nullable: false),
                    Wait600 = table.Column<long>(type: "bigint", nullable: false),
                    WaitLonger = table.Column<long>(type: "bigint", nullable: false),
                    MissedOffers = table.Column<long>(type: "bigint", nullable: false),
                    DeclinedOffers = table.Column<long>(type: "bigint", nullable: false),
                    Handled = table.Column<long>(type: "bigint", nullable: false),
                    HandleMs = table.Column<long>(type: "bigint", nullable: false),
                    WrapUpMs = table.Column<long>(type: "bigint", nullable: false),
                    TransfersOut = table.Column<long>(type: "bigint", nullable: false),
                    FirstResponses = table.Column<long>(type: "bigint", nullable: false),
                    FirstResponseMs = table.Column<long>(type: "bigint", nullable: false),
                    Replies = table.Column<long>(type: "bigint", nullable: false),
                    ReplyMs = table.Column<long>(type: "bigint", nullable: false),
                    Closed = table.Column<long>(type: "bigint", nullable: false),
                    ResolutionMs = table.Column<long>(type: "bigint", nullable: false),
                    Rated = table.Column<long>(type: "bigint", nullable: false),
                    Rating1 = table.Column<long>(type: "bigint", nullable: false),
                    Rating2 = table.Column<long>(type: "bigint", nullable: false),
                    Rating3 = table.Column<long>(type: "bigint", nullable: false),
                    Rating4 = table.Column<long>(type: "bigint", nullable: false),
                    Rating5 = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_hour_operators", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_hour_topics",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IntervalStart = table.Column<long>(type: "bigint", nullable: false),
                    Topic = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Conversations = table.Column<long>(type: "bigint", nullable: false),
                    Offered = table.Column<long>(type: "bigint", nullable: false),
                    Answered = table.Column<long>(type: "bigint", nullable: false),
                    AnsweredInSl = table.Column<long>(type: "bigint", nullable: false),
                    Abandoned = table.Column<long>(type: "bigint", nullable: false),
                    AbandonedShort = table.Column<long>(type: "bigint", nullable: false),
                    AbandonedInSl = table.Column<long>(type: "bigint", nullable: false),
                    FlowedOut = table.Column<long>(type: "bigint", nullable: false),
                    ClosedInQueue = table.Column<long>(type: "bigint", nullable: false),
                    WaitAnsweredMs = table.Column<long>(type: "bigint", nullable: false),
                    WaitAbandonedMs = table.Column<long>(type: "bigint", nullable: false),
                    WaitMaxMs = table.Column<long>(type: "bigint", nullable: false),
                    Wait10 = table.Column<long>(type: "bigint", nullable: false),
                    Wait20 = table.Column<long>(type: "bigint", nullable: false),
                    Wait30 = table.Column<long>(type: "bigint", nullable: false),
                    Wait60 = table.Column<long>(type: "bigint", nullable: false),
                    Wait120 = table.Column<long>(type: "bigint", nullable: false),
                    Wait300 = table.Column<long>(type: "bigint", nullable: false),
                    Wait600 = table.Column<long>(type: "bigint", nullable: false),
                    WaitLonger = table.Column<long>(type: "bigint", nullable: false),
                    MissedOffers = table.Column<long>(type: "bigint", nullable: false),
                    DeclinedOffers = table.Column<long>(type: "bigint", nullable: false),
                    Handled = table.Column<long>(type: "bigint", nullable: false),
                    HandleMs = table.Column<long>(type: "bigint", nullable: false),
                    WrapUpMs = table.Column<long>(type: "bigint", nullable: false),
                    TransfersOut = table.Column<long>(type: "bigint", nullable: false),
                    FirstResponses = table.Column<long>(type: "bigint", nullable: false),
                    FirstResponseMs = table.Column<long>(type: "bigint", nullable: false),
                    Replies = table.Column<long>(type: "bigint", nullable: false),
                    ReplyMs = table.Column<long>(type: "bigint", nullable: false),
                    Closed = table.Column<long>(type: "bigint", nullable: false),
                    ResolutionMs = table.Column<long>(type: "bigint", nullable: false),
                    Rated = table.Column<long>(type: "bigint", nullable: false),
                    Rating1 = table.Column<long>(type: "bigint", nullable: false),
                    Rating2 = table.Column<long>(type: "bigint", nullable: false),
                    Rating3 = table.Column<long>(type: "bigint", nullable: false),
                    Rating4 = table.Column<long>(type: "bigint", nullable: false),
                    Rating5 = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_hour_topics", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_report_conversations_FirstResponseSeconds",
                table: "report_conversations",
                column: "FirstResponseSeconds");

            migrationBuilder.CreateIndex(
                name: "IX_report_conversations_HandleSeconds",
                table: "report_conversations",
                column: "HandleSeconds");

            migrationBuilder.CreateIndex(
                name: "IX_report_conversations_WaitSeconds",
                table: "report_conversations",
                column: "WaitSeconds");

            migrationBuilder.CreateIndex(
                name: "IX_report_hour_branches_IntervalStart_BranchId_RegionId",
                table: "report_hour_branches",
                columns: new[] { "IntervalStart", "BranchId", "RegionId" });

            migrationBuilder.CreateIndex(
                name: "IX_report_hour_groups_IntervalStart_SkillGroupId_ChannelId",
                table: "report_hour_groups",
                columns: new[] { "IntervalStart", "SkillGroupId", "ChannelId" });

            migrationBuilder.CreateIndex(
                name: "IX_report_hour_operators_IntervalStart_OperatorId",
                table: "report_hour_operators",
                columns: new[] { "IntervalStart", "OperatorId" });

            migrationBuilder.CreateIndex(
                name: "IX_report_hour_topics_IntervalStart_Topic",
                table: "report_hour_topics",
                columns: new[] { "IntervalStart", "Topic" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "report_dirty_hours");

            migrationBuilder.DropTable(
                name: "report_hour_branches");

            migrationBuilder.DropTable(
                name: "report_hour_groups");

            migrationBuilder.DropTable(
                name: "report_hour_operators");

            migrationBuilder.DropTable(
                name: "report_hour_topics");

            migrationBuilder.DropIndex(
                name: "IX_report_conversations_FirstResponseSeconds",
                table: "report_conversations");

            migrationBuilder.DropIndex(
                name: "IX_report_conversations_HandleSeconds",
                table: "report_conversations");

            migrationBuilder.DropIndex(
                name: "IX_report_conversations_WaitSeconds",
                table: "report_conversations");
        }
    }
}
