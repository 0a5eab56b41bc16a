using Billing.Application.Ports;
using Billing.Application.Webhooks.Messages;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Infrastructure.Tests;

/// <summary>Stripe's events read at the edge into the typed message of their kind; Stripe's type names stop here.</summary>
public sealed class StripeEventMessageTests
{
    private static string Event(string type, string obj, string? apiVersion = "2026-10-28.endive") =>
        "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"" + type + "\",\"created\":1796000000," +
        (apiVersion is null ? string.Empty : "\"api_version\":\"" + apiVersion + "\",") + "\"data\":{\"object\":" + obj + "}}";

    private const string SubscriptionObject = """
        {"id":"sub_1","object":"subscription","customer":"cus_1","status":"past_due","created":1790000000,"cancel_at_period_end":true,
         "currency":"usd","latest_invoice":"in_7","discounts":["di_1"],"metadata":{"keycloak_user_id":"u1"},
         "items":{"object":"list","data":[{"id":"si_1","object":"subscription_item","quantity":1,"current_period_start":1796000000,"current_period_end":1798678400,
           "price":{"id":"price_1","object":"price","currency":"usd","unit_amount":4900,"lookup_key":"billing_professional_monthly","product":"prod_1",
                    "metadata":{"tier":"professional"},"recurring":{"interval":"month","interval_count":1}}}],"has_more":false,"url":"/v1/subscription_items?subscription=sub_1"}}
        """;

    private static IStripeEventReader Reader(Adapters adapters) => adapters.Services.GetRequiredService<IStripeEventReader>();

