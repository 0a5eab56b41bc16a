using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Billing.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RevenueMovementsAndCurrencies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "billing_currency",
                table: "billing_accounts",
                type: "character varying(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "first_paid_at",
                table: "billing_accounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "latest_invoice_tax",
                table: "billing_accounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "latest_invoice_total",
                table: "billing_accounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "revenue_movements",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    occurred_at = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    status_before = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status_after = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    run_rate_before = table.Column<long>(type: "bigint", nullable: false),
                    run_rate_after = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_revenue_movements", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_revenue_movements_currency_occurred_at",
                table: "revenue_movements",
                columns: new[] { "currency", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_revenue_movements_user_id",
                table: "revenue_movements",
                column: "user_id");

            // Accounts from before: the currency they bill in is their subscription's; one who paid an invoice has paid before.
            migrationBuilder.Sql("UPDATE billing_accounts SET billing_currency = currency WHERE currency IS NOT NULL;");
            migrationBuilder.Sql("UPDATE billing_accounts SET first_paid_at = updated_at WHERE status IN ('Active', 'PastDue', 'Unpaid', 'Paused') OR EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = billing_accounts.stripe_customer_id AND i.amount_paid > 0);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "revenue_movements");

            migrationBuilder.DropColumn(
                name: "billing_currency",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "first_paid_at",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "latest_invoice_tax",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "latest_invoice_total",
                table: "billing_accounts");
        }
    }
}
