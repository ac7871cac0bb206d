using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Omnichat.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Reporting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ServiceLevelSeconds",
                table: "skill_groups",
                type: "INTEGER",
                nullable: false,
                defaultValue: 20);

            migrationBuilder.AddColumn<int>(
                name: "ShortAbandonSeconds",
                table: "skill_groups",
                type: "INTEGER",
                nullable: false,
                defaultValue: 5);

            migrationBuilder.CreateTable(
                name: "report_contributions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    IntervalStart = table.Column<long>(type: "INTEGER", nullable: false),
                    SkillGroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ChannelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OperatorId = table.Column<Guid>(type: "TEXT", nullable: true),
                    BranchId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RegionId = table.Column<Guid>(type: "TEXT", nullable: true),
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
                    table.PrimaryKey("PK_report_contributions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_conversations",
                columns: table => new
                {
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FirstQueuedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    WaitSeconds = table.Column<double>(type: "REAL", nullable: true),
                    Abandoned = table.Column<bool>(type: "INTEGER", nullable: false),
                    FirstResponseAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FirstResponseSeconds = table.Column<double>(type: "REAL", nullable: true),
                    HandleSeconds = table.Column<double>(type: "REAL", nullable: true),
                    ResolutionSeconds = table.Column<double>(type: "REAL", nullable: true),
                    Transfers = table.Column<int>(type: "INTEGER", nullable: false),
                    MissedOffers = table.Column<int>(type: "INTEGER", nullable: false),
                    ClientMessages = table.Column<int>(type: "INTEGER", nullable: false),
                    OperatorMessages = table.Column<int>(type: "INTEGER", nullable: false),
                    RefreshedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_conversations", x => x.ConversationId);
                });

            migrationBuilder.CreateTable(
                name: "report_dirty_intervals",
                columns: table => new
                {
                    IntervalStart = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_dirty_intervals", x => x.IntervalStart);
                });

            migrationBuilder.CreateTable(
                name: "report_exports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerIsApiKey = table.Column<bool>(type: "INTEGER", nullable: false),
                    English = table.Column<bool>(type: "INTEGER", nullable: false),
                    Separator = table.Column<string>(type: "TEXT", nullable: false),
                    Report = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Format = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Query = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Rows = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalRows = table.Column<long>(type: "INTEGER", nullable: true),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ScheduleId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_exports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_handlings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OperatorId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_handlings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_intervals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IntervalStart = table.Column<long>(type: "INTEGER", nullable: false),
                    SkillGroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ChannelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OperatorId = table.Column<Guid>(type: "TEXT", nullable: true),
                    BranchId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RegionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
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
                    table.PrimaryKey("PK_report_intervals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_job_state",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_job_state", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "report_operator_intervals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IntervalStart = table.Column<long>(type: "INTEGER", nullable: false),
                    OperatorId = table.Column<Guid>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Ms = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_operator_intervals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_schedules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Report = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Format = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Query = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Period = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Frequency = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Hour = table.Column<int>(type: "INTEGER", nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    NextRunAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastRunAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastExportId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_schedules", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_report_contributions_ConversationId",
                table: "report_contributions",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_report_contributions_IntervalStart",
                table: "report_contributions",
                column: "IntervalStart");

            migrationBuilder.CreateIndex(
                name: "IX_report_exports_OwnerId_CreatedAt",
                table: "report_exports",
                columns: new[] { "OwnerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_report_exports_Status_CreatedAt",
                table: "report_exports",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_report_handlings_ConversationId",
                table: "report_handlings",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_report_handlings_EndedAt",
                table: "report_handlings",
                column: "EndedAt");

            migrationBuilder.CreateIndex(
                name: "IX_report_handlings_StartedAt_EndedAt",
                table: "report_handlings",
                columns: new[] { "StartedAt", "EndedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_report_intervals_IntervalStart_SkillGroupId_ChannelId_OperatorId",
                table: "report_intervals",
                columns: new[] { "IntervalStart", "SkillGroupId", "ChannelId", "OperatorId" });

            migrationBuilder.CreateIndex(
                name: "IX_report_operator_intervals_IntervalStart_OperatorId_State_Reason",
                table: "report_operator_intervals",
                columns: new[] { "IntervalStart", "OperatorId", "State", "Reason" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_report_schedules_Enabled_NextRunAt",
                table: "report_schedules",
                columns: new[] { "Enabled", "NextRunAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "report_contributions");

            migrationBuilder.DropTable(
                name: "report_conversations");

            migrationBuilder.DropTable(
                name: "report_dirty_intervals");

            migrationBuilder.DropTable(
                name: "report_exports");

            migrationBuilder.DropTable(
                name: "report_handlings");

            migrationBuilder.DropTable(
                name: "report_intervals");

            migrationBuilder.DropTable(
                name: "report_job_state");

            migrationBuilder.DropTable(
                name: "report_operator_intervals");

            migrationBuilder.DropTable(
                name: "report_schedules");

            migrationBuilder.DropColumn(
                name: "ServiceLevelSeconds",
                table: "skill_groups");

            migrationBuilder.DropColumn(
                name: "ShortAbandonSeconds",
                table: "skill_groups");
        }
    }
}
