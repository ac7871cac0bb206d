using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Omnichat.Migrations.Postgres.Migrations
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
                type: "integer",
                nullable: false,
                defaultValue: 20);

            migrationBuilder.AddColumn<int>(
                name: "ShortAbandonSeconds",
                table: "skill_groups",
                type: "integer",
                nullable: false,
                defaultValue: 5);

            migrationBuilder.CreateTable(
                name: "report_contributions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConversationId = table.Column<Guid>(type: "uuid", nullable: false),
                    IntervalStart = table.Column<long>(type: "bigint", nullable: false),
                    SkillGroupId = table.Column<Guid>(type: "uuid", nullable: true),
                    ChannelId = table.Column<Guid>(type: "uuid", nullable: false),
                    OperatorId = table.Column<Guid>(type: "uuid", nullable: true),
                    BranchId = table.Column<Guid>(type: "uuid", nullable: true),
                    RegionId = table.Column<Guid>(type: "uuid", nullable: true),
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
                    table.PrimaryKey("PK_report_contributions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_conversations",
                columns: table => new
                {
                    ConversationId = table.Column<Guid>(type: "uuid", nullable: false),
                    FirstQueuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    WaitSeconds = table.Column<double>(type: "double precision", nullable: true),
                    Abandoned = table.Column<bool>(type: "boolean", nullable: false),
                    FirstResponseAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FirstResponseSeconds = table.Column<double>(type: "double precision", nullable: true),
                    HandleSeconds = table.Column<double>(type: "double precision", nullable: true),
                    ResolutionSeconds = table.Column<double>(type: "double precision", nullable: true),
                    Transfers = table.Column<int>(type: "integer", nullable: false),
                    MissedOffers = table.Column<int>(type: "integer", nullable: false),
                    ClientMessages = table.Column<int>(type: "integer", nullable: false),
                    OperatorMessages = table.Column<int>(type: "integer", nullable: false),
                    RefreshedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_conversations", x => x.ConversationId);
                });

            migrationBuilder.CreateTable(
                name: "report_dirty_intervals",
                columns: table => new
                {
                    IntervalStart = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_dirty_intervals", x => x.IntervalStart);
                });

            migrationBuilder.CreateTable(
                name: "report_exports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerIsApiKey = table.Column<bool>(type: "boolean", nullable: false),
                    English = table.Column<bool>(type: "boolean", nullable: false),
                    Separator = table.Column<string>(type: "text", nullable: false),
                    Report = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Format = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Query = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Rows = table.Column<long>(type: "bigint", nullable: false),
                    TotalRows = table.Column<long>(type: "bigint", nullable: true),
                    FileName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ScheduleId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_exports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_handlings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConversationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OperatorId = table.Column<Guid>(type: "uuid", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_handlings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_intervals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IntervalStart = table.Column<long>(type: "bigint", nullable: false),
                    SkillGroupId = table.Column<Guid>(type: "uuid", nullable: true),
                    ChannelId = table.Column<Guid>(type: "uuid", nullable: false),
                    OperatorId = table.Column<Guid>(type: "uuid", nullable: true),
                    BranchId = table.Column<Guid>(type: "uuid", nullable: true),
                    RegionId = table.Column<Guid>(type: "uuid", nullable: true),
                    Topic = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
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
                    table.PrimaryKey("PK_report_intervals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_job_state",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_job_state", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "report_operator_intervals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IntervalStart = table.Column<long>(type: "bigint", nullable: false),
                    OperatorId = table.Column<Guid>(type: "uuid", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Ms = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_operator_intervals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "report_schedules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Report = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Format = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Query = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Period = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Frequency = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Hour = table.Column<int>(type: "integer", nullable: false),
                    Email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    NextRunAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastRunAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastExportId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                name: "IX_report_intervals_IntervalStart_SkillGroupId_ChannelId_Opera~",
                table: "report_intervals",
                columns: new[] { "IntervalStart", "SkillGroupId", "ChannelId", "OperatorId" });

            migrationBuilder.CreateIndex(
                name: "IX_report_operator_intervals_IntervalStart_OperatorId_State_Re~",
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
