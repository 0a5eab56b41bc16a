using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PaymentActions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "authentication_invoice_id",
                table: "billing_accounts",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "open_invoice_created_at",
                table: "billing_accounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_invoice_id",
                table: "billing_accounts",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "open_invoice_next_attempt_at",
                table: "billing_accounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_invoice_url",
                table: "billing_accounts",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "authentication_invoice_id",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "open_invoice_created_at",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "open_invoice_id",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "open_invoice_next_attempt_at",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "open_invoice_url",
                table: "billing_accounts");
        }
    }
}
