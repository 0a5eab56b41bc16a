using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InvoiceBook : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "invoices_backfilled_at",
                table: "billing_accounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "invoice_refunds",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    invoice_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    amount = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_invoice_refunds", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "invoices",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    customer_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    subscription_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    total = table.Column<long>(type: "bigint", nullable: false),
                    tax = table.Column<long>(type: "bigint", nullable: false),
                    amount_paid = table.Column<long>(type: "bigint", nullable: false),
                    amount_due = table.Column<long>(type: "bigint", nullable: false),
                    amount_refunded = table.Column<long>(type: "bigint", nullable: false),
                    period_start = table.Column<long>(type: "bigint", nullable: true),
                    period_end = table.Column<long>(type: "bigint", nullable: true),
                    created = table.Column<long>(type: "bigint", nullable: false),
                    hosted_invoice_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    invoice_pdf = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    payment_intent_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_invoices", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_invoice_refunds_invoice_id",
                table: "invoice_refunds",
                column: "invoice_id");

            migrationBuilder.CreateIndex(
                name: "IX_invoices_customer_id_created",
                table: "invoices",
                columns: new[] { "customer_id", "created" });

            migrationBuilder.CreateIndex(
                name: "IX_invoices_payment_intent_id",
                table: "invoices",
                column: "payment_intent_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "invoice_refunds");

            migrationBuilder.DropTable(
                name: "invoices");

            migrationBuilder.DropColumn(
                name: "invoices_backfilled_at",
                table: "billing_accounts");
        }
    }
}
