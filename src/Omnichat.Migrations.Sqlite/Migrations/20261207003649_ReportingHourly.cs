using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Omnichat.Migrations.Sqlite.Migrations
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
                    HourStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Stamp = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IntervalStart = table.Column<long>(type: "INTEGER", nullable: false),
                    BranchId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RegionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Conversations = table.Column<long>(type: "INTEGER", nullable: false),
                    Offered = table.Column<long>(type: "INTEGER", nullable: false),
                    Answered = table.Column<long>(type: "INTEGER", nullable: false),
                    AnsweredInSl = table.Column<long>(type: "INTEGER", nullable: false),
                    Abandoned = table.Column<long>(type: "INTEGER", nullable: false),
                    AbandonedShort = table.Column<long>(type: "INTEGER", nullable: false),
                    AbandonedInSl = table.Column<long>(type: "INTEGER", nullable: false),
                    FlowedOut = table.Column<long>(type: "INTEGER", nullable: false),
                    ClosedInQueue = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitAnsweredMs = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitAbandonedMs = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitMaxMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait10 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait20 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait30 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait60 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait120 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait300 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait600 = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitLonger = table.Column<long>(type: "INTEGER", nullable: false),
                    MissedOffers = table.Column<long>(type: "INTEGER", nullable: false),
                    DeclinedOffers = table.Column<long>(type: "INTEGER", nullable: false),
                    Handled = table.Column<long>(type: "INTEGER", nullable: false),
                    HandleMs = table.Column<long>(type: "INTEGER", nullable: false),
                    WrapUpMs = table.Column<long>(type: "INTEGER", nullable: false),
                    TransfersOut = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstResponses = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstResponseMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Replies = table.Column<long>(type: "INTEGER", nullable: false),
                    ReplyMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Closed = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolutionMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Rated = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating1 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating2 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating3 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating4 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating5 = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_hour_branches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_hour_groups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IntervalStart = table.Column<long>(type: "INTEGER", nullable: false),
                    SkillGroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ChannelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Conversations = table.Column<long>(type: "INTEGER", nullable: false),
                    Offered = table.Column<long>(type: "INTEGER", nullable: false),
                    Answered = table.Column<long>(type: "INTEGER", nullable: false),
                    AnsweredInSl = table.Column<long>(type: "INTEGER", nullable: false),
                    Abandoned = table.Column<long>(type: "INTEGER", nullable: false),
                    AbandonedShort = table.Column<long>(type: "INTEGER", nullable: false),
                    AbandonedInSl = table.Column<long>(type: "INTEGER", nullable: false),
                    FlowedOut = table.Column<long>(type: "INTEGER", nullable: false),
                    ClosedInQueue = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitAnsweredMs = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitAbandonedMs = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitMaxMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait10 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait20 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait30 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait60 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait120 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait300 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait600 = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitLonger = table.Column<long>(type: "INTEGER", nullable: false),
                    MissedOffers = table.Column<long>(type: "INTEGER", nullable: false),
                    DeclinedOffers = table.Column<long>(type: "INTEGER", nullable: false),
                    Handled = table.Column<long>(type: "INTEGER", nullable: false),
                    HandleMs = table.Column<long>(type: "INTEGER", nullable: false),
                    WrapUpMs = table.Column<long>(type: "INTEGER", nullable: false),
                    TransfersOut = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstResponses = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstResponseMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Replies = table.Column<long>(type: "INTEGER", nullable: false),
                    ReplyMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Closed = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolutionMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Rated = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating1 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating2 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating3 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating4 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating5 = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_hour_groups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_hour_operators",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IntervalStart = table.Column<long>(type: "INTEGER", nullable: false),
                    OperatorId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Conversations = table.Column<long>(type: "INTEGER", nullable: false),
                    Offered = table.Column<long>(type: "INTEGER", nullable: false),
                    Answered = table.Column<long>(type: "INTEGER", nullable: false),
                    AnsweredInSl = table.Column<long>(type: "INTEGER", nullable: false),
                    Abandoned = table.Column<long>(type: "INTEGER", nullable: false),
                    AbandonedShort = table.Column<long>(type: "INTEGER", nullable: false),
                    AbandonedInSl = table.Column<long>(type: "INTEGER", nullable: false),
                    FlowedOut = table.Column<long>(type: "INTEGER", nullable: false),
                    ClosedInQueue = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitAnsweredMs = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitAbandonedMs = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitMaxMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait10 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait20 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait30 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait60 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait120 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait300 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait600 = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitLonger = table.Column<long>(type: "INTEGER", nullable: false),
                    MissedOffers = table.Column<long>(type: "INTEGER", nullable: false),
                    DeclinedOffers = table.Column<long>(type: "INTEGER", nullable: false),
                    Handled = table.Column<long>(type: "INTEGER", nullable: false),
                    HandleMs = table.Column<long>(type: "INTEGER", nullable: false),
                    WrapUpMs = table.Column<long>(type: "INTEGER", nullable: false),
                    TransfersOut = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstResponses = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstResponseMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Replies = table.Column<long>(type: "INTEGER", nullable: false),
                    ReplyMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Closed = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolutionMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Rated = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating1 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating2 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating3 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating4 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating5 = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_hour_operators", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_hour_topics",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IntervalStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Conversations = table.Column<long>(type: "INTEGER", nullable: false),
                    Offered = table.Column<long>(type: "INTEGER", nullable: false),
                    Answered = table.Column<long>(type: "INTEGER", nullable: false),
                    AnsweredInSl = table.Column<long>(type: "INTEGER", nullable: false),
                    Abandoned = table.Column<long>(type: "INTEGER", nullable: false),
                    AbandonedShort = table.Column<long>(type: "INTEGER", nullable: false),
                    AbandonedInSl = table.Column<long>(type: "INTEGER", nullable: false),
                    FlowedOut = table.Column<long>(type: "INTEGER", nullable: false),
                    ClosedInQueue = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitAnsweredMs = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitAbandonedMs = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitMaxMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait10 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait20 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait30 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait60 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait120 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait300 = table.Column<long>(type: "INTEGER", nullable: false),
                    Wait600 = table.Column<long>(type: "INTEGER", nullable: false),
                    WaitLonger = table.Column<long>(type: "INTEGER", nullable: false),
                    MissedOffers = table.Column<long>(type: "INTEGER", nullable: false),
                    DeclinedOffers = table.Column<long>(type: "INTEGER", nullable: false),
                    Handled = table.Column<long>(type: "INTEGER", nullable: false),
                    HandleMs = table.Column<long>(type: "INTEGER", nullable: false),
                    WrapUpMs = table.Column<long>(type: "INTEGER", nullable: false),
                    TransfersOut = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstResponses = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstResponseMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Replies = table.Column<long>(type: "INTEGER", nullable: false),
                    ReplyMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Closed = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolutionMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Rated = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating1 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating2 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating3 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating4 = table.Column<long>(type: "INTEGER", nullable: false),
                    Rating5 = table.Column<long>(type: "INTEGER", nullable: false)
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
