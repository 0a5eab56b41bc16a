using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ScheduledChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "scheduled_change_cycle",
                table: "billing_accounts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "scheduled_change_effective_at",
                table: "billing_accounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "scheduled_change_schedule_id",
                table: "billing_accounts",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "scheduled_change_tier",
                table: "billing_accounts",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "stripe_schedule_id",
                table: "billing_accounts",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "scheduled_change_cycle",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "scheduled_change_effective_at",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "scheduled_change_schedule_id",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "scheduled_change_tier",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "stripe_schedule_id",
                table: "billing_accounts");
        }
    }
}
