using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Billing.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CustomerBalance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "customer_balance",
                table: "billing_accounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "customer_balance_reported_at",
                table: "billing_accounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "balance_credits",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    transaction_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    amount = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    granted_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    granted_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_balance_credits", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_balance_credits_transaction_id",
                table: "balance_credits",
                column: "transaction_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_balance_credits_user_id_id",
                table: "balance_credits",
                columns: new[] { "user_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "balance_credits");

            migrationBuilder.DropColumn(
                name: "customer_balance",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "customer_balance_reported_at",
                table: "billing_accounts");
        }
    }
}
