using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FirstPaymentByBankDebit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "failed_debit_subscription_id",
                table: "billing_accounts",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "payment_pending_since",
                table: "billing_accounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "pending_payment_session_id",
                table: "billing_accounts",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "settled_payment_session_id",
                table: "billing_accounts",
                type: "TEXT",
                maxLength: 255,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "failed_debit_subscription_id",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "payment_pending_since",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "pending_payment_session_id",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "settled_payment_session_id",
                table: "billing_accounts");
        }
    }
}
