using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Invoices;
using Billing.Application.Notifications;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Apply;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Billing.Domain.Disputes;
using Billing.Domain.Invoices;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary>The handlers of invoice, checkout-expired, customer-deleted, refund and dispute events, every port mocked.</summary>
public sealed class ApplyInvoiceAndAccountEventsTests : WebhookHandlerFixture
{
    private Mock<IInvoiceGateway> _invoiceGateway = null!;
    private Mock<IInvoiceBook> _book = null!;

    [SetUp]
    public void FreshBooks()
    {
        _invoiceGateway = new Mock<IInvoiceGateway>();
        _book = new Mock<IInvoiceBook>();
    }

    private InvoiceRecorder Recorder() => new(_book.Object, _invoiceGateway.Object);

    private ApplyRefundChanged RefundHandler() => new(Recorder(), _book.Object, _invoiceGateway.Object, Accounts.Object, History.Object, new FakeTimeProvider(Now));

    /// <summary>A charge made without a payment intent, of customer cus_1; <paramref name="paidInvoice"/> is the invoice Stripe lists it under.</summary>
    private void ChargeWithoutPaymentIntent(BillingInvoice? paidInvoice)
    {
        _invoiceGateway.Setup(g => g.GetChargeAsync("ch_9", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewayCharge?>.Success(new GatewayCharge("ch_9", "cus_1", 4900, "usd")));
        _book.Setup(b => b.ListAsync("cus_1", It.IsAny<int>(), null, It.IsAny<CancellationToken>())).ReturnsAsync(paidInvoice is null ? [] : [paidInvoice]);
        _invoiceGateway.Setup(g => g.InvoicePaidByChargeAsync(It.IsAny<string>(), "ch_9", It.IsAny<CancellationToken>())).ReturnsAsync(Result<bool>.Success(paidInvoice is not null));
    }

    private BillingAccount Subscribed(SubscriptionStatus status = SubscriptionStatus.Active, OpenInvoice? open = null, string? latestInvoiceId = null)
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-30));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-30));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", status, Tier.Professional, BillingCycle.Monthly, Now.AddDays(-1), Now.AddMonths(1), false, 4900, "usd", OpenInvoice: open, LatestInvoiceId: latestInvoiceId), Now.AddDays(-1));
        Accounts.Setup(a => a.FindByStripeCustomerAsync("cus_1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        Accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    private static InvoiceFacts Invoice(InvoiceStatus status = InvoiceStatus.Open) =>
        new("in_1", "cus_1", "sub_1", "INV-1", status, "usd", 4900, status == InvoiceStatus.Paid ? 4900 : 0, status == InvoiceStatus.Paid ? 0 : 4900, Now, Now.AddMonths(1), Now, "https://pay/in_1", null);

    private static InvoiceChanged InvoiceEvent(InvoiceChange change, InvoiceFacts? invoice) =>
        new("evt_1", Now, "in_1", "cus_1", "sub_1", change, invoice, null, null);

    [Test]
    public async Task A_finalized_invoice_goes_into_the_book_and_reads_nothing_from_Stripe()
    {
        var handler = new ApplyInvoiceChanged(Recorder(), _book.Object, Notices());

        var result = await handler.Handle(InvoiceEvent(InvoiceChange.Finalized, Invoice()), default);

        Assert.That(result.Value, Does.StartWith("Invoice in_1 recorded as open."));
        _book.Verify(b => b.Add(It.Is<BillingInvoice>(i => i.Id == "in_1")), Times.Once);
        Subscriptions.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_failed_payment_of_the_latest_invoice_tells_the_user_without_reading_the_subscription()
    {
        var account = Subscribed(latestInvoiceId: "in_1");
        var handler = new ApplyInvoiceChanged(Recorder(), _book.Object, Notices());

        var result = await handler.Handle(InvoiceEvent(InvoiceChange.PaymentFailed, Invoice() with { NextPaymentAttempt = Now.AddDays(2) }), default);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        Assert.That(account.OpenInvoice, Is.EqualTo(new OpenInvoice("in_1", "https://pay/in_1", Now.AddDays(2), Now)), "the account's open invoice follows the invoice's own event");
        Assert.That(account.PendingEvents.OfType<PaymentAttemptFailed>().Single(), Is.EqualTo(new PaymentAttemptFailed("u1", Now, "in_1", "evt_1")), "the account records the notice; SyncPlan writes the e-mail");
        Subscriptions.VerifyNoOtherCalls();
    }

    [Test]
    public async Task An_invoice_of_the_held_subscription_newer_than_its_latest_is_the_latest_before_the_subscription_says_so()
    {
        var account = Subscribed(latestInvoiceId: "in_0");
        _book.Setup(b => b.FindAsync("in_0", It.IsAny<CancellationToken>())).ReturnsAsync(BillingInvoice.From(Invoice(InvoiceStatus.Paid) with { Id = "in_0", Created = Now.AddMonths(-1) }));
        var handler = new ApplyInvoiceChanged(Recorder(), _book.Object, Notices());

        await handler.Handle(InvoiceEvent(InvoiceChange.PaymentActionRequired, Invoice()), default);

        Assert.That(account.LatestInvoiceId, Is.EqualTo("in_1"));
        Assert.That(account.OpenInvoice!.InvoiceId, Is.EqualTo("in_1"));
        Assert.That(account.PendingEvents.OfType<PaymentAuthenticationRequested>().Single().InvoiceId, Is.EqualTo("in_1"));
        Subscriptions.VerifyNoOtherCalls();
    }

    [Test]
    public async Task An_invoice_event_in_another_api_version_is_read_from_Stripe_and_recorded()
    {
        Subscribed(latestInvoiceId: "in_1");
        _invoiceGateway.Setup(g => g.GetInvoiceAsync("in_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<InvoiceFacts>.Success(Invoice(InvoiceStatus.Paid)));
        var handler = new ApplyInvoiceChanged(Recorder(), _book.Object, Notices());

        var result = await handler.Handle(InvoiceEvent(InvoiceChange.Paid, null), default);

        Assert.That(result.Value, Does.StartWith("Invoice in_1 recorded as paid."));
        _invoiceGateway.Verify(g => g.GetInvoiceAsync("in_1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task An_expired_checkout_lets_its_user_open_another()
    {
        var account = Subscribed();
        account.RecordOpenCheckout(new OpenCheckout("cs_1", Tier.Starter, BillingCycle.Monthly, "https://checkout/cs_1", Now.AddHours(1)));

        var result = await new ApplyCheckoutExpired(Accounts.Object).Handle(new CheckoutExpired("evt_1", Now, "cs_1", "cus_1", "u1"), default);
        var unknown = await new ApplyCheckoutExpired(Accounts.Object).Handle(new CheckoutExpired("evt_2", Now, "cs_9", null, null), default);

        Assert.That(account.OpenCheckout, Is.Null);
        Assert.That(result.Value, Does.Contain("may open another"));
        Assert.That(unknown.Value, Does.Contain("no account was waiting"));
    }

    [Test]
    public async Task A_deleted_customer_is_let_go_of_and_recorded_and_an_unknown_one_changes_nothing()
    {
        var account = Subscribed();
        var handler = new ApplyCustomerDeleted(Accounts.Object, History.Object, new FakeTimeProvider(Now));

        var result = await handler.Handle(new CustomerDeleted("evt_1", Now, "cus_1"), default);
        var unknown = await handler.Handle(new CustomerDeleted("evt_2", Now, "cus_9"), default);

        Assert.That(account.StripeCustomerId, Is.Null);
        Assert.That(account.DeletedStripeCustomerId, Is.EqualTo("cus_1"));
        Assert.That(result.Value, Does.Contain("let go of deleted customer"));
        Assert.That(unknown.Value, Does.Contain("no account was linked"));
        History.Verify(h => h.Add(It.Is<AccountHistoryEntry>(e => e.Kind == "customer_deleted")), Times.Once);
    }

    [Test]
    public async Task A_refund_is_recorded_on_the_invoice_its_metadata_names()
    {
        var invoice = BillingInvoice.From(Invoice(InvoiceStatus.Paid));
        _book.Setup(b => b.FindAsync("in_1", It.IsAny<CancellationToken>())).ReturnsAsync(invoice);
        var refunds = new List<InvoiceRefund>();
        _book.Setup(b => b.AddRefundAsync(It.IsAny<InvoiceRefund>(), It.IsAny<CancellationToken>())).ReturnsAsync((InvoiceRefund r, CancellationToken _) =>
        {
            refunds.Add(r);
            return r;
        });
        _book.Setup(b => b.RefundsOfAsync("in_1", It.IsAny<CancellationToken>())).ReturnsAsync(() => refunds);
        var handler = RefundHandler();
        var refund = new GatewayRefund("re_1", 1000, "usd", RefundStatus.Succeeded, "requested_by_customer", "pi_1", Now, "in_1");

        var result = await handler.Handle(new RefundChanged("evt_1", Now, "re_1", "cus_1", refund, "pi_1", null), default);

        Assert.That(result.Value, Does.Contain("recorded on invoice in_1"));
        Assert.That(invoice.AmountRefunded, Is.EqualTo(1000));
    }

    [Test]
    public async Task A_refund_event_naming_no_payment_records_nothing()
    {
        var handler = RefundHandler();

        var result = await handler.Handle(new RefundChanged("evt_1", Now, "ch_1", null, null, null, null), default);

        Assert.That(result.Value, Does.Contain("names no payment"));
        _invoiceGateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_dispute_opened_marks_the_account_records_it_and_tells_the_operator()
    {
        var account = Subscribed();
        _book.Setup(b => b.FindByPaymentIntentAsync("pi_1", It.IsAny<CancellationToken>())).ReturnsAsync(BillingInvoice.From(Invoice(InvoiceStatus.Paid)));
        var disputes = new Mock<IDisputeBook>();
        disputes.Setup(d => d.ForUserAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var options = new BillingOptions { Disputes = new DisputeSettings { NotifyEmail = "ops@example.com" } };
        var handler = new ApplyDisputeChanged(Recorder(), Accounts.Object, disputes.Object, History.Object, new FakeTimeProvider(Now), NullLogger<ApplyDisputeChanged>.Instance);
        var dispute = new DisputeFacts("dp_1", 4900, "usd", "fraudulent", DisputeStatus.NeedsResponse, "pi_1", Now.AddDays(7), Now);

        var result = await handler.Handle(new DisputeChanged("evt_1", Now, "dp_1", "cus_1", dispute), default);

        Assert.That(result.Value, Does.Contain("Dispute dp_1"));
        Assert.That(account.DisputedSince, Is.EqualTo(Now));
        disputes.Verify(d => d.Add(It.Is<PaymentDispute>(p => p.Id == "dp_1" && p.UserId == "u1")), Times.Once);
        Assert.That(account.PendingEvents.OfType<DisputeFiled>().Single(), Is.EqualTo(new DisputeFiled("u1", Now, "dp_1", "in_1")), "the account records the dispute; SyncPlan writes the operator's e-mail");
    }

    [Test]
    public async Task A_refund_of_a_charge_without_a_payment_intent_is_recorded_on_the_invoice_Stripe_lists_it_under()
    {
        var invoice = BillingInvoice.From(Invoice(InvoiceStatus.Paid));
        ChargeWithoutPaymentIntent(invoice);
        var refunds = new List<InvoiceRefund>();
        _book.Setup(b => b.AddRefundAsync(It.IsAny<InvoiceRefund>(), It.IsAny<CancellationToken>())).ReturnsAsync((InvoiceRefund r, CancellationToken _) =>
        {
            refunds.Add(r);
            return r;
        });
        _book.Setup(b => b.RefundsOfAsync("in_1", It.IsAny<CancellationToken>())).ReturnsAsync(() => refunds);
        var refund = new GatewayRefund("re_9", 900, "usd", RefundStatus.Succeeded, null, null, Now, null, "ch_9");

        var result = await RefundHandler().Handle(new RefundChanged("evt_9", Now, "re_9", null, refund, null, null), default);

        Assert.That(result.Value, Does.Contain("recorded on invoice in_1"));
        Assert.That(invoice.AmountRefunded, Is.EqualTo(900));
    }

    [Test]
    public async Task A_refund_of_a_charge_of_no_invoice_is_kept_in_its_customers_account_history_once()
    {
        Subscribed();
        ChargeWithoutPaymentIntent(paidInvoice: null);
        var kept = new List<AccountHistoryEntry>();
        History.Setup(h => h.Add(It.IsAny<AccountHistoryEntry>())).Callback<AccountHistoryEntry>(kept.Add);
        History.Setup(h => h.ListAsync("u1", It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => kept);
        var refund = new GatewayRefund("re_9", 900, "usd", RefundStatus.Succeeded, null, null, Now, null, "ch_9");

        var first = await RefundHandler().Handle(new RefundChanged("evt_9", Now, "re_9", null, refund, null, null), default);
        var again = await RefundHandler().Handle(new RefundChanged("evt_10", Now, "re_9", null, refund, null, null), default);

        Assert.That(first.Value, Does.Contain("Kept in account u1"));
        Assert.That(again.Value, Does.Contain("Already in account u1"));
        Assert.That(kept.Single().Kind, Is.EqualTo("refund_outside_invoices"));
    }

    [Test]
    public async Task A_dispute_of_a_charge_without_a_payment_intent_is_kept_for_its_account_even_without_an_invoice()
    {
        var account = Subscribed();
        ChargeWithoutPaymentIntent(paidInvoice: null);
        var disputes = new Mock<IDisputeBook>();
        disputes.Setup(d => d.ForUserAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var handler = new ApplyDisputeChanged(Recorder(), Accounts.Object, disputes.Object, History.Object, new FakeTimeProvider(Now), NullLogger<ApplyDisputeChanged>.Instance);
        var dispute = new DisputeFacts("dp_9", 4900, "usd", "fraudulent", DisputeStatus.NeedsResponse, null, Now.AddDays(7), Now, "ch_9");

        var result = await handler.Handle(new DisputeChanged("evt_9", Now, "dp_9", null, dispute), default);

        Assert.That(result.Value, Does.Contain("on charge ch_9 of no invoice here"));
        disputes.Verify(d => d.Add(It.Is<PaymentDispute>(p => p.Id == "dp_9" && p.UserId == "u1" && p.InvoiceId == null)), Times.Once);
        Assert.That(account.DisputedSince, Is.EqualTo(Now));
    }
}
