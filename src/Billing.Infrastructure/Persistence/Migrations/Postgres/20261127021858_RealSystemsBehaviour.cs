using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Billing.Infrastructure.Persistence.Migrations.Postgres
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
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_checkout_cycle",
                table: "billing_accounts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "open_checkout_expires_at",
                table: "billing_accounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_checkout_session_id",
                table: "billing_accounts",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_checkout_tier",
                table: "billing_accounts",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_checkout_url",
                table: "billing_accounts",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "account_history",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    occurred_at = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
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
