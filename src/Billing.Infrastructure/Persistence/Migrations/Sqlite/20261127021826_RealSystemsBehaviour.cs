using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RealSystemsBehaviour : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "outcome",
                table: "sync_messages",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_checkout_cycle",
                table: "billing_accounts",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "open_checkout_expires_at",
                table: "billing_accounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_checkout_session_id",
                table: "billing_accounts",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_checkout_tier",
                table: "billing_accounts",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_checkout_url",
                table: "billing_accounts",
                type: "TEXT",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "account_history",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    occurred_at = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    detail = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_account_history", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_account_history_user_id_id",
                table: "account_history",
                columns: new[] { "user_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_history");

            migrationBuilder.DropColumn(
                name: "outcome",
                table: "sync_messages");

            migrationBuilder.DropColumn(
                name: "open_checkout_cycle",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "open_checkout_expires_at",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "open_checkout_session_id",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "open_checkout_tier",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "open_checkout_url",
                table: "billing_accounts");
        }
    }
}
