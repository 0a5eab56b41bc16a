using Billing.Application.Ports;
using Billing.Application.Webhooks.Messages;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Infrastructure.Tests;

/// <summary>Stripe's events read at the edge into the typed message of their kind; Stripe's type names stop here.</summary>
public sealed class StripeEventMessageTests
{
    private static string Event(string type, string obj) =>
        "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"" + type + "\",\"created\":1796000000,\"data\":{\"object\":" + obj + "}}";

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

        var read = reader.Read(Event("customer.updated", """{"id":"cus_1","object":"customer"}"""));

        Assert.That(read.Error!.Code, Is.EqualTo("event_type_unhandled"));
    }
}
