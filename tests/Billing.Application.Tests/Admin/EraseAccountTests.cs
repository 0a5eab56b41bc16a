using Billing.Application.Admin.Erase;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Moq;

namespace Billing.Application.Tests.Admin;

/// <summary>Erasure: the account's address and whatever the eraser finds elsewhere, with what the law keeps said.</summary>
public sealed class EraseAccountTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task The_address_is_erased_with_the_stored_copies_and_the_customer_is_named_to_the_eraser()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now);
        account.LinkStripeCustomer("cus_1", Now);
        var accounts = new Mock<IBillingAccountRepository>();
        accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        var eraser = new Mock<IPersonalDataEraser>();
        eraser.Setup(e => e.EraseAsync("u1", "cus_1", It.IsAny<CancellationToken>())).ReturnsAsync(["2 stored Stripe events"]);

        var report = (await new EraseAccountHandler(accounts.Object, eraser.Object).Handle(new EraseAccount("u1", "admin-1"), default)).Value;

        Assert.That(account.Email, Is.Empty);
        Assert.That(report.Erased, Is.EqualTo(new[] { "the account's e-mail address", "2 stored Stripe events" }));
        Assert.That(report.Kept, Is.Not.Empty, "the answer says what bookkeeping law keeps");
    }

    [Test]
    public async Task Erasing_twice_reports_no_address_the_second_time()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now);
        var accounts = new Mock<IBillingAccountRepository>();
        accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        var eraser = new Mock<IPersonalDataEraser>();
        eraser.Setup(e => e.EraseAsync("u1", null, It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var handler = new EraseAccountHandler(accounts.Object, eraser.Object);

        await handler.Handle(new EraseAccount("u1", "admin-1"), default);
        var again = (await handler.Handle(new EraseAccount("u1", "admin-1"), default)).Value;

        Assert.That(again.Erased, Is.Empty);
    }

    [Test]
    public async Task An_unknown_account_is_not_found_and_nothing_is_erased()
    {
        var eraser = new Mock<IPersonalDataEraser>();

        var result = await new EraseAccountHandler(new Mock<IBillingAccountRepository>().Object, eraser.Object).Handle(new EraseAccount("nobody", "admin-1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("account_not_found"));
        eraser.VerifyNoOtherCalls();
    }
}
