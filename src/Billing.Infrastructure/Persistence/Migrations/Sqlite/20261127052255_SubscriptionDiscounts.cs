using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SubscriptionDiscounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "discount_amount_off",
                table: "billing_accounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "discount_coupon_id",
                table: "billing_accounts",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "discount_duration",
                table: "billing_accounts",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "discount_ends_at",
                table: "billing_accounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "discount_name",
                table: "billing_accounts",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "discount_percent_off",
                table: "billing_accounts",
                type: "TEXT",
                precision: 5,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "discount_promotion_code",
                table: "billing_accounts",
                type: "TEXT",
                maxLength: 255,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "discount_amount_off",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "discount_coupon_id",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "discount_duration",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "discount_ends_at",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "discount_name",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "discount_percent_off",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "discount_promotion_code",
                table: "billing_accounts");
        }
    }
}