    [TestCase("customer.subscription.created", SubscriptionChange.Created)]
    [TestCase("customer.subscription.updated", SubscriptionChange.Updated)]
    [TestCase("customer.subscription.deleted", SubscriptionChange.Ended)]
    [TestCase("customer.subscription.paused", SubscriptionChange.Paused)]
    [TestCase("customer.subscription.resumed", SubscriptionChange.Resumed)]
    [TestCase("customer.subscription.trial_will_end", SubscriptionChange.TrialEnding)]
    public async Task Subscription_events_are_subscription_changes(string type, SubscriptionChange change)
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite);
        var reader = Reader(adapters);

        var message = reader.Read(Event(type, """{"id":"sub_1","object":"subscription","customer":"cus_1","metadata":{"keycloak_user_id":"u1"}}""")).Value;

        var changed = (SubscriptionChanged)message;
        Assert.That((changed.Change, changed.ObjectId, changed.CustomerId, changed.UserId, changed.Lane), Is.EqualTo((change, "sub_1", "cus_1", "u1", "cus_1")));
        Assert.That(changed.CreatedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1796000000)));
    }

    [Test]
    public async Task A_subscription_event_in_the_pinned_version_carries_the_subscription_as_it_was()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite);

        var changed = (SubscriptionChanged)Reader(adapters).Read(Event("customer.subscription.updated", SubscriptionObject)).Value;

        var reported = changed.Reported!;
        Assert.That((reported.Status, reported.PriceTier, reported.UnitAmount, reported.CancelAtPeriodEnd, reported.LatestInvoiceId), Is.EqualTo(("past_due", "professional", (long?)4900, true, "in_7")));
        Assert.That(reported.CurrentPeriodEnd, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1798678400)));
        Assert.That(reported.DiscountIds, Is.EqualTo(new[] { "di_1" }), "an event names its discounts by id only");
        Assert.That(reported.Discount, Is.Null);
    }

    [TestCase("2025-03-31.basil")]
    [TestCase(null)]
    public async Task An_event_of_another_or_no_api_version_is_never_parsed_as_the_pinned_one(string? apiVersion)
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite);
        var reader = Reader(adapters);

        var subscription = (SubscriptionChanged)reader.Read(Event("customer.subscription.updated", SubscriptionObject, apiVersion)).Value;
        var invoice = (InvoiceChanged)reader.Read(Event("invoice.paid", """{"id":"in_1","object":"invoice","customer":"cus_1","status":"paid"}""", apiVersion)).Value;

        Assert.That(subscription.Reported, Is.Null, "the subscription is read from Stripe instead");
        Assert.That(invoice.Invoice, Is.Null, "the invoice is read from Stripe instead");
    }

    [TestCase("2025-03-31.basil")]
    [TestCase(null)]
    public async Task A_refund_or_dispute_event_of_another_api_version_is_never_dropped(string? apiVersion)
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite);
        var reader = Reader(adapters);

        var refund = (RefundChanged)reader.Read(Event("refund.created", """{"id":"re_1","object":"refund","amount":500,"currency":"usd","status":"succeeded","payment_intent":"pi_1"}""", apiVersion)).Value;
        var dispute = (DisputeChanged)reader.Read(Event("charge.dispute.created", """{"id":"dp_1","object":"dispute","status":"needs_response","amount":4900,"currency":"usd","charge":"ch_1"}""", apiVersion)).Value;

        Assert.That((refund.Refund?.Id, refund.Refund?.Amount), Is.EqualTo(("re_1", (long?)500)), "no read of a refund exists: its fields are read by name, not dropped");
        Assert.That((dispute.Dispute?.Id, dispute.Dispute?.ChargeId), Is.EqualTo(("dp_1", "ch_1")));
    }

    [TestCase("invoice.created", InvoiceChange.Drafted, true)]
    [TestCase("invoice.finalized", InvoiceChange.Finalized, true)]
    [TestCase("invoice.updated", InvoiceChange.Updated, true)]
    [TestCase("invoice.voided", InvoiceChange.Voided, true)]
    [TestCase("invoice.marked_uncollectible", InvoiceChange.MarkedUncollectible, true)]
    [TestCase("invoice.paid", InvoiceChange.Paid, false)]
    [TestCase("invoice.payment_failed", InvoiceChange.PaymentFailed, false)]
    [TestCase("invoice.payment_action_required", InvoiceChange.PaymentActionRequired, false)]
    public async Task Invoice_events_are_invoice_changes_with_their_subscription(string type, InvoiceChange change, bool bookOnly)
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite);
        var reader = Reader(adapters);

        var message = reader.Read(Event(type, """{"id":"in_1","object":"invoice","customer":"cus_1","status":"open","customer_email":"a@example.com","parent":{"subscription_details":{"subscription":"sub_1"}}}""")).Value;

        var changed = (InvoiceChanged)message;
        Assert.That((changed.Change, changed.BookOnly, changed.InvoiceId, changed.SubscriptionId, changed.CustomerEmail), Is.EqualTo((change, bookOnly, "in_1", "sub_1", "a@example.com")));
        Assert.That(changed.Invoice!.Status, Is.EqualTo(Billing.Domain.Invoices.InvoiceStatus.Open));
    }

    [Test]
    public async Task Checkout_refund_dispute_and_customer_events_are_messages_of_their_own_kind()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite);
        var reader = Reader(adapters);

        var completed = (CheckoutCompleted)reader.Read(Event("checkout.session.completed", """{"id":"cs_1","object":"checkout.session","customer":"cus_1","mode":"setup","setup_intent":"seti_1","client_reference_id":"u1"}""")).Value;
        var expired = (CheckoutExpired)reader.Read(Event("checkout.session.expired", """{"id":"cs_2","object":"checkout.session","client_reference_id":"u2"}""")).Value;
        var deleted = (CustomerDeleted)reader.Read(Event("customer.deleted", """{"id":"cus_9","object":"customer"}""")).Value;
        var refund = (RefundChanged)reader.Read(Event("refund.created", """{"id":"re_1","object":"refund","amount":500,"currency":"usd","status":"succeeded","payment_intent":"pi_1"}""")).Value;
        var charge = (RefundChanged)reader.Read(Event("charge.refunded", """{"id":"ch_1","object":"charge","payment_intent":"pi_1","amount_refunded":700}""")).Value;
        var dispute = (DisputeChanged)reader.Read(Event("charge.dispute.created", """{"id":"dp_1","object":"dispute","status":"needs_response","amount":4900,"currency":"usd","payment_intent":"pi_1"}""")).Value;

        Assert.That((completed.SavedCard, completed.SetupIntentId, completed.UserId), Is.EqualTo((true, "seti_1", "u1")));
        Assert.That((expired.SessionId, expired.UserId), Is.EqualTo(("cs_2", "u2")));
        Assert.That((deleted.DeletedCustomerId, deleted.Lane), Is.EqualTo(("cus_9", "cus_9")));
        Assert.That((refund.Refund!.Id, refund.PaymentIntentId), Is.EqualTo(("re_1", "pi_1")));
        Assert.That((charge.Refund, charge.ChargeAmountRefunded), Is.EqualTo(((GatewayRefund?)null, 700L)));
        Assert.That(dispute.Dispute!.Id, Is.EqualTo("dp_1"));
    }

    [Test]
    public async Task An_event_of_a_kind_not_acted_on_is_no_message()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite);
        var reader = Reader(adapters);

        var read = reader.Read(Event("product.updated", """{"id":"prod_1","object":"product"}"""));

        Assert.That(read.Error!.Code, Is.EqualTo("event_type_unhandled"));
    }

    [Test]
    public async Task A_customer_update_carries_the_balance_and_a_schedule_update_the_phase_after_the_current_one()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite);
        var reader = Reader(adapters);

        var customer = (CustomerUpdated)reader.Read(Event("customer.updated", """{"id":"cus_1","object":"customer","balance":-1000}""")).Value;
        var schedule = (ScheduleChanged)reader.Read(Event("subscription_schedule.updated", """
            {"id":"sub_sched_1","object":"subscription_schedule","customer":"cus_1","subscription":"sub_1","status":"active",
             "current_phase":{"start_date":1796000000,"end_date":1827536000},
             "phases":[{"start_date":1796000000,"end_date":1827536000,"items":[{"price":"price_ent","quantity":1}],"metadata":{}},
                       {"start_date":1827536000,"end_date":1859072000,"items":[{"price":"price_starter","quantity":1}],"metadata":{"tier":"starter","billing_cycle":"yearly"}}]}
            """)).Value;
        var released = (ScheduleChanged)reader.Read(Event("subscription_schedule.released", """
            {"id":"sub_sched_1","object":"subscription_schedule","customer":"cus_1","subscription":null,"released_subscription":"sub_1","status":"released","current_phase":null,"phases":[]}
            """)).Value;

        Assert.That(customer.Balance, Is.EqualTo(-1000));
        Assert.That(customer.Lane, Is.EqualTo("cus_1"));
        Assert.That(schedule.Reported, Is.EqualTo(new ReportedSchedule("sub_sched_1", "sub_1", true, "price_starter", DateTimeOffset.FromUnixTimeSeconds(1827536000), Billing.Domain.Plans.Tier.Starter, Billing.Domain.Plans.BillingCycle.Yearly)));
        Assert.That(released.Reported!.Running, Is.False);
        Assert.That(released.SubscriptionId, Is.EqualTo("sub_1"));
    }

    [TestCase("customer.subscription.updated", """{"id":"sub_1","object":"subscription","customer":"cus_1"}""", "cus_1")]
    [TestCase("invoice.paid", """{"id":"in_1","object":"invoice","parent":{"subscription_details":{"subscription":"sub_1"}}}""", "sub_1")]
    [TestCase("customer.deleted", """{"id":"cus_9","object":"customer"}""", "cus_9")]
    [TestCase("charge.dispute.created", """{"id":"dp_1","object":"dispute"}""", "dp_1")]
    public async Task A_verified_event_names_the_lane_its_message_is_processed_in_from_the_same_read(string type, string obj, string lane)
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, new() { ["STRIPE_WEBHOOK_SECRET"] = "whsec_lane" });
        var reader = Reader(adapters);
        var payload = Event(type, obj).Replace("1796000000", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var verified = reader.Verify(payload, Billing.Sandbox.Stripe.StripeSignature.Header(payload, "whsec_lane")).Value;

        Assert.That(verified.Lane, Is.EqualTo(lane));
        Assert.That(reader.Read(payload).Value.Lane, Is.EqualTo(lane));
    }

    [Test]
    public async Task An_event_of_a_kind_not_acted_on_is_marked_unhandled_and_still_named_by_its_object()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, new() { ["STRIPE_WEBHOOK_SECRET"] = "whsec_lane" });
        var payload = Event("product.created", """{"id":"prod_1","object":"product"}""").Replace("1796000000", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var verified = Reader(adapters).Verify(payload, Billing.Sandbox.Stripe.StripeSignature.Header(payload, "whsec_lane")).Value;

        Assert.That((verified.Handled, verified.Lane), Is.EqualTo((false, "prod_1")), "the receive handler decides that an ignored event joins no lane");
    }
}
