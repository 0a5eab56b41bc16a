using Billing.Application.Invoices;
using Billing.Application.Invoices.Backfill;
using Billing.Application.Invoices.List;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Invoices;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Invoices;

/// <summary>Listing reads the invoice book only; filling it from Stripe is a command of its own, done once.</summary>
public sealed class InvoiceListingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<IInvoiceBook> _book = null!;
    private Mock<IInvoiceGateway> _gateway = null!;

    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _book = new Mock<IInvoiceBook>();
        _gateway = new Mock<IInvoiceGateway>();
    }

    private BillingAccount Linked()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-10));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    private static InvoiceFacts Invoice(string id) =>
        new(id, "cus_1", "sub_1", id.ToUpperInvariant(), InvoiceStatus.Paid, "usd", 1900, 1900, 0, Now, Now.AddMonths(1), Now, null, null);

    [Test]
    public async Task A_book_not_filled_yet_says_so_and_nothing_is_asked_of_Stripe_or_written()
    {
        Linked();

        var listed = await new ListInvoicesHandler(_accounts.Object, _book.Object).Handle(new ListInvoices("u1"), default);

        Assert.That(listed.Value.BookFilled, Is.False);
        Assert.That(listed.Value.Data, Is.Empty);
        _gateway.VerifyNoOtherCalls();
        _book.Verify(b => b.Add(It.IsAny<BillingInvoice>()), Times.Never);
    }

    [Test]
    public async Task A_filled_book_is_listed_one_page_at_a_time()
    {
        Linked().MarkInvoicesBackfilled(Now);
        _book.Setup(b => b.ListAsync("cus_1", 3, null, It.IsAny<CancellationToken>())).ReturnsAsync([BillingInvoice.From(Invoice("in_3")), BillingInvoice.From(Invoice("in_2")), BillingInvoice.From(Invoice("in_1"))]);

        var listed = await new ListInvoicesHandler(_accounts.Object, _book.Object).Handle(new ListInvoices("u1", Limit: 2), default);

        Assert.That(listed.Value.Data.Select(i => i.Id), Is.EqualTo(new[] { "in_3", "in_2" }));
        Assert.That(listed.Value.HasMore, Is.True);
        Assert.That(listed.Value.BookFilled, Is.True);
    }

    [Test]
    public async Task Filling_the_book_records_Stripes_invoices_once_and_marks_the_account()
    {
        var account = Linked();
        _gateway.Setup(g => g.ListInvoicesAsync("cus_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<InvoiceFacts>>.Success([Invoice("in_1"), Invoice("in_2")]));
        var handler = new BackfillInvoicesHandler(_accounts.Object, _gateway.Object, new Billing.Application.Invoices.InvoiceRecorder(_book.Object, _gateway.Object), new FakeTimeProvider(Now));

        var first = await handler.Handle(new BackfillInvoices("u1"), default);
        var second = await handler.Handle(new BackfillInvoices("u1"), default);

        Assert.That((first.Value, second.Value), Is.EqualTo((2, 0)));
        Assert.That(account.InvoicesBackfilledAt, Is.EqualTo(Now));
        _gateway.Verify(g => g.ListInvoicesAsync("cus_1", It.IsAny<CancellationToken>()), Times.Once);
        _book.Verify(b => b.Add(It.IsAny<BillingInvoice>()), Times.Exactly(2));
    }
}
