using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LeaseIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_usage_events_locked_until",
                table: "usage_events",
                column: "locked_until",
                filter: "locked_until IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_sync_messages_locked_until",
                table: "sync_messages",
                column: "locked_until",
                filter: "locked_until IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_stripe_events_locked_until",
                table: "stripe_events",
                column: "locked_until",
                filter: "locked_until IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_usage_events_locked_until",
                table: "usage_events");

            migrationBuilder.DropIndex(
                name: "IX_sync_messages_locked_until",
                table: "sync_messages");

            migrationBuilder.DropIndex(
                name: "IX_stripe_events_locked_until",
                table: "stripe_events");
        }
    }
}
