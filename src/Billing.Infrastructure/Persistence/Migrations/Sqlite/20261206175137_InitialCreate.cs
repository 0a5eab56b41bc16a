using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.CreateTable(
                name: "admin_audit",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    admin_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    target = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_admin_audit", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "billing_accounts",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    stripe_customer_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    stripe_subscription_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    tier = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    billing_cycle = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    current_period_start = table.Column<long>(type: "INTEGER", nullable: true),
                    current_period_end = table.Column<long>(type: "INTEGER", nullable: true),
                    cancel_at_period_end = table.Column<bool>(type: "INTEGER", nullable: false),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: true),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    billing_currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    deleted_stripe_customer_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    first_paid_at = table.Column<long>(type: "INTEGER", nullable: true),
                    latest_invoice_total = table.Column<long>(type: "INTEGER", nullable: true),
                    latest_invoice_tax = table.Column<long>(type: "INTEGER", nullable: true),
                    last_stripe_event_at = table.Column<long>(type: "INTEGER", nullable: true),
                    past_due_since = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    open_checkout_session_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    open_checkout_tier = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    open_checkout_cycle = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    open_checkout_url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    open_checkout_expires_at = table.Column<long>(type: "INTEGER", nullable: true),
                    trial_end = table.Column<long>(type: "INTEGER", nullable: true),
                    discount_coupon_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    discount_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    discount_promotion_code = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    discount_percent_off = table.Column<decimal>(type: "TEXT", precision: 5, scale: 2, nullable: true),
                    discount_amount_off = table.Column<long>(type: "INTEGER", nullable: true),
                    discount_duration = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    discount_ends_at = table.Column<long>(type: "INTEGER", nullable: true),
                    disputed_since = table.Column<long>(type: "INTEGER", nullable: true),
                    invoices_backfilled_at = table.Column<long>(type: "INTEGER", nullable: true),
                    free_trial_used = table.Column<bool>(type: "INTEGER", nullable: false),
                    open_invoice_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    open_invoice_url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    open_invoice_next_attempt_at = table.Column<long>(type: "INTEGER", nullable: true),
                    open_invoice_created_at = table.Column<long>(type: "INTEGER", nullable: true),
                    authentication_invoice_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_billing_accounts", x => x.user_id);
                });

            migrationBuilder.CreateTable(
                name: "disputes",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    invoice_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    due_by = table.Column<long>(type: "INTEGER", nullable: true),
                    created = table.Column<long>(type: "INTEGER", nullable: false),
                    closed_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_disputes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "idempotency_records",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    operation = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    request_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    status_code = table.Column<int>(type: "INTEGER", nullable: true),
                    response_body = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_idempotency_records", x => new { x.user_id, x.key });
                });

            migrationBuilder.CreateTable(
                name: "invoice_refunds",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    invoice_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    created = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_invoice_refunds", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "invoices",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    customer_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    subscription_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    number = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    total = table.Column<long>(type: "INTEGER", nullable: false),
                    tax = table.Column<long>(type: "INTEGER", nullable: false),
                    amount_paid = table.Column<long>(type: "INTEGER", nullable: false),
                    amount_due = table.Column<long>(type: "INTEGER", nullable: false),
                    amount_refunded = table.Column<long>(type: "INTEGER", nullable: false),
                    period_start = table.Column<long>(type: "INTEGER", nullable: true),
                    period_end = table.Column<long>(type: "INTEGER", nullable: true),
                    created = table.Column<long>(type: "INTEGER", nullable: false),
                    hosted_invoice_url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    invoice_pdf = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    payment_intent_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_invoices", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "reconciliation_reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: false),
                    trigger = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    dry_run = table.Column<bool>(type: "INTEGER", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    report = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reconciliation_reports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "reconciliation_slots",
                columns: table => new
                {
                    slot = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reconciliation_slots", x => x.slot);
                });

            migrationBuilder.CreateTable(
                name: "revenue_movements",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    occurred_at = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    status_before = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status_after = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    run_rate_before = table.Column<long>(type: "INTEGER", nullable: false),
                    run_rate_after = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_revenue_movements", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stripe_events",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    api_version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    ordering_key = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: false),
                    locked_until = table.Column<long>(type: "INTEGER", nullable: true),
                    locked_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    processed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stripe_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sync_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    target = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    account_version = table.Column<long>(type: "INTEGER", nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: false),
                    locked_until = table.Column<long>(type: "INTEGER", nullable: true),
                    locked_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    delivered_at = table.Column<long>(type: "INTEGER", nullable: true),
                    deduplication_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sync_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "usage_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    transaction_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    subscription_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    code = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    properties = table.Column<string>(type: "TEXT", nullable: false),
                    accepted_at = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: false),
                    locked_until = table.Column<long>(type: "INTEGER", nullable: true),
                    locked_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    delivered_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "user_request_windows",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    window_start = table.Column<long>(type: "INTEGER", nullable: false),
                    count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_request_windows", x => new { x.user_id, x.window_start });
                });

            migrationBuilder.CreateIndex(
                name: "IX_account_history_user_id_id",
                table: "account_history",
                columns: new[] { "user_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_admin_audit_admin_id",
                table: "admin_audit",
                column: "admin_id");

            migrationBuilder.CreateIndex(
                name: "IX_admin_audit_at",
                table: "admin_audit",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_billing_accounts_stripe_customer_id",
                table: "billing_accounts",
                column: "stripe_customer_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_billing_accounts_stripe_subscription_id",
                table: "billing_accounts",
                column: "stripe_subscription_id");

            migrationBuilder.CreateIndex(
                name: "IX_disputes_closed_at_created",
                table: "disputes",
                columns: new[] { "closed_at", "created" });

            migrationBuilder.CreateIndex(
                name: "IX_disputes_user_id",
                table: "disputes",
                column: "user_id");

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

            migrationBuilder.CreateIndex(
                name: "IX_reconciliation_reports_finished_at",
                table: "reconciliation_reports",
                column: "finished_at");

            migrationBuilder.CreateIndex(
                name: "IX_revenue_movements_currency_occurred_at",
                table: "revenue_movements",
                columns: new[] { "currency", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_revenue_movements_user_id",
                table: "revenue_movements",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_stripe_events_ordering_key_status",
                table: "stripe_events",
                columns: new[] { "ordering_key", "status" });

            migrationBuilder.CreateIndex(
                name: "IX_stripe_events_status_next_attempt_at",
                table: "stripe_events",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "IX_stripe_events_status_received_at",
                table: "stripe_events",
                columns: new[] { "status", "received_at" });

            migrationBuilder.CreateIndex(
                name: "IX_sync_messages_deduplication_key",
                table: "sync_messages",
                column: "deduplication_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sync_messages_status_next_attempt_at",
                table: "sync_messages",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "IX_sync_messages_user_id_target_status",
                table: "sync_messages",
                columns: new[] { "user_id", "target", "status" });

            migrationBuilder.CreateIndex(
                name: "IX_usage_events_status_next_attempt_at",
                table: "usage_events",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "IX_usage_events_transaction_id",
                table: "usage_events",
                column: "transaction_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_history");

            migrationBuilder.DropTable(
                name: "admin_audit");

            migrationBuilder.DropTable(
                name: "billing_accounts");

            migrationBuilder.DropTable(
                name: "disputes");

            migrationBuilder.DropTable(
                name: "idempotency_records");

            migrationBuilder.DropTable(
                name: "invoice_refunds");

            migrationBuilder.DropTable(
                name: "invoices");

            migrationBuilder.DropTable(
                name: "reconciliation_reports");

            migrationBuilder.DropTable(
                name: "reconciliation_slots");

            migrationBuilder.DropTable(
                name: "revenue_movements");

            migrationBuilder.DropTable(
                name: "stripe_events");

            migrationBuilder.DropTable(
                name: "sync_messages");

            migrationBuilder.DropTable(
                name: "usage_events");

            migrationBuilder.DropTable(
                name: "user_request_windows");
        }
    }
}
