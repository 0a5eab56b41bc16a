using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PaymentProcessingOfDebits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "payment_processing_since",
                table: "billing_accounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "payment_settled_at",
                table: "billing_accounts",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "payment_processing_since",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "payment_settled_at",
                table: "billing_accounts");
        }
    }
}
