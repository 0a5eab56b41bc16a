using Billing.Application.Accounts;
using Billing.Application.Admin.Refunds;
using Billing.Application.Common.Results;
using Billing.Application.Invoices;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Invoices;
using Billing.Domain.Plans;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Admin;

/// <summary>Refunds: never more than is left, keyed so a retry never refunds twice, recorded on the invoice, optionally ending the subscription.</summary>
public sealed class RefundInvoiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<IInvoiceBook> _book = null!;
    private Mock<IInvoiceGateway> _invoices = null!;
    private Mock<ISubscriptionGateway> _subscriptions = null!;
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<IAccountHistory> _history = null!;
    private List<InvoiceRefund> _refunds = null!;

    [SetUp]
    public void FreshMocks()
    {
        _book = new Mock<IInvoiceBook>();
        _invoices = new Mock<IInvoiceGateway>();
        _subscriptions = new Mock<ISubscriptionGateway>();
        _accounts = new Mock<IBillingAccountRepository>();
        _history = new Mock<IAccountHistory>();
        _refunds = [];
        _book.Setup(b => b.AddRefundAsync(It.IsAny<InvoiceRefund>(), It.IsAny<CancellationToken>())).ReturnsAsync((InvoiceRefund r, CancellationToken _) =>
        {
            _refunds.Add(r);
            return r;
        });
        _book.Setup(b => b.RefundsOfAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => _refunds);
    }

    private RefundInvoiceHandler Handler() =>
        new(_book.Object, new InvoiceRecorder(_book.Object, _invoices.Object), _accounts.Object, _invoices.Object, _subscriptions.Object, new SubscriptionTranslator(TestCatalog.Create()), _history.Object, new FakeTimeProvider(Now));

    private static InvoiceFacts Facts(InvoiceStatus status = InvoiceStatus.Paid, long paid = 1900) =>
        new("in_1", "cus_1", "sub_1", "INV-1", status, "usd", 1900, paid, 1900 - paid, Now.AddDays(-10), Now.AddDays(20), Now.AddDays(-10), null, null);

    private BillingInvoice InBook(InvoiceStatus status = InvoiceStatus.Paid)
    {
        var invoice = BillingInvoice.From(Facts(status));
        _book.Setup(b => b.FindAsync("in_1", It.IsAny<CancellationToken>())).ReturnsAsync(invoice);
        return invoice;
    }

    private BillingAccount Subscribed()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-10));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 1900, "usd"), Now.AddDays(-10));
        _accounts.Setup(a => a.FindByStripeCustomerAsync("cus_1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    /// <summary>Stripe refunds what is asked (null: the rest, 1,900) under the request's key.</summary>
    private void StripeRefunds(long? asked, string key) =>
        _invoices.Setup(g => g.RefundInvoiceAsync("in_1", asked, "requested_by_customer", key, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewayRefund>.Success(Made(asked ?? 1900, key)));

    private static GatewayRefund Made(long amount, string key) =>
        new("re_1", amount, "usd", RefundStatus.Succeeded, "requested_by_customer", "pi_1", Now, "in_1", "ch_1", key);

    [Test]
    public async Task A_full_refund_takes_what_is_left_is_recorded_on_the_invoice_and_in_the_history()
    {
        var invoice = InBook();
        Subscribed();
        StripeRefunds(null, "billing-refund-in_1-rest-requested_by_customer-key-1");

        var view = (await Handler().Handle(new RefundInvoice("in_1", null, "requested_by_customer", false, "admin-1", "key-1"), default)).Value;

        Assert.That(view.Amount, Is.EqualTo(1900));
        Assert.That(view.SubscriptionCanceled, Is.False);
        Assert.That(invoice.AmountRefunded, Is.EqualTo(1900));
        Assert.That(invoice.Refundable, Is.Zero);
        _history.Verify(h => h.Add(It.Is<AccountHistoryEntry>(e => e.Kind == "refund" && e.Detail.Contains("admin-1"))), Times.Once);
        _subscriptions.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Without_a_request_key_the_refund_is_keyed_by_itself_so_a_retry_never_refunds_twice()
    {
        InBook();
        StripeRefunds(500, "billing-refund-in_1-500-requested_by_customer-unkeyed");

        var result = await Handler().Handle(new RefundInvoice("in_1", 500, "requested_by_customer", false, "admin-1"), default);

        Assert.That(result.Value.Amount, Is.EqualTo(500));
    }

    [Test]
    public async Task More_than_is_left_is_refused_and_Stripe_is_not_asked()
    {
        InBook();

        var result = await Handler().Handle(new RefundInvoice("in_1", 2000, "requested_by_customer", false, "admin-1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("refund_exceeds_payment"));
        _invoices.Verify(g => g.RefundInvoiceAsync(It.IsAny<string>(), It.IsAny<long?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task An_invoice_not_paid_has_nothing_to_refund()
    {
        InBook(status: InvoiceStatus.Open);

        var result = await Handler().Handle(new RefundInvoice("in_1", null, "requested_by_customer", false, "admin-1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("nothing_to_refund"));
    }

    [Test]
    public async Task An_invoice_the_book_lacks_is_read_from_Stripe_and_one_Stripe_lacks_is_not_found()
    {
        _invoices.Setup(g => g.GetInvoiceAsync("in_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<InvoiceFacts>.Success(Facts()));
        _invoices.Setup(g => g.GetInvoiceAsync("in_gone", It.IsAny<CancellationToken>())).ReturnsAsync(Result<InvoiceFacts>.Failure(Error.NotFound("stripe_resource_missing", "No such invoice")));
        StripeRefunds(null, "billing-refund-in_1-rest-requested_by_customer-unkeyed");

        var refunded = await Handler().Handle(new RefundInvoice("in_1", null, "requested_by_customer", false, "admin-1"), default);
        var missing = await Handler().Handle(new RefundInvoice("in_gone", null, "requested_by_customer", false, "admin-1"), default);

        Assert.That(refunded.IsSuccess, Is.True);
        _book.Verify(b => b.Add(It.Is<BillingInvoice>(i => i.Id == "in_1")), Times.Once);
        Assert.That(missing.Error!.Code, Is.EqualTo("invoice_not_found"));
    }

    [Test]
    public async Task Asked_to_it_also_ends_the_subscription_the_invoice_paid_for_at_once()
    {
        InBook();
        var account = Subscribed();
        StripeRefunds(null, "billing-refund-in_1-rest-requested_by_customer-unkeyed");
        _subscriptions.Setup(s => s.CancelSubscriptionAsync("sub_1", false, "billing-refund-cancel-re_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(new GatewaySubscription("sub_1", "cus_1", "canceled", Now.AddDays(-10), "si_1", "price_1", null, "billing_starter", "starter", BillingCycle.Monthly, null, 1900, "usd", Now.AddDays(-10), Now.AddDays(20), false, new Dictionary<string, string>())));

        var view = (await Handler().Handle(new RefundInvoice("in_1", null, "requested_by_customer", true, "admin-1"), default)).Value;

        Assert.That(view.SubscriptionCanceled, Is.True);
        Assert.That(account.Status, Is.EqualTo(SubscriptionStatus.Canceled));
    }

    [Test]
    public async Task A_refund_Stripe_refuses_records_nothing()
    {
        var invoice = InBook();
        _invoices.Setup(g => g.RefundInvoiceAsync("in_1", null, "requested_by_customer", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewayRefund>.Failure(Error.Conflict("charge_already_refunded", "Charge has already been refunded.")));

        var result = await Handler().Handle(new RefundInvoice("in_1", null, "requested_by_customer", false, "admin-1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("charge_already_refunded"));
        Assert.That(invoice.AmountRefunded, Is.Zero);
        Assert.That(_refunds, Is.Empty);
        _history.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Run_again_after_its_refunds_webhook_was_recorded_first_the_request_answers_the_refund_it_made_without_refunding_again()
    {
        // The first run refunded at Stripe, then met the refund's webhook at its commit: the store now says the
        // invoice is refunded in full, by the refund this very request made.
        var invoice = InBook();
        invoice.PaidBy("pi_1");
        invoice.Refunded(1900);
        _refunds.Add(InvoiceRefund.Record("re_1", "in_1", 1900, "usd", "requested_by_customer", RefundStatus.Succeeded, Now));
        _book.Setup(b => b.FindRefundAsync("re_1", It.IsAny<CancellationToken>())).ReturnsAsync(_refunds[0]);
        Subscribed();
        _invoices.Setup(g => g.ListRefundsAsync("pi_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<GatewayRefund>>.Success([Made(1900, "billing-refund-in_1-rest-requested_by_customer-key-1")]));

        var view = (await Handler().Handle(new RefundInvoice("in_1", null, "requested_by_customer", false, "admin-1", "key-1"), default)).Value;

        Assert.That(view.RefundId, Is.EqualTo("re_1"));
        Assert.That(view.Amount, Is.EqualTo(1900));
        Assert.That(invoice.AmountRefunded, Is.EqualTo(1900));
        _invoices.Verify(g => g.RefundInvoiceAsync(It.IsAny<string>(), It.IsAny<long?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task An_invoice_refunded_in_full_by_another_request_has_nothing_to_refund()
    {
        var invoice = InBook();
        invoice.PaidBy("pi_1");
        invoice.Refunded(1900);
        _invoices.Setup(g => g.ListRefundsAsync("pi_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<GatewayRefund>>.Success([Made(1900, "billing-refund-in_1-rest-requested_by_customer-other")]));

        var result = await Handler().Handle(new RefundInvoice("in_1", null, "requested_by_customer", false, "admin-1", "key-1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("nothing_to_refund"));
        _invoices.Verify(g => g.RefundInvoiceAsync(It.IsAny<string>(), It.IsAny<long?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Run_again_after_the_subscriptions_end_was_recorded_first_the_answer_says_it_ended_without_ending_it_again()
    {
        InBook();
        var account = Subscribed();
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Canceled, Tier.Starter, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 1900, "usd"), Now.AddSeconds(-1));
        StripeRefunds(null, "billing-refund-in_1-rest-requested_by_customer-key-1");

        var view = (await Handler().Handle(new RefundInvoice("in_1", null, "requested_by_customer", true, "admin-1", "key-1"), default)).Value;

        Assert.That(view.SubscriptionCanceled, Is.True);
        _subscriptions.VerifyNoOtherCalls();
    }
}
