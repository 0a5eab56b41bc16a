using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ClaimsInFlightByLane : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_stripe_events_locked_until",
                table: "stripe_events");

            migrationBuilder.CreateIndex(
                name: "IX_stripe_events_ordering_key_locked_until",
                table: "stripe_events",
                columns: new[] { "ordering_key", "locked_until" },
                filter: "locked_until IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_stripe_events_ordering_key_locked_until",
                table: "stripe_events");

            migrationBuilder.CreateIndex(
                name: "IX_stripe_events_locked_until",
                table: "stripe_events",
                column: "locked_until",
                filter: "locked_until IS NOT NULL");
        }
    }
}
